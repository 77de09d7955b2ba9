{#-
  c360.run_timestamp() -> a SQL timestamp literal of dbt's run_started_at (UTC, microseconds, no
  time zone). Every model of one dbt invocation gets the same value, so tables can record which
  run last wrote a row (`updated_at`) and later runs can read only what is newer.
-#}
{% macro run_timestamp() -%}
    {{ return(adapter.dispatch('run_timestamp', 'c360')()) }}
{%- endmacro %}

{% macro default__run_timestamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
