{#-
    The position of a value in an ordered list (0 = first = preferred); values not in the
    list sort last. Used to prefer the most precise date or place among several reports.
-#}
{% macro precision_rank(column, ordered_values) -%}
    case {{ column }}
    {%- for value in ordered_values %}
        when '{{ value }}' then {{ loop.index0 }}
    {%- endfor %}
        else {{ ordered_values | length }}
    end
{%- endmacro %}
