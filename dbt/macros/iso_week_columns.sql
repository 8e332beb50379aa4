{#-
    The ISO week a date falls in, as the weekly marts key it: the Monday that starts it,
    the ISO year and the ISO week number (all null for a null date).
-#}
{% macro iso_week_columns(column) -%}
    cast(date_trunc('week', {{ column }}) as date) as week_start_date,
        cast(isoyear({{ column }}) as integer) as iso_year,
        cast(weekofyear({{ column }}) as integer) as iso_week
{%- endmacro %}
