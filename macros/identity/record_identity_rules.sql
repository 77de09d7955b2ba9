{#-
  c360.record_identity_rules(state, rules=none) -> '' (a post-hook): records in `state` that the
  model was just built with `rules` (default var('c360_identity_rules')): its row
  (model_name, id_types, inputs, recorded_at) is replaced; inputs is JSON {<input>: '<fingerprint>'}.

  Use it as a post-hook inside the model's transaction (the default), so the row commits together
  with the model's table: a run that fails before the commit records nothing, and the state never
  claims rules a table was not built with. c360.check_identity_rules reads these rows.
  When `state` does not exist yet (it is built before the identity models) nothing is recorded.
-#}
{% macro record_identity_rules(state, rules=none) -%}
    {{ return(adapter.dispatch('record_identity_rules', 'c360')(state, rules)) }}
{%- endmacro %}

{% macro default__record_identity_rules(state, rules=none) -%}
    {%- if state is none or state is string or state.identifier is not defined -%}
        {{ exceptions.raise_compiler_error("c360.record_identity_rules: state must be a relation (ref('int_<entity>__identity_rules')), got " ~ state) }}
    {%- endif -%}
    {%- set rules = c360._identity_rules_current(rules, 'record_identity_rules') -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set relation = load_relation(state) -%}
    {%- if relation is none -%}
        {% do log("c360: " ~ state ~ " does not exist, so the stitching rules " ~ model.name ~ " was built with are not recorded", info=True) %}
        {{ return('') }}
    {%- endif -%}
    {% do run_query("delete from " ~ relation ~ " where model_name = " ~ c360.sql_string(model.name)) %}
    {% do run_query(
        "insert into " ~ relation ~ " (model_name, id_types, inputs, recorded_at) values ("
        ~ c360.sql_string(model.name) ~ ", "
        ~ c360.sql_string(rules['id_types']) ~ ", "
        ~ c360.sql_string(tojson(rules['inputs'], sort_keys=true)) ~ ", "
        ~ c360.run_timestamp() ~ ")") %}
    {{ return('') }}
{%- endmacro %}
