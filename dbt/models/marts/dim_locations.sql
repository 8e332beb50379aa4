with

events as (
    select * from {{ ref('int_events__resolved') }}
    where location_id is not null
),

final as (
    select
        location_id,
        -- Several events share a place; the first event's spelling and coordinates stand.
        arg_min(place_name, event_rank) as place_name,
        arg_min(admin1, event_rank) as admin1,
        arg_min(country_code, event_rank) as country_code,
        arg_min(latitude, event_rank) filter (where latitude is not null) as latitude,
        arg_min(longitude, event_rank) filter (where latitude is not null) as longitude,
        count(*) as event_count
    from events
    group by location_id
)

select * from final
