{#-
    Event resolution, step 2: one row per resolved event with the attributes its reports
    agree on best. Where reports differ, each attribute has a rule:
      dates      the most precise interval (day before week before month ...), then the anchor's;
      place      the most precise location (site before city before admin1 ...), then the anchor's;
      type       the most reported attack type, ties to the one reported first;
      weapons    every weapon any report names;
      targets    every target any report names (as worded, distinct);
      perpetrator the strongest named one (stated, claimed, blamed, suspected), then the first;
      casualties the latest news report stating them (int_events__casualties, totals).
-#}
with

merge_log as (
    select * from {{ ref('int_events__merge_log') }}
    where event_id is not null
),

mentions as (
    select * from {{ ref('int_event_mentions__current') }}
),

casualties as (
    select * from {{ ref('int_events__casualties') }}
    where is_total
),

members as (
    select
        merge_log.event_id,
        merge_log.anchor_mention_id,
        mentions.*
    from merge_log
    inner join mentions
        on merge_log.mention_id = mentions.mention_id
),

best_dates as (
    select
        event_id,
        start_date,
        end_date,
        date_precision
    from members
    where start_date is not null
    qualify row_number() over (
        partition by event_id
        order by
            {{ precision_rank('date_precision', ['day', 'week', 'month', 'year', 'unknown']) }},
            anchor_rank
    ) = 1
),

best_places as (
    select
        event_id,
        place_name,
        admin1,
        country_code,
        latitude,
        longitude,
        location_precision
    from members
    where country_code is not null or place_name is not null
    qualify row_number() over (
        partition by event_id
        order by
            {{ precision_rank('location_precision', ['site', 'city', 'admin1', 'country', 'unknown']) }},
            anchor_rank
    ) = 1
),

attack_type_votes as (
    select
        event_id,
        attack_type,
        count(*) as vote_count,
        min(anchor_rank) as first_rank
    from members
    where attack_type is not null
    group by event_id, attack_type
),

best_attack_types as (
    select
        event_id,
        attack_type
    from attack_type_votes
    qualify row_number() over (
        partition by event_id
        order by vote_count desc, first_rank asc
    ) = 1
),

best_perpetrators as (
    select
        event_id,
        perpetrator_name,
        perpetrator_status
    from members
    where perpetrator_name is not null
    qualify row_number() over (
        partition by event_id
        order by
            {{ precision_rank('perpetrator_status', ['stated', 'claimed', 'blamed', 'suspected', 'unknown']) }},
            anchor_rank
    ) = 1
),

summaries as (
    select
        event_id,
        any_value(anchor_mention_id) as anchor_mention_id,
        min(anchor_rank) as event_rank,
        list_sort(list_distinct(flatten(list(weapons)))) as weapons,
        list_sort(list_distinct(flatten(list(targets)))) as targets,
        bool_and(is_background) as is_background_only,
        count(*) as mention_count,
        count(distinct article_id) as article_count,
        count(distinct source_id) as source_count,
        min(article_published_at) as first_reported_at,
        max(article_published_at) as last_reported_at
    from members
    group by event_id
),

killed as (
    select * from casualties
    where casualty_status = 'killed'
),

wounded as (
    select * from casualties
    where casualty_status = 'wounded'
),

final as (
    select
        summaries.event_id,
        summaries.anchor_mention_id,
        summaries.event_rank,
        best_dates.start_date,
        best_dates.end_date,
        coalesce(best_dates.date_precision, 'unknown') as date_precision,
        coalesce(best_attack_types.attack_type, 'other') as attack_type,
        summaries.weapons,
        summaries.targets,
        case
            when best_places.country_code is not null or best_places.place_name is not null
                then {{ hash_id('location', [
                    'best_places.country_code',
                    'lower(best_places.admin1)',
                    'lower(best_places.place_name)',
                ]) }}
        end as location_id,
        best_places.place_name,
        best_places.admin1,
        best_places.country_code,
        best_places.latitude,
        best_places.longitude,
        coalesce(best_places.location_precision, 'unknown') as location_precision,
        best_perpetrators.perpetrator_name,
        coalesce(best_perpetrators.perpetrator_status, 'unknown') as perpetrator_status,
        summaries.is_background_only,
        summaries.mention_count,
        summaries.article_count,
        summaries.source_count,
        summaries.first_reported_at,
        summaries.last_reported_at,
        killed.low_count as killed_low,
        killed.best_count as killed_best,
        killed.high_count as killed_high,
        wounded.low_count as wounded_low,
        wounded.best_count as wounded_best,
        wounded.high_count as wounded_high
    from summaries
    left join best_dates on summaries.event_id = best_dates.event_id
    left join best_places on summaries.event_id = best_places.event_id
    left join best_attack_types on summaries.event_id = best_attack_types.event_id
    left join best_perpetrators on summaries.event_id = best_perpetrators.event_id
    left join killed on summaries.event_id = killed.event_id
    left join wounded on summaries.event_id = wounded.event_id
)

select * from final
