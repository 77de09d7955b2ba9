{#-
  c360.round_hash(node_expr, round_number) -> a per-round pseudo-random, orderable value for a
  BIGINT node id, used by c360_connected_components to pick representatives. Only its order
  matters (ties are broken by the node id), so different adapters may use different functions.
-#}
{% macro round_hash(node_expr, round_number) -%}
    {{ return(adapter.dispatch('round_hash', 'c360')(node_expr, round_number)) }}
{%- endmacro %}

{% macro default__round_hash(node_expr, round_number) -%}
    {{ dbt.hash(dbt.concat(["cast(" ~ node_expr ~ " as " ~ dbt.type_string() ~ ")", "':" ~ (round_number | int) ~ "'"])) }}
{%- endmacro %}

{% macro duckdb__round_hash(node_expr, round_number) -%}
    hash({{ node_expr }}, {{ round_number | int }})
{%- endmacro %}
