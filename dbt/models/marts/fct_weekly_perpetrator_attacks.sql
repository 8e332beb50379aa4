{#-
    Attacks and casualties per ISO week x country x perpetrator: the attack's resolved
    perpetrator (fct_attacks: the strongest named one), under its canonical name when the
    actors seed knows it. Attacks with no named perpetrator form the row whose perpetrator
    is null, so the rows add up to fct_attacks. Per-statement detail (every claim, blame,
    suspicion and denial) is in fct_attributions; weeks as in fct_weekly_attacks.
-#}
with

attacks as (
    select * from {{ ref('fct_attacks') }}
),

actors as (
    select * from {{ ref('dim_actors') }}
),

named as (
    select
        attacks.*,
        coalesce(actors.canonical_name, attacks.perpetrator_name) as perpetrator_display_name
    from attacks
    left join actors
        on attacks.perpetrator_actor_id = actors.actor_id
),

weekly as (
    select
        {{ iso_week_columns('start_date') }},
        country_code,
        perpetrator_actor_id,
        perpetrator_display_name as perpetrator_name,
        count(*) as attack_count,
        count(*) filter (where perpetrator_status = 'claimed') as claimed_attack_count,
        count(*) filter (where perpetrator_status = 'stated') as stated_attack_count,
        count(*) filter (where perpetrator_status = 'blamed') as blamed_attack_count,
        count(*) filter (where perpetrator_status = 'suspected') as suspected_attack_count,
        count(killed_best) as killed_known_attack_count,
        sum(killed_best) as killed_best_sum,
        count(wounded_best) as wounded_known_attack_count,
        sum(wounded_best) as wounded_best_sum
    from named
    group by all
),

final as (
    select
        {{ hash_id('weekly_perpetrator_attacks', [
            'week_start_date',
            'country_code',
            'perpetrator_actor_id',
            'perpetrator_name',
        ]) }} as weekly_perpetrator_attacks_id,
        week_start_date,
        iso_year,
        iso_week,
        country_code,
        perpetrator_actor_id,
        perpetrator_name,
        attack_count,
        claimed_attack_count,
        stated_attack_count,
        blamed_attack_count,
        suspected_attack_count,
        killed_known_attack_count,
        cast(killed_best_sum as bigint) as killed_best_sum,
        wounded_known_attack_count,
        cast(wounded_best_sum as bigint) as wounded_best_sum
    from weekly
)

select * from final
