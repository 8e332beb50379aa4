-- Event resolution accounts for every current mention: each appears in the merge log,
-- incidents with an event and aggregates without one.
-- Reads several models; reported as an asset check on int_events__merge_log.
{{ config(meta={'dagster': {'ref': {'name': 'int_events__merge_log'}}}) }}

with

mentions as (
    select * from {{ ref('int_event_mentions__current') }}
),

merge_log as (
    select * from {{ ref('int_events__merge_log') }}
),

final as (
    select
        mentions.mention_id,
        mentions.mention_kind,
        merge_log.event_id
    from mentions
    left join merge_log
        on mentions.mention_id = merge_log.mention_id
    where
        merge_log.mention_id is null
        or (mentions.mention_kind = 'incident' and merge_log.event_id is null)
        or (mentions.mention_kind = 'aggregate' and merge_log.event_id is not null)
)

select * from final
