with

merge_log as (
    select * from {{ ref('int_events__merge_log') }}
    where merge_rule = 'aggregate_not_merged'
),

mentions as (
    select * from {{ ref('int_event_mentions__current') }}
),

actor_aliases as (
    select * from {{ ref('int_actor_aliases') }}
),

final as (
    select
        {{ hash_id('aggregate', ['mentions.mention_id']) }} as aggregate_statement_id,
        mentions.mention_id,
        mentions.article_id,
        mentions.source_id,
        mentions.article_url,
        mentions.article_published_at,
        mentions.start_date,
        mentions.end_date,
        mentions.date_precision,
        mentions.attack_type,
        mentions.weapons,
        mentions.place_name,
        mentions.admin1,
        mentions.country_code,
        mentions.location_precision,
        mentions.perpetrator_name,
        actor_aliases.actor_id as perpetrator_actor_id,
        mentions.perpetrator_status,
        mentions.incident_count,
        mentions.has_killed_figure,
        mentions.killed_low,
        mentions.killed_high,
        mentions.killed_qualifier,
        mentions.has_wounded_figure,
        mentions.wounded_low,
        mentions.wounded_high,
        mentions.wounded_qualifier
    from merge_log
    inner join mentions
        on merge_log.mention_id = mentions.mention_id
    left join actor_aliases
        on lower(trim(mentions.perpetrator_name)) = actor_aliases.alias_key
)

select * from final
