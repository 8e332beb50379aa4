{#-
    A deterministic id from a prefix and some columns: md5 of the values joined by '|', with
    nulls written as '\N' so (null, 'a') and ('', 'a') differ. The prefix keeps ids of
    different entities apart even when built from the same columns.
-#}
{% macro hash_id(prefix, columns) -%}
    md5(concat_ws('|', '{{ prefix }}'
    {%- for column in columns -%}
        , coalesce(cast({{ column }} as varchar), '\N')
    {%- endfor -%}
    ))
{%- endmacro %}
