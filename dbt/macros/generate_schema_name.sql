{#-
    Schemas are named exactly as configured (staging, intermediate, marts, seeds, snapshots),
    not prefixed with the target schema ("main_staging"), so analysts' SQL does not depend on
    the dbt target.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
