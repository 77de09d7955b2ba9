{#-
  c360.check_id_rows(id_rows, rebuild=[], dictionary=none, state=none) -> '' (a pre-hook), or
  raises: stops an identity model that would read id rows by load time and lose some.

  id_rows:    relations of id rows tables (ref('int_<input>__ids'), or [this] in such a model):
              each row carries loaded_at, the run that wrote it (c360.run_timestamp()).
  rebuild:    dbt selectors for the upgrade fix in the error message (e.g. ['int_web__ids+']);
              empty means the whole project.
  dictionary: the identifiers table (ref('int_<entity>__identifiers')) when this model joins the id
              rows to it (the edges); none otherwise.
  state:      the relation c360.record_identity_rules writes (ref('int_<entity>__identity_rules')):
              its recorded_at for the dictionary is the dictionary's last run.

  Raises
  1. when the model runs incrementally (its table exists, no full refresh), or `dictionary` is set,
     and an existing `id_rows` table has no loaded_at column: it was built before id rows recorded
     their load (tables of older c360-gen versions). Only a full refresh rebuilds it, and links its
     old event-time watermark skipped are made only by rebuilding what reads it too;
  2. with `dictionary`: when an `id_rows` table has rows loaded after the dictionary last ran (its
     recorded_at in `state`; without a row there, its newest updated_at). Those rows' identifiers
     may not be in the dictionary yet, and their links would be lost for good: this model writes
     them with the current run, which moves its own load-time watermark past them. That happens
     only under a selection that runs the id rows and this model but not the dictionary in between.
  Raising in the pre-hook fails the model before it touches its table; dbt skips what is downstream.
  A dictionary that does not exist, or has neither a row in `state` nor rows, passes.
-#}
{% macro check_id_rows(id_rows, rebuild=[], dictionary=none, state=none) -%}
    {{ return(adapter.dispatch('check_id_rows', 'c360')(id_rows, rebuild, dictionary, state)) }}
{%- endmacro %}

{% macro default__check_id_rows(id_rows, rebuild=[], dictionary=none, state=none) -%}
    {%- if id_rows is none or id_rows is string or id_rows is mapping or id_rows is not iterable -%}
        {{ exceptions.raise_compiler_error("c360.check_id_rows: id_rows must be a list of relations (ref('int_<input>__ids')), got " ~ id_rows) }}
    {%- endif -%}
    {%- for r in id_rows if r is string or r.identifier is not defined -%}
        {{ exceptions.raise_compiler_error("c360.check_id_rows: id_rows must be a list of relations (ref('int_<input>__ids')), got " ~ r) }}
    {%- endfor -%}
    {%- if rebuild is none or rebuild is string or rebuild is mapping or rebuild is not iterable -%}
        {{ exceptions.raise_compiler_error("c360.check_id_rows: rebuild must be a list of dbt selectors, got " ~ rebuild) }}
    {%- endif -%}
    {%- for arg_name, arg in [('dictionary', dictionary), ('state', state)] if arg is not none and (arg is string or arg.identifier is not defined) -%}
        {{ exceptions.raise_compiler_error("c360.check_id_rows: " ~ arg_name ~ " must be a relation or none, got " ~ arg) }}
    {%- endfor -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}

    {%- set incremental = not should_full_refresh() and load_relation(this) is not none -%}
    {%- if not incremental and dictionary is none -%}
        {{ return('') }}
    {%- endif -%}

    {#- 1. every existing id rows table records the run that loaded each row -#}
    {%- set tables = [] -%}
    {%- set before = [] -%}
    {%- for r in id_rows -%}
        {%- set relation = load_relation(r) -%}
        {%- if relation is not none -%}
            {%- if c360._missing_columns(relation, ['loaded_at']) | length == 0 -%}
                {%- do tables.append((r.identifier, relation)) -%}
            {%- else -%}
                {%- do before.append(r.identifier) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if before | length > 0 -%}
        {%- set fix = 'dbt build --full-refresh' ~ (' --select ' ~ rebuild | join(' ') if rebuild | length > 0 else '') -%}
        {{ exceptions.raise_compiler_error(
            "c360: " ~ before | join(', ') ~ " " ~ ("was" if before | length == 1 else "were") ~ " built before id rows recorded the run that loaded them (no column loaded_at).\n"
            ~ "  The identity models now read id rows by load time; the event-time watermark of older versions skipped a new input's history and rows older than another input's newest, and only rebuilding the identity tables links those. "
            ~ model.name ~ " was not run (its table is unchanged).\n"
            ~ "  fix: " ~ fix) }}
    {%- endif -%}

    {#- 2. the dictionary has read every id row this model can read -#}
    {%- set dictionary_relation = load_relation(dictionary) if dictionary is not none else none -%}
    {%- if dictionary_relation is none or tables | length == 0 -%}
        {{ return('') }}
    {%- endif -%}
    {%- set state_relation = load_relation(state) if state is not none else none -%}
    {%- set last_run -%}
        coalesce(
            {%- if state_relation is not none %}
            (select max(recorded_at) from {{ state_relation }} where model_name = {{ c360.sql_string(dictionary.identifier) }}),
            {%- endif %}
            (select max(updated_at) from {{ dictionary_relation }})
        )
    {%- endset -%}
    {%- set query -%}
        with dictionary_run as (
            select {{ last_run }} as last_run
        )
        select model_name, cast(loaded_at as {{ dbt.type_string() }}) as loaded_at, cast(last_run as {{ dbt.type_string() }}) as last_run
        from (
        {%- for name, relation in tables %}
            select
                {{ c360.sql_string(name) }} as model_name,
                max(id_rows.loaded_at) as loaded_at,
                max(dictionary_run.last_run) as last_run
            from {{ relation }} as id_rows
            cross join dictionary_run
            where id_rows.loaded_at > dictionary_run.last_run
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
        ) as loaded_later
        where loaded_at is not null
        order by model_name
    {%- endset -%}
    {%- set later = run_query(query) -%}
    {%- if later.rows | length > 0 -%}
        {%- set found = [] -%}
        {%- for row in later.rows -%}
            {%- do found.append(row[0] ~ " (loaded at " ~ row[1] ~ ")") -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            "c360: " ~ model.name ~ " reads id rows that " ~ dictionary.identifier ~ " has not read yet: "
            ~ found | join(', ') ~ ", after its last run at " ~ later.rows[0][2] ~ ".\n"
            ~ "  Their identifiers may not be in the dictionary, and their links would be lost, so "
            ~ model.name ~ " was not run (its table is unchanged).\n"
            ~ "  fix: dbt build --select " ~ dictionary.identifier ~ "+") }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
