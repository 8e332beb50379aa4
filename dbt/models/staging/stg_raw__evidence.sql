with

source as (
    select * from {{ source('raw', 'evidence') }}
),

final as (
    select
        evidence_id,
        mention_id,
        article_id,
        article_version,
        extractor_version,
        extracted_at,
        evidence_index,
        field as evidence_field,
        start_offset,
        end_offset,
        is_span_valid,
        quote as quoted_text,
        sentence as sentence_text,
        sentence_start,
        sentence_end
    from source
)

select * from final
