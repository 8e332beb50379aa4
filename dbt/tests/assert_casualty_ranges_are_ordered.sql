-- Casualty roll-ups are consistent ranges: low <= best <= high wherever they are known,
-- and a figure is either known (best not null) or entirely unknown.
-- Reads several models; reported as an asset check on fct_casualties.
{{ config(meta={'dagster': {'ref': {'name': 'fct_casualties'}}}) }}

with

attacks as (
    select * from {{ ref('fct_attacks') }}
),

casualties as (
    select * from {{ ref('fct_casualties') }}
),

ranges as (
    select
        event_id,
        'killed' as casualty_status,
        killed_low as low_count,
        killed_best as best_count,
        killed_high as high_count
    from attacks
    union all
    select
        event_id,
        'wounded' as casualty_status,
        wounded_low,
        wounded_best,
        wounded_high
    from attacks
    union all
    select
        event_id,
        casualty_status,
        low_count,
        best_count,
        high_count
    from casualties
),

final as (
    select * from ranges
    where
        low_count > best_count
        or best_count > high_count
        or (best_count is null and (low_count is not null or high_count is not null))
        or low_count < 0
)

select * from final
