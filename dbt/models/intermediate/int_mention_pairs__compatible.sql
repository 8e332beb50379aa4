with

incidents as (
    select * from {{ ref('int_event_mentions__current') }}
    where
        mention_kind = 'incident'
        and country_code is not null
        and start_date is not null
),

compatibility_seed as (
    select * from {{ ref('attack_type_compatibility') }}
),

-- Types are compatible when equal or listed as a pair, in either order.
compatible_types as (
    select
        attack_type_a,
        attack_type_b
    from compatibility_seed
    union
    select
        attack_type_b as attack_type_a,
        attack_type_a as attack_type_b
    from compatibility_seed
    union
    select distinct
        coalesce(attack_type, 'other') as attack_type_a,
        coalesce(attack_type, 'other') as attack_type_b
    from incidents
),

candidates as (
    select
        later.mention_id,
        earlier.mention_id as candidate_mention_id,
        earlier.anchor_rank as candidate_anchor_rank,
        earlier.is_background as is_candidate_background,
        lower(trim(later.place_name)) = lower(trim(earlier.place_name)) as is_same_place_name,
        case
            when
                later.location_precision in ('site', 'city')
                and earlier.location_precision in ('site', 'city')
                then {{ haversine_km('later.latitude', 'later.longitude', 'earlier.latitude', 'earlier.longitude') }}
        end as distance_km
    from incidents as later
    inner join incidents as earlier
        on
            later.anchor_rank > earlier.anchor_rank
            -- One article never reports one incident as two records.
            and later.article_id <> earlier.article_id
            and later.country_code = earlier.country_code
            -- The date intervals overlap.
            and later.start_date <= coalesce(earlier.end_date, earlier.start_date)
            and coalesce(later.end_date, later.start_date) >= earlier.start_date
    inner join compatible_types
        on
            coalesce(earlier.attack_type, 'other') = compatible_types.attack_type_a
            and coalesce(later.attack_type, 'other') = compatible_types.attack_type_b
),

final as (
    select
        mention_id,
        candidate_mention_id,
        candidate_anchor_rank,
        is_candidate_background,
        case
            when is_same_place_name then 'same_place_name'
            else 'within_distance'
        end as match_rule,
        distance_km
    from candidates
    where
        coalesce(is_same_place_name, false)
        or distance_km <= {{ var('merge_distance_km') }}
)

select * from final
