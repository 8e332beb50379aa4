{#-
    Casualty figures per event, status, victim group and nationality, over every report
    (mention) of the event. A report that does not state a figure contributes no row:
    "unknown" stays null and is never read as zero; a stated zero is a figure.

    Tolls are revised as days pass and a later report supersedes an earlier one rather than
    adding to it ("7 killed in total, not 3 + 5 + 7"). So low / best / high come from one
    reference report: the most recently published news report that states the figure (a
    background mention only when no news report states it; ties to the larger figure).
    best is its point figure (casualty_point: "at least 12" -> 12, "10 to 14" -> 12); low and
    high are its bounds (high null = open-ended). min_ / max_reported_count keep the spread
    of all reports.
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
),

reports as (
    select
        merge_log.event_id,
        figures.mention_id,
        figures.casualty_status,
        figures.figure_scope = 'total' as is_total,
        case
            when figures.figure_scope = 'total' then 'all victims'
            else coalesce(lower(trim(figures.victim_group)), 'unspecified')
        end as victim_group,
        figures.nationality_code,
        figures.is_perpetrator,
        coalesce(figures.low_count, figures.high_count) as low_count,
        figures.high_count,
        {{ casualty_point('figures.low_count', 'figures.high_count', 'figures.qualifier') }}
            as point_count,
        mentions.article_id,
        mentions.source_id,
        mentions.is_background,
        mentions.article_published_at
    from figures
    inner join merge_log
        on figures.mention_id = merge_log.mention_id
    inner join mentions
        on figures.mention_id = mentions.mention_id
    where
        figures.casualty_status is not null
        and (figures.low_count is not null or figures.high_count is not null)
),

ranked as (
    select
        *,
        row_number() over (
            partition by event_id, casualty_status, victim_group, nationality_code
            order by
                is_background asc,
                article_published_at desc,
                point_count desc,
                mention_id asc
        ) as report_order
    from reports
),

rolled_up as (
    select
        event_id,
        casualty_status,
        victim_group,
        nationality_code,
        min(low_count) as min_reported_count,
        max(coalesce(high_count, low_count)) as max_reported_count,
        count(distinct mention_id) as report_count,
        count(distinct article_id) as article_count,
        count(distinct source_id) as source_count,
        min(article_published_at) as first_reported_at,
        max(article_published_at) as last_reported_at
    from reports
    group by event_id, casualty_status, victim_group, nationality_code
),

reference as (
    select * from ranked
    where report_order = 1
),

final as (
    select
        {{ hash_id('casualty', [
            'reference.event_id',
            'reference.casualty_status',
            'reference.victim_group',
            'reference.nationality_code',
        ]) }} as casualty_id,
        reference.event_id,
        reference.casualty_status,
        reference.is_total,
        reference.victim_group,
        reference.nationality_code,
        reference.is_perpetrator,
        reference.low_count,
        reference.point_count as best_count,
        reference.high_count,
        reference.mention_id as reference_mention_id,
        rolled_up.min_reported_count,
        rolled_up.max_reported_count,
        rolled_up.report_count,
        rolled_up.article_count,
        rolled_up.source_count,
        rolled_up.first_reported_at,
        rolled_up.last_reported_at
    from reference
    inner join rolled_up
        on
            reference.event_id = rolled_up.event_id
            and reference.casualty_status = rolled_up.casualty_status
            and reference.victim_group = rolled_up.victim_group
            and reference.nationality_code is not distinct from rolled_up.nationality_code
)

select * from final
