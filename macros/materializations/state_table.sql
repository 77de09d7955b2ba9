{#-
  materialized='c360_state_table'

  A table that keeps state written by other models' hooks (int_<entity>__identity_rules: the
  stitching rules each identity model was built with). The model selects the table's columns
  (usually `select cast(null as ...) as ... where 1 = 0`). The materialization
    - creates the table from the model's SQL when it does not exist;
    - otherwise keeps it and its rows, also under --full-refresh (a full refresh must not forget
      the state), and adds the columns the model selects that the table lacks (a table built by
      an older c360), like on_schema_change='append_new_columns';
    - raises when a view or another non-table object has the name.
  An existing table costs two metadata queries per run, where an incremental model would build and
  insert an empty temporary table every run.
-#}
{% materialization c360_state_table, default %}

    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set grant_config = config.get('grants') -%}

    {%- if existing_relation is not none and existing_relation.type != 'table' -%}
        {{ exceptions.raise_compiler_error(
            "c360: " ~ this ~ " is a " ~ existing_relation.type ~ ", but this model keeps state in a table.\n"
            ~ "  fix: drop it (drop " ~ existing_relation.type ~ " " ~ existing_relation ~ ") and run dbt build again") }}
    {%- endif -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- if existing_relation is none -%}
        {% call statement('main') -%}
            {{ get_create_table_as_sql(False, target_relation, sql) }}
        {%- endcall %}
    {%- else -%}
        {#- the model's column names, without reading or writing rows -#}
        {% call statement('main', fetch_result=True) -%}
            select * from (
                {{ sql }}
            ) as model_sql
            where 1 = 0
        {%- endcall %}
        {%- set wanted = load_result('main')['table'].column_names -%}
        {%- set have = adapter.get_columns_in_relation(existing_relation) | map(attribute='name') | map('lower') | list -%}
        {%- set missing = [] -%}
        {%- for name in wanted if name | lower not in have -%}
            {%- do missing.append(name | lower) -%}
        {%- endfor -%}
        {%- if missing | length > 0 -%}
            {#- the missing columns with their types: from an empty temporary copy of the model -#}
            {%- set tmp_relation = make_temp_relation(target_relation) -%}
            {% call statement('c360_state_table_columns') -%}
                {{ get_create_table_as_sql(True, tmp_relation, 'select * from (' ~ sql ~ ') as model_sql where 1 = 0') }}
            {%- endcall %}
            {%- set add_columns = [] -%}
            {%- for column in adapter.get_columns_in_relation(tmp_relation) if column.name | lower in missing -%}
                {%- do add_columns.append(column) -%}
            {%- endfor -%}
            {{ log("c360: " ~ this.identifier ~ ": adding columns " ~ missing | join(', '), info=True) }}
            {% do alter_relation_add_remove_columns(existing_relation, add_columns, none) %}
            {% do drop_relation_if_exists(tmp_relation) %}
        {%- endif -%}
    {%- endif -%}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke(existing_relation, full_refresh_mode=False)) %}
    {% do persist_docs(target_relation, model) %}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}
