{#-
  c360.canonical_id(id_type_expr, id_value_expr) -> the stable customer id of a cluster, computed
  from its oldest identifier: md5 hex of id_type || ':' || id_value (dbt.hash). Deterministic
  across rebuilds and adapters (docs/decisions/0002).
-#}
{% macro canonical_id(id_type_expr, id_value_expr) -%}
    {{ return(adapter.dispatch('canonical_id', 'c360')(id_type_expr, id_value_expr)) }}
{%- endmacro %}

{% macro default__canonical_id(id_type_expr, id_value_expr) -%}
    {{ dbt.hash(dbt.concat([
        "cast(" ~ id_type_expr ~ " as " ~ dbt.type_string() ~ ")",
        "':'",
        "cast(" ~ id_value_expr ~ " as " ~ dbt.type_string() ~ ")",
    ])) }}
{%- endmacro %}
