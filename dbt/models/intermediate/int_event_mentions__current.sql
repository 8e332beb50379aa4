with

extractions as (
    select * from {{ ref('stg_raw__extractions') }}
    where extraction_status = 'ok'
),

articles as (
    select * from {{ ref('stg_raw__articles') }}
),

mentions as (
    select * from {{ ref('stg_raw__event_mentions') }}
),

-- Each extractor release re-reads articles, so one article version can have several
-- extractions; the newest extractor version (numeric order: 0.10 after 0.9) wins. A newest
-- extraction that found nothing still wins: it retracts what older versions found.
newest_extraction as (
    select
        article_id,
        article_version,
        extractor_version
    from extractions
    qualify row_number() over (
        partition by article_id, article_version
        order by {{ version_sort_key('extractor_version') }} desc, extracted_at desc
    ) = 1
),

-- An article whose text changed has several versions; the one fetched last (among those
-- extracted) is what the outlet says now.
current_version as (
    select
        newest_extraction.article_id,
        newest_extraction.article_version,
        newest_extraction.extractor_version,
        articles.source_id,
        articles.article_url,
        articles.article_title,
        articles.published_at,
        articles.fetched_at
    from newest_extraction
    inner join articles
        on
            newest_extraction.article_id = articles.article_id
            and newest_extraction.article_version = articles.article_version
    qualify row_number() over (
        partition by newest_extraction.article_id
        order by articles.fetched_at desc, articles.published_at desc, articles.article_version desc
    ) = 1
),

joined as (
    select
        mentions.*,
        current_version.source_id,
        current_version.article_url,
        current_version.article_title,
        coalesce(current_version.published_at, current_version.fetched_at)
            as article_published_at,
        current_version.fetched_at as article_fetched_at
    from mentions
    inner join current_version
        on
            mentions.article_id = current_version.article_id
            and mentions.article_version = current_version.article_version
            and mentions.extractor_version = current_version.extractor_version
),

final as (
    select
        *,
        -- The order in which mentions may anchor an event: the article's news before
        -- background mentions, then whoever reported first.
        row_number() over (
            order by
                is_background,
                article_published_at,
                article_fetched_at,
                article_id,
                record_index,
                mention_id
        ) as anchor_rank
    from joined
)

select * from final
