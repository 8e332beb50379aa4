{#-
    Passes when no two rows share the same values in all of the given columns: the grain
    test for tables keyed by several columns.
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    with grouped as (
        select
            {{ combination_of_columns | join(', ') }},
            count(*) as n_rows
        from {{ model }}
        group by {{ combination_of_columns | join(', ') }}
    ),

    final as (
        select * from grouped
        where n_rows > 1
    )

    select * from final
{% endtest %}
