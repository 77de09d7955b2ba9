{#-
  c360.normalize_email(expr) -> lower(trim(expr)) as a string. No provider-specific rewriting
  (dots and +tags are kept): two spellings of one mailbox stay two identifiers.
-#}
{% macro normalize_email(expr) -%}
    {{ return(adapter.dispatch('normalize_email', 'c360')(expr)) }}
{%- endmacro %}

{% macro default__normalize_email(expr) -%}
    lower(trim(cast({{ expr }} as {{ dbt.type_string() }})))
{%- endmacro %}
