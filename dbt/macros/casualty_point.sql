{#-
    One report's single best number for a figure given as low / high / qualifier:
    "at most 10" -> 10; open-ended "at least 12" (no high) -> 12; a range "10 to 14" -> 12;
    an exact or approximate figure -> that figure.
-#}
{% macro casualty_point(low, high, qualifier) -%}
    case
        when {{ low }} is null then {{ high }}
        when {{ qualifier }} = 'at_most' then coalesce({{ high }}, {{ low }})
        when {{ high }} is null then {{ low }}
        else cast(floor(({{ low }} + {{ high }}) / 2) as bigint)
    end
{%- endmacro %}
