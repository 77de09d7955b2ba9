{#-
  c360.regex_matches(expr, pattern_sql) -> a boolean SQL expression: true when the string `expr`
  contains a match of the regular expression `pattern_sql` anywhere (partial-match semantics; anchor
  with ^ and $ to match the whole value). `pattern_sql` is SQL, e.g. c360.sql_string('.*@x\.com$').
-#}
{% macro regex_matches(expr, pattern_sql) -%}
    {{ return(adapter.dispatch('regex_matches', 'c360')(expr, pattern_sql)) }}
{%- endmacro %}

{% macro default__regex_matches(expr, pattern_sql) -%}
    {{ exceptions.raise_compiler_error("c360.regex_matches: not supported on adapter '" ~ adapter.type() ~ "' yet (add a " ~ adapter.type() ~ "__regex_matches macro)") }}
{%- endmacro %}

{% macro duckdb__regex_matches(expr, pattern_sql) -%}
    regexp_matches({{ expr }}, {{ pattern_sql }})
{%- endmacro %}

{% macro postgres__regex_matches(expr, pattern_sql) -%}
    ({{ expr }} ~ {{ pattern_sql }})
{%- endmacro %}
