{#-
    Killed and wounded per attack and nationality. Reports word their victim groups
    differently ("an Iraqi soldier" on day 1, "four Iraqi soldiers" on day 3), so groups
    are not matched by wording (fct_casualties keeps them as worded): for each nationality
    the figure is the sum of the groups of that nationality in one reference report,
    chosen as for tolls - the most recently published news report giving a group of that
    nationality (a background mention only when no news report does; ties to the larger
    figure). Later reports supersede earlier ones, never add to them. The attackers' own dead are not victims and are
    not here either. Groups without a
    stated nationality are not here (see fct_casualties).
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
    where
        figure_scope = 'group'
        and is_perpetrator is not true
        and nationality_code is not null
        and casualty_status is not null
        and (low_count is not null or high_count is not null)
),

groups as (
    select
        merge_log.event_id,
        figures.mention_id,
        figures.casualty_status,
        figures.nationality_code,
        coalesce(figures.low_count, figures.high_count) as low_count,
        figures.high_count,
        {{ casualty_point('figures.low_count', 'figures.high_count', 'figures.qualifier') }}
            as point_count
    from figures
    inner join merge_log
        on figures.mention_id = merge_log.mention_id
),

-- One report can name several groups of one nationality ("three Iraqi soldiers and an
-- Iraqi interpreter"): their sum is that report's figure.
report_sums as (
    select
        groups.event_id,
        groups.mention_id,
        groups.casualty_status,
        groups.nationality_code,
        sum(groups.low_count) as low_count,
        -- One open-ended group makes the report's sum open-ended.
        case when bool_and(groups.high_count is not null) then sum(groups.high_count) end
            as high_count,
        sum(groups.point_count) as point_count,
        any_value(mentions.article_id) as article_id,
        any_value(mentions.source_id) as source_id,
        any_value(mentions.is_background) as is_background,
        any_value(mentions.article_published_at) as article_published_at
    from groups
    inner join mentions
        on groups.mention_id = mentions.mention_id
    group by groups.event_id, groups.mention_id, groups.casualty_status, groups.nationality_code
),

rolled_up as (
    select
        event_id,
        casualty_status,
        nationality_code,
        min(low_count) as min_reported_count,
        max(coalesce(high_count, low_count)) as max_reported_count,
        count(distinct mention_id) as report_count,
        count(distinct article_id) as article_count,
        count(distinct source_id) as source_count,
        min(article_published_at) as first_reported_at,
        max(article_published_at) as last_reported_at
    from report_sums
    group by event_id, casualty_status, nationality_code
),

-- Every report stating the nationality is a candidate; the reference report stays.
reference as (
    select * from report_sums
    qualify row_number() over (
        partition by event_id, casualty_status, nationality_code
        order by
            is_background asc,
            article_published_at desc,
            point_count desc,
            mention_id asc
    ) = 1
),

final as (
    select
        {{ hash_id('casualty_nationality', [
            'reference.event_id',
            'reference.casualty_status',
            'reference.nationality_code',
        ]) }} as casualty_nationality_id,
        reference.event_id,
        reference.casualty_status,
        reference.nationality_code,
        cast(reference.low_count as bigint) as low_count,
        cast(reference.point_count as bigint) as best_count,
        cast(reference.high_count as bigint) as high_count,
        reference.mention_id as reference_mention_id,
        cast(rolled_up.min_reported_count as bigint) as min_reported_count,
        cast(rolled_up.max_reported_count as bigint) as max_reported_count,
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
            and reference.nationality_code = rolled_up.nationality_code
)

select * from final
