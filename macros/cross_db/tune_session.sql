{#-
  c360.tune_session() -> a pre-hook (the generated dbt_project.yml puts it on every identity,
  feature and mart model): session settings the models run best with, where the warehouse needs
  any. PostgreSQL: no JIT compilation (`set jit = off`). The models are a few large joins, group-bys
  and sorts whose row estimates run far high on intermediate results (CTE scans, unions), so every
  statement crosses jit_above_cost and PostgreSQL spends 0.3-1.2 s compiling each one, more than
  the compiled code saves on this kind of plan (docs/decisions/0011-postgres-no-jit.md). A session
  setting, not `set local`: the connected-components materialization commits between its
  statements, and dbt reuses the connection for the next model anyway. Elsewhere: nothing, and dbt
  skips an empty hook.
-#}
{% macro tune_session() -%}
    {{ return(adapter.dispatch('tune_session', 'c360')()) }}
{%- endmacro %}

{% macro default__tune_session() -%}
{%- endmacro %}

{% macro postgres__tune_session() -%}
    set jit = off
{%- endmacro %}
