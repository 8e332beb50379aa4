with

source as (
    select * from {{ source('raw', 'attributions') }}
),

final as (
    select
        attribution_id,
        mention_id,
        article_id,
        article_version,
        extractor_version,
        extracted_at,
        statement_index,
        attribution_type,
        actor as actor_name,
        stated_by as stated_by_name
    from source
)

select * from final
