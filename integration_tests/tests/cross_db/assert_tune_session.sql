-- c360.tune_session(): `set jit = off` on PostgreSQL, and the model after the hook runs with JIT
-- off; nothing elsewhere. Rows are failures.
{%- set expected = 'set jit = off' if target.type == 'postgres' else '' %}
select rendered, jit
from {{ ref('test_tune_session') }}
where rendered <> {{ c360.sql_string(expected) }}
{%- if target.type == 'postgres' %}
    or jit is null or jit <> 'off'
{%- endif %}
