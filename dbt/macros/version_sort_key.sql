{#-
    A sortable key for a dotted version string: '0.10.2' -> [0, 10, 2], so 0.10 sorts after
    0.9 (as text it would not). Anything after the numeric part ('+dev', '-rc1') is ignored.
-#}
{% macro version_sort_key(column) -%}
    list_transform(
        string_split(regexp_extract({{ column }}, '^[0-9]+(\.[0-9]+)*'), '.'),
        lambda part: coalesce(try_cast(part as integer), 0)
    )
{%- endmacro %}
