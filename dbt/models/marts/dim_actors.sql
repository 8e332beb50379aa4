with

actors as (
    select * from {{ ref('actors') }}
),

final as (
    select
        actor_id,
        canonical_name,
        actor_type,
        upper(country_code) as country_code,
        nullif(trim(parent_id), '') as parent_id,
        aliases
    from actors
)

select * from final
