with

source as (
    select * from {{ source('raw', 'casualty_figures') }}
),

final as (
    select
        figure_id,
        mention_id,
        article_id,
        article_version,
        extractor_version,
        extracted_at,
        figure_scope,
        group_index,
        casualty_status,
        victim_group,
        coalesce(is_perpetrator, false) as is_perpetrator,
        upper(nationality) as nationality_code,
        low as low_count,
        high as high_count,
        qualifier
    from source
)

select * from final
