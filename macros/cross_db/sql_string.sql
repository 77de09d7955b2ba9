{#-
  c360.sql_string(s) -> a SQL string literal for the Jinja value `s`.

  Single quotes are doubled ('it''s'); backslashes pass through unchanged (standard SQL strings, as
  in DuckDB and Postgres with standard_conforming_strings). `none` renders as `null`.
  Adapters whose string literals treat backslash as an escape (BigQuery, Spark, Snowflake) add an
  `<adapter>__sql_string` that also doubles backslashes.
-#}
{% macro sql_string(s) -%}
    {{ return(adapter.dispatch('sql_string', 'c360')(s)) }}
{%- endmacro %}

{% macro default__sql_string(s) -%}
    {%- if s is none -%}
        null
    {%- elif s is mapping or (s is iterable and s is not string) -%}
        {{ exceptions.raise_compiler_error("c360.sql_string: expected a string, got " ~ s) }}
    {%- else -%}
        '{{ (s | string).replace("'", "''") }}'
    {%- endif -%}
{%- endmacro %}
