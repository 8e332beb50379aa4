-- How many mention pairs event resolution compares: incident mentions, countries, the
-- largest country, all same-country pairs, and the candidates int_mention_pairs__compatible
-- computes a distance for (same country, overlapping dates, compatible types, different
-- articles, before any place test).
with

incidents as (
    select * from intermediate.int_event_mentions__current
    where
        mention_kind = 'incident'
        and country_code is not null
        and start_date is not null
),

per_country as (
    select
        country_code,
        count(*) as mention_count
    from incidents
    group by country_code
),

compatibility_seed as (
    select * from seeds.attack_type_compatibility
),

compatible_types as (
    select attack_type_a, attack_type_b from compatibility_seed
    union
    select attack_type_b, attack_type_a from compatibility_seed
    union
    select distinct
        coalesce(attack_type, 'other'),
        coalesce(attack_type, 'other')
    from incidents
),

candidates as (
    select count(*) as candidate_count
    from incidents as later
    inner join incidents as earlier
        on
            later.anchor_rank > earlier.anchor_rank
            and later.article_id <> earlier.article_id
            and later.country_code = earlier.country_code
            and later.start_date <= coalesce(earlier.end_date, earlier.start_date)
            and coalesce(later.end_date, later.start_date) >= earlier.start_date
    inner join compatible_types
        on
            coalesce(earlier.attack_type, 'other') = compatible_types.attack_type_a
            and coalesce(later.attack_type, 'other') = compatible_types.attack_type_b
)

select
    (select count(*) from incidents) as incidents,
    (select count(*) from per_country) as countries,
    (select max(mention_count) from per_country) as max_per_country,
    (select sum(mention_count * (mention_count - 1) // 2) from per_country) as same_country_pairs,
    (select candidate_count from candidates) as candidates
