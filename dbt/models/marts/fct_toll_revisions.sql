{#-
    How each current attack's toll and attribution changed, from two sources of history:

      reported  derived from the reports themselves (int_events__report_states): after each
                publication time of a report, the toll and attribution the warehouse's rules
                give over the reports published by then; a row wherever that picture
                changed. Rebuilt from raw/ on every run, identical each time, and complete
                even when one build sees every report at once.
      observed  what successive builds of the warehouse said (snapshots.snap_attacks): a
                row per snapshot version. observed_at is a build time; it depends on when
                the pipeline ran, not on the news.

    Tracked fields (a change in any of them is a revision, in both sources): killed and
    wounded low / best / high, perpetrator name and status, claimed_by, blamed_on and the
    attribution class.
-#}
with

attacks as (
    select * from {{ ref('fct_attacks') }}
),

report_states as (
    select * from {{ ref('int_events__report_states') }}
),

observed_versions as (
    select * from {{ ref('snap_attacks') }}
),

fingerprinted_states as (
    select
        *,
        {{ hash_id('state', [
            'killed_low', 'killed_best', 'killed_high',
            'wounded_low', 'wounded_best', 'wounded_high',
            'perpetrator_name', 'perpetrator_status',
            'claimed_by', 'blamed_on', 'attribution_class',
        ]) }} as state_hash
    from report_states
),

-- A report that repeats what was already known (same toll, same attribution) is no revision.
reported_changes as (
    select * from fingerprinted_states
    qualify state_hash is distinct from lag(state_hash) over (
        partition by event_id
        order by as_of_at
    )
),

reported as (
    select
        event_id,
        'reported' as history_source,
        as_of_at as reported_at,
        cast(null as timestamptz) as observed_at,
        mention_id,
        article_id,
        source_id,
        report_count,
        killed_low,
        killed_best,
        killed_high,
        wounded_low,
        wounded_best,
        wounded_high,
        perpetrator_name,
        perpetrator_status,
        claimed_by,
        blamed_on,
        attribution_class
    from reported_changes
),

observed as (
    select
        observed_versions.event_id,
        'observed' as history_source,
        observed_versions.last_reported_at as reported_at,
        cast(observed_versions.dbt_valid_from as timestamptz) as observed_at,
        cast(null as varchar) as mention_id,
        cast(null as varchar) as article_id,
        cast(null as varchar) as source_id,
        observed_versions.mention_count as report_count,
        observed_versions.killed_low,
        observed_versions.killed_best,
        observed_versions.killed_high,
        observed_versions.wounded_low,
        observed_versions.wounded_best,
        observed_versions.wounded_high,
        observed_versions.perpetrator_name,
        observed_versions.perpetrator_status,
        observed_versions.claimed_by,
        observed_versions.blamed_on,
        observed_versions.attribution_class
    from observed_versions
    inner join attacks
        on observed_versions.event_id = attacks.event_id
),

revisions as (
    select * from reported
    union all
    select * from observed
),

numbered as (
    select
        *,
        row_number() over (
            partition by event_id, history_source
            order by observed_at asc nulls first, reported_at asc
        ) as revision_number,
        {{ hash_id('killed', ['killed_low', 'killed_best', 'killed_high']) }} as killed_hash,
        {{ hash_id('wounded', ['wounded_low', 'wounded_best', 'wounded_high']) }} as wounded_hash,
        {{ hash_id('attribution', [
            'perpetrator_name', 'perpetrator_status', 'claimed_by', 'blamed_on', 'attribution_class',
        ]) }} as attribution_hash
    from revisions
),

compared as (
    select
        *,
        lag(killed_hash) over revision_order as previous_killed_hash,
        lag(wounded_hash) over revision_order as previous_wounded_hash,
        lag(attribution_hash) over revision_order as previous_attribution_hash,
        lag(killed_best) over revision_order as previous_killed_best,
        lag(wounded_best) over revision_order as previous_wounded_best,
        row_number() over (
            partition by event_id, history_source
            order by revision_number desc
        ) = 1 as is_latest
    from numbered
    window revision_order as (partition by event_id, history_source order by revision_number)
),

final as (
    select
        {{ hash_id('toll_revision', ['event_id', 'history_source', 'revision_number']) }}
            as toll_revision_id,
        event_id,
        history_source,
        revision_number,
        is_latest,
        reported_at,
        observed_at,
        mention_id,
        article_id,
        source_id,
        report_count,
        killed_low,
        killed_best,
        killed_high,
        wounded_low,
        wounded_best,
        wounded_high,
        killed_best - previous_killed_best as killed_best_change,
        wounded_best - previous_wounded_best as wounded_best_change,
        -- The first revision "changes" a figure when it states one.
        coalesce(killed_hash <> previous_killed_hash, killed_best is not null) as has_killed_change,
        coalesce(wounded_hash <> previous_wounded_hash, wounded_best is not null) as has_wounded_change,
        coalesce(
            attribution_hash <> previous_attribution_hash,
            perpetrator_name is not null or claimed_by is not null or blamed_on is not null
        ) as has_attribution_change,
        perpetrator_name,
        perpetrator_status,
        claimed_by,
        blamed_on,
        attribution_class
    from compared
)

select * from final
