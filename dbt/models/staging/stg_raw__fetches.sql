with

source as (
    select * from {{ source('raw', 'fetches') }}
),

final as (
    select
        fetch_id,
        fetch_date,
        source as source_id,
        kind as fetch_kind,
        url,
        fetched_at,
        status as fetch_status,
        cast(http_status as integer) as http_status,
        payload_sha256,
        payload_bytes,
        content_type,
        error as error_message
    from source
)

select * from final
