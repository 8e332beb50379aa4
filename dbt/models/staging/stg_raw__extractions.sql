with

source as (
    select * from {{ source('raw', 'extractions') }}
),

final as (
    select
        article_id,
        article_version,
        extractor_version,
        extracted_at,
        status as extraction_status,
        record_count,
        error as error_message
    from source
)

select * from final
