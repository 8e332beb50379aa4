with

merge_log as (
    select * from {{ ref('int_events__merge_log') }}
    where event_id is not null
),

mentions as (
    select * from {{ ref('int_event_mentions__current') }}
),

final as (
    select
        merge_log.mention_id,
        merge_log.event_id,
        mentions.article_id,
        mentions.article_version,
        mentions.extractor_version,
        mentions.event_key,
        mentions.source_id,
        mentions.article_url,
        mentions.article_title,
        mentions.article_published_at,
        mentions.is_background,
        mentions.attack_type,
        mentions.start_date,
        mentions.end_date,
        mentions.place_name,
        mentions.country_code,
        mentions.killed_low,
        mentions.killed_high,
        mentions.wounded_low,
        mentions.wounded_high,
        merge_log.merge_rule,
        merge_log.joined_mention_id,
        merge_log.distance_km,
        merge_log.mention_id = merge_log.anchor_mention_id as is_anchor
    from merge_log
    inner join mentions
        on merge_log.mention_id = mentions.mention_id
)

select * from final
