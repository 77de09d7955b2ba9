{#-
  c360.normalize_trim(expr) -> trim(expr) as a string; an empty result becomes null.
-#}
{% macro normalize_trim(expr) -%}
    {{ return(adapter.dispatch('normalize_trim', 'c360')(expr)) }}
{%- endmacro %}

{% macro default__normalize_trim(expr) -%}
    nullif(trim(cast({{ expr }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
