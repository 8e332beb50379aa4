{#-
    The warehouse-observed history of each attack's toll and attribution: a new version
    whenever a build changes one of the check_cols (see _snapshots.yml); an attack that
    leaves fct_attacks is closed (dbt_valid_to set), never deleted.
-#}
{% snapshot snap_attacks %}

with

attacks as (
    select * from {{ ref('fct_attacks') }}
),

final as (
    select
        event_id,
        start_date,
        country_code,
        place_name,
        attack_type,
        killed_low,
        killed_best,
        killed_high,
        wounded_low,
        wounded_best,
        wounded_high,
        perpetrator_name,
        perpetrator_status,
        claimed_by,
        blamed_on,
        attribution_class,
        mention_count,
        source_count,
        last_reported_at,
        anchor_mention_id
    from attacks
)

select * from final

{% endsnapshot %}
