{#-
    The warehouse-observed history of attribution statements: a statement's first version
    says when a build first saw the claim or blame; a statement no build finds any more is
    closed (dbt_valid_to set).
-#}
{% snapshot snap_attributions %}

with

attributions as (
    select * from {{ ref('fct_attributions') }}
),

final as (
    select
        attribution_id,
        event_id,
        attribution_type,
        actor_name,
        actor_id,
        stated_by_name,
        stated_by_actor_id,
        first_reported_at
    from attributions
)

select * from final

{% endsnapshot %}
