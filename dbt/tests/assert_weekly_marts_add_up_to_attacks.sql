-- The weekly marts partition fct_attacks: in each of them the attack counts and casualty
-- sums add up to fct_attacks' own, and the attribution classes add up to the attacks.
-- Reads several models; reported as an asset check on fct_weekly_attacks.
{{ config(meta={'dagster': {'ref': {'name': 'fct_weekly_attacks'}}}) }}

with

attacks as (
    select
        count(*) as attack_count,
        coalesce(sum(killed_best), 0) as killed_best_sum,
        coalesce(sum(wounded_best), 0) as wounded_best_sum
    from {{ ref('fct_attacks') }}
),

weekly_totals as (
    select
        'fct_weekly_attacks' as mart,
        coalesce(sum(attack_count), 0) as attack_count,
        coalesce(sum(killed_best_sum), 0) as killed_best_sum,
        coalesce(sum(wounded_best_sum), 0) as wounded_best_sum
    from {{ ref('fct_weekly_attacks') }}
    union all
    select
        'fct_weekly_perpetrator_attacks' as mart,
        coalesce(sum(attack_count), 0) as attack_count,
        coalesce(sum(killed_best_sum), 0) as killed_best_sum,
        coalesce(sum(wounded_best_sum), 0) as wounded_best_sum
    from {{ ref('fct_weekly_perpetrator_attacks') }}
),

share_totals as (
    select coalesce(sum(attack_count), 0) as attack_count
    from {{ ref('fct_weekly_attribution_shares') }}
),

unbalanced_shares as (
    select
        'fct_weekly_attribution_shares' as mart,
        attack_count,
        claimed_attack_count + blamed_attack_count + unattributed_attack_count as class_count
    from {{ ref('fct_weekly_attribution_shares') }}
    where claimed_attack_count + blamed_attack_count + unattributed_attack_count <> attack_count
),

final as (
    select
        weekly_totals.mart,
        weekly_totals.attack_count,
        attacks.attack_count as expected_attack_count
    from weekly_totals
    cross join attacks
    where
        weekly_totals.attack_count <> attacks.attack_count
        or weekly_totals.killed_best_sum <> attacks.killed_best_sum
        or weekly_totals.wounded_best_sum <> attacks.wounded_best_sum
    union all
    select
        'fct_weekly_attribution_shares' as mart,
        share_totals.attack_count,
        attacks.attack_count as expected_attack_count
    from share_totals
    cross join attacks
    where share_totals.attack_count <> attacks.attack_count
    union all
    select
        mart,
        attack_count,
        class_count as expected_attack_count
    from unbalanced_shares
)

select * from final
