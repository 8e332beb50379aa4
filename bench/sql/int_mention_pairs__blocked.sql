-- int_mention_pairs__compatible rewritten with date blocking (a proposal; the model in dbt/
-- is unchanged). The model joins mentions on country and then tests the date intervals,
-- so every pair of mentions in one country is compared: the work grows with the square of
-- a country's whole history. Here each mention is listed once per week its date interval
-- touches, and mentions are joined on (country, week) as well: only mentions whose
-- intervals can overlap meet. A pair whose intervals share several weeks meets in each;
-- it is kept in the week where the overlap begins, so every pair appears once. The tests
-- on dates, types, articles and places are the model's own, so the result is the same.
with

incidents as (
    select * from intermediate.int_event_mentions__current
    where
        mention_kind = 'incident'
        and country_code is not null
        and start_date is not null
),

incident_weeks as (
    select
        incidents.*,
        cast(weeks.week_start as date) as week_start
    from incidents
    cross join unnest(generate_series(
        cast(date_trunc('week', incidents.start_date) as timestamp),
        cast(date_trunc('week', greatest(
            coalesce(incidents.end_date, incidents.start_date), incidents.start_date
        )) as timestamp),
        interval 7 day
    )) as weeks (week_start)
),

compatibility_seed as (
    select * from seeds.attack_type_compatibility
),

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
                then 2 * 6371.0 * asin(sqrt(
                    pow(sin(radians(earlier.latitude - later.latitude) / 2), 2)
                    + cos(radians(later.latitude)) * cos(radians(earlier.latitude))
                    * pow(sin(radians(earlier.longitude - later.longitude) / 2), 2)
                ))
        end as distance_km
    from incident_weeks as later
    inner join incident_weeks as earlier
        on
            later.country_code = earlier.country_code
            and later.week_start = earlier.week_start
            and later.week_start = date_trunc('week', greatest(later.start_date, earlier.start_date))
            and later.anchor_rank > earlier.anchor_rank
            and later.article_id <> earlier.article_id
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
        or distance_km <= 25
)

select * from final
