{#-
  Incremental strategy `c360_delete_insert` (config `incremental_strategy='c360_delete_insert'`,
  with `unique_key`): dbt's own delete+insert, the same rows, the same single transaction for the
  target table. dbt resolves a strategy name to the macro `get_incremental_<name>_sql`.

  DuckDB: the work table (the model's new rows, a temporary table dbt creates in the model's open
  transaction) is committed before the delete and the insert read it. DuckDB reads a table created
  in the reading transaction from that transaction's local storage, on one thread; committed, it is
  read in parallel. At 10M identifiers the id graph's delete+insert of a 1% delta (608k rows) takes
  0.27 s instead of 0.49 s (docs/decisions/0012-incremental-work-table-commit.md). Only the work
  table and the pre-hooks' reads are in the committed part: the delete, the insert and the
  post-hooks (which record the identity rules the table was built with) commit together, and a
  failure in any of them rolls all of them back, leaving the table as it was.
  Elsewhere: dbt's delete+insert as it is.
-#}
{% macro get_incremental_c360_delete_insert_sql(arg_dict) -%}
    {{ return(adapter.dispatch('incremental_delete_insert', 'c360')(arg_dict)) }}
{%- endmacro %}

{% macro default__incremental_delete_insert(arg_dict) -%}
    {{ return(get_incremental_delete_insert_sql(arg_dict)) }}
{%- endmacro %}

{% macro duckdb__incremental_delete_insert(arg_dict) -%}
commit;
begin transaction;
{{ get_incremental_delete_insert_sql(arg_dict) }}
{%- endmacro %}
