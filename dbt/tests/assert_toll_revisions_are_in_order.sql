-- Revisions of each attack and history source are numbered 1..n without gaps, in time
-- order: reported revisions by strictly increasing publication time, observed ones by
-- strictly increasing build time; only the last one is_latest.
with

revisions as (
    select * from {{ ref('fct_toll_revisions') }}
),

compared as (
    select
        *,
        lag(reported_at) over revision_order as previous_reported_at,
        lag(observed_at) over revision_order as previous_observed_at,
        count(*) over (partition by event_id, history_source) as revision_count
    from revisions
    window revision_order as (partition by event_id, history_source order by revision_number)
),

final as (
    select * from compared
    where
        revision_number > revision_count
        or is_latest <> (revision_number = revision_count)
        or (history_source = 'reported' and reported_at <= previous_reported_at)
        or (history_source = 'reported' and observed_at is not null)
        or (history_source = 'observed' and observed_at <= previous_observed_at)
        or (history_source = 'observed' and observed_at is null)
)

select * from final
