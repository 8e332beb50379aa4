with

events as (
    select * from {{ ref('int_events__resolved') }}
),

crosswalk as (
    select * from {{ ref('attack_type_crosswalk') }}
),

actor_aliases as (
    select * from {{ ref('int_actor_aliases') }}
),

-- The report states hold one row per report time; the latest is the current picture.
current_states as (
    select * from {{ ref('int_events__report_states') }}
    where is_latest
),

final as (
    select
        events.event_id,
        events.start_date,
        events.end_date,
        events.date_precision,
        events.attack_type,
        crosswalk.acled_event_type,
        crosswalk.acled_sub_event_type,
        crosswalk.gtd_attack_type_id,
        crosswalk.gtd_attack_type,
        events.weapons,
        events.targets,
        events.location_id,
        events.place_name,
        events.admin1,
        events.country_code,
        events.latitude,
        events.longitude,
        events.location_precision,
        events.perpetrator_name,
        actor_aliases.actor_id as perpetrator_actor_id,
        events.perpetrator_status,
        current_states.claimed_by,
        current_states.blamed_on,
        current_states.attribution_class,
        events.is_background_only,
        events.mention_count,
        events.article_count,
        events.source_count,
        events.first_reported_at,
        events.last_reported_at,
        events.killed_low,
        events.killed_best,
        events.killed_high,
        events.wounded_low,
        events.wounded_best,
        events.wounded_high,
        events.anchor_mention_id
    from events
    left join crosswalk
        on events.attack_type = crosswalk.attack_type
    left join actor_aliases
        on lower(trim(events.perpetrator_name)) = actor_aliases.alias_key
    left join current_states
        on events.event_id = current_states.event_id
)

select * from final
