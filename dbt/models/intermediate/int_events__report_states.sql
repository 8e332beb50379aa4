{#-
    What was known about each event after each of its reports: one row per event and
    distinct publication time of a report (a "moment"), with the toll and the attribution
    that the warehouse's rules give over the reports published up to that moment.

    The rules are the current ones, applied to a growing set of reports:
      tolls        the reference report of int_events__casualties (news before background,
                   latest publication, then the larger figure), among reports published so far;
      perpetrator  the strongest named one of int_events__resolved (stated > claimed > blamed
                   > suspected, then anchor order), among reports published so far;
      attribution  every claim and blame statement published so far, actors under their
                   canonical names where the actors seed knows them.
    The last moment (is_latest) is therefore the event's current picture (fct_attacks);
    assert_reported_history_ends_at_the_current_toll checks it. Everything is derived from
    raw/ through the merge log, so the history is rebuilt identically on every run.
-#}
with

merge_log as (
    select * from {{ ref('int_events__merge_log') }}
    where event_id is not null
),

mentions as (
    select * from {{ ref('int_event_mentions__current') }}
),

figures as (
    select * from {{ ref('stg_raw__casualty_figures') }}
    where figure_scope = 'total'
),

statements as (
    select * from {{ ref('stg_raw__attributions') }}
),

actor_aliases as (
    select * from {{ ref('int_actor_aliases') }}
),

actors as (
    select * from {{ ref('actors') }}
),

reports as (
    select
        merge_log.event_id,
        mentions.mention_id,
        mentions.article_id,
        mentions.source_id,
        mentions.is_background,
        mentions.anchor_rank,
        mentions.article_published_at,
        mentions.perpetrator_name,
        mentions.perpetrator_status
    from merge_log
    inner join mentions
        on merge_log.mention_id = mentions.mention_id
),

-- Several reports of one event can share a publication time: they form one moment, named
-- after the first of them in anchor order.
moment_reports as (
    select
        event_id,
        article_published_at as as_of_at,
        arg_min(mention_id, anchor_rank) as mention_id,
        arg_min(article_id, anchor_rank) as article_id,
        arg_min(source_id, anchor_rank) as source_id,
        count(*) as moment_report_count
    from reports
    group by event_id, article_published_at
),

moments as (
    select
        *,
        sum(moment_report_count) over (
            partition by event_id
            order by as_of_at
            rows between unbounded preceding and current row
        ) as report_count,
        row_number() over (partition by event_id order by as_of_at desc) = 1 as is_latest
    from moment_reports
),

stated_totals as (
    select
        reports.event_id,
        reports.mention_id,
        reports.is_background,
        reports.article_published_at,
        figures.casualty_status,
        coalesce(figures.low_count, figures.high_count) as low_count,
        figures.high_count,
        {{ casualty_point('figures.low_count', 'figures.high_count', 'figures.qualifier') }}
            as point_count
    from figures
    inner join reports
        on figures.mention_id = reports.mention_id
    where
        figures.casualty_status is not null
        and (figures.low_count is not null or figures.high_count is not null)
),

-- Every report published by the moment is a candidate; the ranking is
-- int_events__casualties' reference-report order, so one row per moment and status stays.
tolls_as_of as (
    select
        moments.event_id,
        moments.as_of_at,
        stated_totals.casualty_status,
        stated_totals.low_count,
        stated_totals.point_count as best_count,
        stated_totals.high_count
    from moments
    inner join stated_totals
        on
            moments.event_id = stated_totals.event_id
            and moments.as_of_at >= stated_totals.article_published_at
    qualify row_number() over (
        partition by moments.event_id, moments.as_of_at, stated_totals.casualty_status
        order by
            stated_totals.is_background asc,
            stated_totals.article_published_at desc,
            stated_totals.point_count desc,
            stated_totals.mention_id asc
    ) = 1
),

killed_as_of as (
    select * from tolls_as_of
    where casualty_status = 'killed'
),

wounded_as_of as (
    select * from tolls_as_of
    where casualty_status = 'wounded'
),

-- Every named perpetrator published by the moment is a candidate; the strongest stays.
perpetrators_as_of as (
    select
        moments.event_id,
        moments.as_of_at,
        reports.perpetrator_name,
        reports.perpetrator_status
    from moments
    inner join reports
        on
            moments.event_id = reports.event_id
            and moments.as_of_at >= reports.article_published_at
    where reports.perpetrator_name is not null
    qualify row_number() over (
        partition by moments.event_id, moments.as_of_at
        order by
            {{ precision_rank('reports.perpetrator_status', ['stated', 'claimed', 'blamed', 'suspected', 'unknown']) }},
            reports.anchor_rank
    ) = 1
),

named_statements as (
    select
        reports.event_id,
        reports.article_published_at,
        statements.attribution_type,
        coalesce(actor_names.canonical_name, trim(statements.actor_name)) as actor_name,
        coalesce(speaker_names.canonical_name, trim(statements.stated_by_name)) as stated_by_name
    from statements
    inner join reports
        on statements.mention_id = reports.mention_id
    left join actor_aliases as actor_keys
        on lower(trim(statements.actor_name)) = actor_keys.alias_key
    left join actors as actor_names
        on actor_keys.actor_id = actor_names.actor_id
    left join actor_aliases as speaker_keys
        on lower(trim(statements.stated_by_name)) = speaker_keys.alias_key
    left join actors as speaker_names
        on speaker_keys.actor_id = speaker_names.actor_id
),

attributions_as_of as (
    select
        moments.event_id,
        moments.as_of_at,
        nullif(array_to_string(list_sort(list_distinct(
            list(named_statements.actor_name) filter (where named_statements.attribution_type = 'claim')
        )), '; '), '') as claimed_by,
        nullif(array_to_string(list_sort(list_distinct(
            list(
                named_statements.actor_name
                || coalesce(' (by ' || named_statements.stated_by_name || ')', '')
            ) filter (where named_statements.attribution_type = 'blame')
        )), '; '), '') as blamed_on,
        bool_or(named_statements.attribution_type = 'claim') as has_claim_statement,
        bool_or(named_statements.attribution_type in ('blame', 'suspect')) as has_blame_statement
    from moments
    inner join named_statements
        on
            moments.event_id = named_statements.event_id
            and moments.as_of_at >= named_statements.article_published_at
    group by moments.event_id, moments.as_of_at
),

final as (
    select
        {{ hash_id('event_state', ['moments.event_id', 'moments.as_of_at']) }} as event_state_id,
        moments.event_id,
        moments.as_of_at,
        moments.mention_id,
        moments.article_id,
        moments.source_id,
        moments.moment_report_count,
        moments.report_count,
        moments.is_latest,
        killed_as_of.low_count as killed_low,
        killed_as_of.best_count as killed_best,
        killed_as_of.high_count as killed_high,
        wounded_as_of.low_count as wounded_low,
        wounded_as_of.best_count as wounded_best,
        wounded_as_of.high_count as wounded_high,
        perpetrators_as_of.perpetrator_name,
        coalesce(perpetrators_as_of.perpetrator_status, 'unknown') as perpetrator_status,
        attributions_as_of.claimed_by,
        attributions_as_of.blamed_on,
        case
            when
                coalesce(attributions_as_of.has_claim_statement, false)
                or perpetrators_as_of.perpetrator_status = 'claimed'
                then 'claimed'
            when
                coalesce(attributions_as_of.has_blame_statement, false)
                or perpetrators_as_of.perpetrator_status in ('stated', 'blamed', 'suspected')
                then 'blamed'
            else 'unattributed'
        end as attribution_class
    from moments
    left join killed_as_of
        on moments.event_id = killed_as_of.event_id and moments.as_of_at = killed_as_of.as_of_at
    left join wounded_as_of
        on moments.event_id = wounded_as_of.event_id and moments.as_of_at = wounded_as_of.as_of_at
    left join perpetrators_as_of
        on
            moments.event_id = perpetrators_as_of.event_id
            and moments.as_of_at = perpetrators_as_of.as_of_at
    left join attributions_as_of
        on
            moments.event_id = attributions_as_of.event_id
            and moments.as_of_at = attributions_as_of.as_of_at
)

select * from final
