with

fetches as (
    select * from {{ ref('stg_raw__fetches') }}
),

articles as (
    select * from {{ ref('stg_raw__articles') }}
),

fetch_summary as (
    select
        source_id,
        min(fetched_at) as first_fetched_at,
        max(fetched_at) as last_fetched_at,
        max(fetched_at) filter (where fetch_status in ('ok', 'not_modified'))
            as last_successful_fetch_at,
        count(*) as fetch_count,
        count(*) filter (where fetch_status = 'error') as error_count
    from fetches
    group by source_id
),

article_summary as (
    select
        source_id,
        count(distinct article_id) as article_count,
        count(*) as article_version_count,
        max(published_at) as last_published_at
    from articles
    group by source_id
),

source_ids as (
    select source_id from fetch_summary
    union
    select source_id from article_summary
),

final as (
    select
        source_ids.source_id,
        fetch_summary.first_fetched_at,
        fetch_summary.last_fetched_at,
        fetch_summary.last_successful_fetch_at,
        coalesce(fetch_summary.fetch_count, 0) as fetch_count,
        coalesce(fetch_summary.error_count, 0) as error_count,
        coalesce(article_summary.article_count, 0) as article_count,
        coalesce(article_summary.article_version_count, 0) as article_version_count,
        article_summary.last_published_at
    from source_ids
    left join fetch_summary on source_ids.source_id = fetch_summary.source_id
    left join article_summary on source_ids.source_id = article_summary.source_id
)

select * from final
