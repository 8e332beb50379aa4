with

casualties as (
    select * from {{ ref('int_events__casualties') }}
),

final as (
    select
        casualty_id,
        event_id,
        casualty_status,
        is_total,
        victim_group,
        nationality_code,
        is_perpetrator,
        low_count,
        best_count,
        high_count,
        reference_mention_id,
        min_reported_count,
        max_reported_count,
        report_count,
        article_count,
        source_count,
        first_reported_at,
        last_reported_at
    from casualties
)

select * from final
