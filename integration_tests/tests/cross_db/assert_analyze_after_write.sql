-- c360.analyze_after_write(): `analyze <this>` on PostgreSQL, nothing elsewhere (DuckDB keeps its
-- statistics as it writes). Rows are failures.
{%- set model_relation = ref('test_analyze_after_write') %}
{%- set expected = ('analyze ' ~ model_relation) if target.type == 'postgres' else '' %}
select rendered
from {{ model_relation }}
where rendered <> {{ c360.sql_string(expected) }}
