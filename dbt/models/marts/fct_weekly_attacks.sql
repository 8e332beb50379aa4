{#-
    Attacks and casualties per ISO week x country x attack type. An attack counts in the
    ISO week of its start_date; one dated less precisely than a week ("in October") counts
    in the week its interval starts and is also in imprecise_date_attack_count. Attacks
    with no date or no country form rows with a null week or country, so the rows add up
    to fct_attacks. Casualty sums add each attack's best figure where it is known; an
    attack with no stated figure adds nothing (unknown, not zero).
-#}
with

attacks as (
    select * from {{ ref('fct_attacks') }}
),

weekly as (
    select
        {{ iso_week_columns('start_date') }},
        country_code,
        attack_type,
        count(*) as attack_count,
        count(*) filter (where date_precision not in ('day', 'week')) as imprecise_date_attack_count,
        count(*) filter (where is_background_only) as background_only_attack_count,
        count(killed_best) as killed_known_attack_count,
        sum(killed_best) as killed_best_sum,
        count(wounded_best) as wounded_known_attack_count,
        sum(wounded_best) as wounded_best_sum
    from attacks
    group by all
),

final as (
    select
        {{ hash_id('weekly_attacks', ['week_start_date', 'country_code', 'attack_type']) }}
            as weekly_attacks_id,
        week_start_date,
        iso_year,
        iso_week,
        country_code,
        attack_type,
        attack_count,
        imprecise_date_attack_count,
        background_only_attack_count,
        killed_known_attack_count,
        cast(killed_best_sum as bigint) as killed_best_sum,
        wounded_known_attack_count,
        cast(wounded_best_sum as bigint) as wounded_best_sum
    from weekly
)

select * from final
