with

source as (
    select * from {{ source('raw', 'articles') }}
),

final as (
    select
        article_id,
        article_version,
        source as source_id,
        entry_id,
        url as article_url,
        title as article_title,
        summary as article_summary,
        text as article_text,
        text_origin,
        text_fallback_reason,
        published_at,
        is_published_at_fallback,
        language as language_code,
        fetched_at,
        fetch_date,
        feed_payload_sha256,
        page_payload_sha256,
        page_text_engine
    from source
)

select * from final
