{#-
  c360.cte_inlined() -> the keyword that makes a CTE referenced twice part of each query that uses
  it rather than a table computed once: `not materialized` on PostgreSQL (12+), nothing elsewhere.
  PostgreSQL materializes such a CTE and then plans the joins on it without the statistics of the
  table it reads: the edges' full build joined the pairs to the whole dictionary twice through
  merge joins sized for 1.7 billion rows, with external sorts (1.1M edges: 8.4 s; inlined, hash
  joins: 4.5 s). Only where the CTE reads a whole table: on a small filtered set (an incremental
  run's newest rows) the materialized CTE plans better. Usage: `name as {{ c360.cte_inlined() }} (`.
-#}
{% macro cte_inlined() -%}
    {{ return(adapter.dispatch('cte_inlined', 'c360')()) }}
{%- endmacro %}

{% macro default__cte_inlined() -%}
{%- endmacro %}

{% macro postgres__cte_inlined() -%}
    not materialized
{%- endmacro %}
