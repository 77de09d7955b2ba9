{#-
  c360.regex_replace_all(expr, pattern_sql, replacement_sql) -> `expr` with every match of the
  regular expression replaced. Both pattern and replacement are SQL expressions (string literals).
-#}
{% macro regex_replace_all(expr, pattern_sql, replacement_sql) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'c360')(expr, pattern_sql, replacement_sql)) }}
{%- endmacro %}

{% macro default__regex_replace_all(expr, pattern_sql, replacement_sql) -%}
    {{ exceptions.raise_compiler_error("c360.regex_replace_all: not supported on adapter '" ~ adapter.type() ~ "' yet (add a " ~ adapter.type() ~ "__regex_replace_all macro)") }}
{%- endmacro %}

{% macro duckdb__regex_replace_all(expr, pattern_sql, replacement_sql) -%}
    regexp_replace({{ expr }}, {{ pattern_sql }}, {{ replacement_sql }}, 'g')
{%- endmacro %}

{% macro postgres__regex_replace_all(expr, pattern_sql, replacement_sql) -%}
    regexp_replace({{ expr }}, {{ pattern_sql }}, {{ replacement_sql }}, 'g')
{%- endmacro %}
