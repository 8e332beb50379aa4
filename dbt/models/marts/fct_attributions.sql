with

merge_log as (
    select * from {{ ref('int_events__merge_log') }}
    where event_id is not null
),

mentions as (
    select * from {{ ref('int_event_mentions__current') }}
),

statements as (
    select * from {{ ref('stg_raw__attributions') }}
),

actor_aliases as (
    select * from {{ ref('int_actor_aliases') }}
),

reported as (
    select
        merge_log.event_id,
        statements.attribution_type,
        statements.actor_name,
        statements.stated_by_name,
        coalesce(lower(trim(statements.actor_name)), '') as actor_key,
        coalesce(lower(trim(statements.stated_by_name)), '') as stated_by_key,
        mentions.mention_id,
        mentions.article_id,
        mentions.source_id,
        mentions.anchor_rank,
        mentions.article_published_at
    from statements
    inner join merge_log
        on statements.mention_id = merge_log.mention_id
    inner join mentions
        on statements.mention_id = mentions.mention_id
),

-- The same statement ("the U.S. blamed Kataib Hezbollah") is repeated by every outlet that
-- reports the event; it is one statement with several reports.
grouped as (
    select
        event_id,
        attribution_type,
        actor_key,
        stated_by_key,
        arg_min(actor_name, anchor_rank) as actor_name,
        arg_min(stated_by_name, anchor_rank) as stated_by_name,
        count(distinct mention_id) as report_count,
        count(distinct article_id) as article_count,
        count(distinct source_id) as source_count,
        min(article_published_at) as first_reported_at,
        max(article_published_at) as last_reported_at
    from reported
    group by event_id, attribution_type, actor_key, stated_by_key
),

final as (
    select
        {{ hash_id('attribution', [
            'grouped.event_id',
            'grouped.attribution_type',
            'grouped.actor_key',
            'grouped.stated_by_key',
        ]) }} as attribution_id,
        grouped.event_id,
        grouped.attribution_type,
        grouped.actor_name,
        actors.actor_id,
        grouped.stated_by_name,
        stated_by_actors.actor_id as stated_by_actor_id,
        grouped.report_count,
        grouped.article_count,
        grouped.source_count,
        grouped.first_reported_at,
        grouped.last_reported_at
    from grouped
    left join actor_aliases as actors
        on grouped.actor_key = actors.alias_key
    left join actor_aliases as stated_by_actors
        on grouped.stated_by_key = stated_by_actors.alias_key
)

select * from final
