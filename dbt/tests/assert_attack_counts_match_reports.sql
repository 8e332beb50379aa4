-- fct_attacks' article and source counts agree with the reports listed for each attack.
-- Reads several models; reported as an asset check on fct_attacks.
{{ config(meta={'dagster': {'ref': {'name': 'fct_attacks'}}}) }}

with

attacks as (
    select * from {{ ref('fct_attacks') }}
),

reports as (
    select
        event_id,
        count(*) as mention_count,
        count(distinct article_id) as article_count,
        count(distinct source_id) as source_count
    from {{ ref('fct_event_reports') }}
    group by event_id
),

final as (
    select attacks.event_id
    from attacks
    left join reports
        on attacks.event_id = reports.event_id
    where
        reports.event_id is null
        or attacks.mention_count <> reports.mention_count
        or attacks.article_count <> reports.article_count
        or attacks.source_count <> reports.source_count
)

select * from final
