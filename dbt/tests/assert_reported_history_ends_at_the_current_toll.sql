-- The history derived from the reports ends where fct_attacks stands: every attack's latest
-- reported revision has its current toll, perpetrator and attribution (the as-of rules and
-- the current rules agree once every report is in).
-- Reads several models; reported as an asset check on fct_toll_revisions.
{{ config(meta={'dagster': {'ref': {'name': 'fct_toll_revisions'}}}) }}

with

attacks as (
    select * from {{ ref('fct_attacks') }}
),

latest_reported as (
    select * from {{ ref('fct_toll_revisions') }}
    where history_source = 'reported' and is_latest
),

final as (
    select
        attacks.event_id,
        latest_reported.toll_revision_id
    from attacks
    left join latest_reported
        on attacks.event_id = latest_reported.event_id
    where
        latest_reported.event_id is null
        or attacks.killed_low is distinct from latest_reported.killed_low
        or attacks.killed_best is distinct from latest_reported.killed_best
        or attacks.killed_high is distinct from latest_reported.killed_high
        or attacks.wounded_low is distinct from latest_reported.wounded_low
        or attacks.wounded_best is distinct from latest_reported.wounded_best
        or attacks.wounded_high is distinct from latest_reported.wounded_high
        or attacks.perpetrator_name is distinct from latest_reported.perpetrator_name
        or attacks.perpetrator_status is distinct from latest_reported.perpetrator_status
        or attacks.claimed_by is distinct from latest_reported.claimed_by
        or attacks.blamed_on is distinct from latest_reported.blamed_on
        or attacks.attribution_class is distinct from latest_reported.attribution_class
)

select * from final
