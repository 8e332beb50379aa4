with

source as (
    select * from {{ source('raw', 'event_mentions') }}
),

final as (
    select
        mention_id,
        article_id,
        article_version,
        extractor_version,
        extracted_at,
        event_key,
        record_index,
        kind as mention_kind,
        is_background,
        attack_type,
        weapons,
        date_start as start_date,
        date_end as end_date,
        date_precision,
        location_name as place_name,
        upper(location_country_code) as country_code,
        location_admin1 as admin1,
        location_lat as latitude,
        location_lon as longitude,
        location_precision,
        perpetrator_name,
        perpetrator_status,
        targets,
        has_killed_figure,
        killed_low,
        killed_high,
        killed_qualifier,
        has_wounded_figure,
        wounded_low,
        wounded_high,
        wounded_qualifier,
        aggregate_count as incident_count,
        record_json
    from source
)

select * from final
