{#-
    Share of attacks claimed, blamed or unattributed per ISO week x country, by the
    attacks' attribution_class (fct_attacks): claimed when any report carries a claim of
    responsibility; otherwise blamed when a perpetrator is named by others (a blame or
    suspicion statement, or a perpetrator the report names as blamed, suspected or
    stated); otherwise unattributed. The three counts add up to attack_count. Weeks as in
    fct_weekly_attacks.
-#}
with

attacks as (
    select * from {{ ref('fct_attacks') }}
),

weekly as (
    select
        {{ iso_week_columns('start_date') }},
        country_code,
        count(*) as attack_count,
        count(*) filter (where attribution_class = 'claimed') as claimed_attack_count,
        count(*) filter (where attribution_class = 'blamed') as blamed_attack_count,
        count(*) filter (where attribution_class = 'unattributed') as unattributed_attack_count
    from attacks
    group by all
),

final as (
    select
        {{ hash_id('weekly_attribution_shares', ['week_start_date', 'country_code']) }}
            as weekly_attribution_shares_id,
        week_start_date,
        iso_year,
        iso_week,
        country_code,
        attack_count,
        claimed_attack_count,
        blamed_attack_count,
        unattributed_attack_count,
        round(claimed_attack_count / attack_count, 4) as claimed_share,
        round(blamed_attack_count / attack_count, 4) as blamed_share,
        round(unattributed_attack_count / attack_count, 4) as unattributed_share
    from weekly
)

select * from final
