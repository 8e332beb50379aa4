-- Every attack is named after a report that belongs to it and did not itself join an
-- earlier report (merge rule new_event or split_same_article).
-- Reads several models; reported as an asset check on fct_attacks.
{{ config(meta={'dagster': {'ref': {'name': 'fct_attacks'}}}) }}

with

attacks as (
    select * from {{ ref('fct_attacks') }}
),

reports as (
    select * from {{ ref('fct_event_reports') }}
),

final as (
    select
        attacks.event_id,
        attacks.anchor_mention_id,
        reports.merge_rule
    from attacks
    left join reports
        on
            attacks.anchor_mention_id = reports.mention_id
            and attacks.event_id = reports.event_id
    where
        reports.mention_id is null
        or reports.merge_rule not in ('new_event', 'split_same_article')
)

select * from final
