{#-
  c360.analyze_after_write() -> a post-hook (the generated dbt_project.yml puts it on every
  identity, feature and mart model): fresh planner statistics for the table the model just wrote,
  where the warehouse needs them. PostgreSQL: an incremental run's new rows (a newer loaded_at or
  updated_at) lie beyond the histogram that autovacuum last took, so the next model's planner
  estimates them at one row and picks nested loops over whole tables; at 10M edges the incremental
  edges ran for more than 7 minutes instead of seconds (docs/decisions/0010-postgres-target.md).
  ANALYZE samples a fixed number of rows, and runs inside the model's transaction. Elsewhere
  (DuckDB keeps its statistics as it writes): nothing, and dbt skips an empty hook.
-#}
{% macro analyze_after_write() -%}
    {{ return(adapter.dispatch('analyze_after_write', 'c360')()) }}
{%- endmacro %}

{% macro default__analyze_after_write() -%}
{%- endmacro %}

{% macro postgres__analyze_after_write() -%}
    {%- if model.config.materialized not in ['view', 'ephemeral'] -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
