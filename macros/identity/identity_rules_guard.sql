{#-
  The identity rules guard: incremental identity runs only ever merge clusters, so a change to the
  rules that decide which identifiers may stitch (vars.c360_identity_rules, fingerprints written by
  c360-gen: `id_types` and one per input) needs a full rebuild, or stale merges stay. The project
  itself enforces that, so a scheduled `dbt build` after a regeneration cannot run on old merges.

  c360.create_identity_rules_table()
      on-run-start: creates <target schema>.c360_identity_rules (model, rules, recorded_at) if
      missing, once per run (models then only delete and insert their own row).
  c360.identity_rules_guard(rebuild_selector)
      pre-hook of every incremental identity model (runs inside the model's transaction, so what it
      records commits or rolls back with the model):
      - a full build (first build, --full-refresh, or a materialization that rebuilds) records the
        current rules for the model;
      - an incremental run compares the recorded rules with the current ones: id type rules that
        changed, or an input that was removed or changed, raise an error that names the change and
        says `dbt build --full-refresh --select <rebuild_selector>`; the model's table is untouched.
        A new input only adds links: the new rules are recorded and the run goes on. No recorded
        rules yet (a project built before the guard): the current ones are recorded.
-#}
{% macro create_identity_rules_table() -%}
    {{ return(adapter.dispatch('create_identity_rules_table', 'c360')()) }}
{%- endmacro %}

{% macro default__create_identity_rules_table() -%}
    {%- set relation = c360._identity_rules_relation() -%}
    create schema if not exists {{ adapter.quote(relation.schema) }};
    create table if not exists {{ relation }} (
        model {{ dbt.type_string() }},
        rules {{ dbt.type_string() }},
        recorded_at {{ dbt.type_timestamp() }}
    )
{%- endmacro %}

{% macro identity_rules_guard(rebuild_selector) -%}
    {{ return(adapter.dispatch('identity_rules_guard', 'c360')(rebuild_selector)) }}
{%- endmacro %}

{% macro default__identity_rules_guard(rebuild_selector) -%}
    {%- if rebuild_selector is not string or rebuild_selector | length == 0 -%}
        {{ exceptions.raise_compiler_error("c360.identity_rules_guard: rebuild_selector must be a dbt selector string, got " ~ rebuild_selector) }}
    {%- endif -%}
    {%- set current = var('c360_identity_rules', none) -%}
    {%- if not execute or current is none -%}
        select 1 as c360_identity_rules_unchecked
    {%- else -%}
        {%- set state = c360._identity_rules_relation() -%}
        {%- set recorded = none -%}
        {%- if c360._identity_rules_incremental() -%}
            {%- set found = run_query("select rules from " ~ state ~ " where model = " ~ c360.sql_string(this.identifier) ~ " order by recorded_at desc") -%}
            {%- if found is not none and found.rows | length > 0 -%}
                {%- set recorded = fromjson(found.columns[0].values()[0]) -%}
            {%- endif -%}
        {%- endif -%}
        {%- if recorded is not none -%}
            {%- set changes = c360._identity_rules_splitting_changes(recorded, current) -%}
            {%- if changes | length > 0 -%}
                {{ exceptions.raise_compiler_error(
                    "c360: " ~ this.identifier ~ " was built with other identity rules: " ~ changes | join('; ')
                    ~ ". Incremental runs only merge clusters, so merges the new rules forbid would stay."
                    ~ " Nothing was changed. Rebuild the identity models: dbt build --full-refresh --select " ~ rebuild_selector) }}
            {%- endif -%}
        {%- endif -%}
        {%- if recorded is not none and tojson(recorded, sort_keys=true) == tojson(current, sort_keys=true) -%}
            select 1 as c360_identity_rules_unchanged
        {%- else -%}
            delete from {{ state }} where model = {{ c360.sql_string(this.identifier) }};
            insert into {{ state }} (model, rules, recorded_at)
            values ({{ c360.sql_string(this.identifier) }}, {{ c360.sql_string(tojson(current, sort_keys=true)) }}, {{ c360.run_timestamp() }})
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- private: the state table, in the target schema -#}
{% macro _identity_rules_relation() -%}
    {{ return(api.Relation.create(database=target.database, schema=target.schema, identifier='c360_identity_rules', type='table')) }}
{%- endmacro %}

{#- private: will the current model add to its existing table (not rebuild it)? -#}
{% macro _identity_rules_incremental() -%}
    {%- set existing = adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier) -%}
    {%- if existing is none or existing.type != 'table' or should_full_refresh() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set materialized = config.get('materialized') -%}
    {%- if materialized == 'incremental' -%}
        {{ return(true) }}
    {%- elif materialized == 'c360_connected_components' -%}
        {{ return(config.get('incremental', true) is sameas true) }}
    {%- endif -%}
    {{ return(false) }}
{%- endmacro %}

{#- private: the rule changes that can split clusters, in words (c360-gen's rulesThatCanSplit) -#}
{% macro _identity_rules_splitting_changes(before, after) -%}
    {%- set changes = [] -%}
    {%- if before.get('id_types') != after.get('id_types') -%}
        {%- do changes.append('id type rules changed (normalisation, junk, exclusions, limits or guards)') -%}
    {%- endif -%}
    {%- set after_inputs = after.get('inputs') or {} -%}
    {%- for input, fingerprint in (before.get('inputs') or {}).items() | sort -%}
        {%- if input not in after_inputs -%}
            {%- do changes.append('input ' ~ input ~ ' was removed') -%}
        {%- elif after_inputs[input] != fingerprint -%}
            {%- do changes.append('input ' ~ input ~ ' changed its ids, where or relation') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(changes) }}
{%- endmacro %}
