{#-
  c360.check_identity_rules(state, upstream=[], rebuild=[], rules=none) -> '' (a pre-hook), or
  raises: stops an incremental identity model whose tables were built with stitching rules that
  differ from the current ones in a way that can split clusters.

  state:    the relation c360.record_identity_rules writes (ref('int_<entity>__identity_rules')):
            one row per model (model_name, id_types, inputs, recorded_at).
  upstream: names of the incremental identity models this one reads; each must have been built
            with the current rules too (they are rebuilt first in the same run when selected).
  rebuild:  dbt selectors for the fix in the error message (e.g. ['int_web__ids+']); empty means
            the whole project.
  rules:    the current rules, {id_types: '<fingerprint>', inputs: {<input>: '<fingerprint>'}};
            default var('c360_identity_rules').

  Raises when the model will run incrementally (its table exists and this is not a full refresh)
  and its recorded rules differ from `rules` (c360.identity_rules_changes: id type rules changed,
  an input removed or changed; a new input is fine), or when any `upstream` model's recorded rules
  do. Raising in the pre-hook fails the model before it touches its table; dbt then skips the models
  downstream, so every identity table keeps what it had. A model without a recorded row (the first
  run, or a table built before the guard existed) passes; c360.record_identity_rules records it.
  The state relation missing altogether also passes.
-#}
{% macro check_identity_rules(state, upstream=[], rebuild=[], rules=none) -%}
    {{ return(adapter.dispatch('check_identity_rules', 'c360')(state, upstream, rebuild, rules)) }}
{%- endmacro %}

{% macro default__check_identity_rules(state, upstream=[], rebuild=[], rules=none) -%}
    {%- if state is none or state is string or state.identifier is not defined -%}
        {{ exceptions.raise_compiler_error("c360.check_identity_rules: state must be a relation (ref('int_<entity>__identity_rules')), got " ~ state) }}
    {%- endif -%}
    {%- for arg_name, arg in [('upstream', upstream), ('rebuild', rebuild)] -%}
        {%- if arg is none or arg is string or arg is mapping or arg is not iterable -%}
            {{ exceptions.raise_compiler_error("c360.check_identity_rules: " ~ arg_name ~ " must be a list of model names, got " ~ arg) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set rules = c360._identity_rules_current(rules, 'check_identity_rules') -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}

    {%- set recorded = c360._identity_rules_recorded(state, [model.name] + upstream) -%}
    {%- set incremental = not should_full_refresh() and load_relation(this) is not none -%}
    {%- set fix = 'dbt build --full-refresh' ~ (' --select ' ~ rebuild | join(' ') if rebuild | length > 0 else '') -%}

    {%- if incremental and model.name in recorded -%}
        {%- set changes = c360.identity_rules_changes(recorded[model.name], rules) -%}
        {%- if changes | length > 0 -%}
            {{ exceptions.raise_compiler_error(
                "c360: the stitching rules changed since " ~ model.name ~ " was built: " ~ changes | join('; ') ~ ".\n"
                ~ "  Incremental identity runs only merge clusters and these changes can split them, so "
                ~ model.name ~ " was not run (its table is unchanged).\n"
                ~ "  fix: " ~ fix) }}
        {%- endif -%}
    {%- endif -%}

    {%- set stale = [] -%}
    {%- set stale_changes = [] -%}
    {%- for name in upstream if name in recorded -%}
        {%- set changes = c360.identity_rules_changes(recorded[name], rules) -%}
        {%- if changes | length > 0 -%}
            {%- do stale.append(name) -%}
            {%- for change in changes if change not in stale_changes -%}
                {%- do stale_changes.append(change) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if stale | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            "c360: " ~ model.name ~ " reads " ~ stale | join(', ') ~ ", built with other stitching rules than the current ones: "
            ~ stale_changes | join('; ') ~ ".\n"
            ~ "  After a change that can split clusters the identity models must be rebuilt together, so "
            ~ model.name ~ " was not run (its table is unchanged).\n"
            ~ "  fix: " ~ fix) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#- private: `rules`, or var('c360_identity_rules') when none; raises `c360.<macro_name>: ...` when it
    does not have the shape {id_types: '<fingerprint>', inputs: {...}} -#}
{% macro _identity_rules_current(rules, macro_name) -%}
    {%- set rules = var('c360_identity_rules', none) if rules is none else rules -%}
    {%- if rules is none -%}
        {{ exceptions.raise_compiler_error("c360." ~ macro_name ~ ": the var c360_identity_rules is not set (c360-gen writes it into dbt_project.yml; regenerate the project)") }}
    {%- endif -%}
    {%- if rules is not mapping or rules.get('id_types') is not string or rules.get('inputs') is not mapping -%}
        {{ exceptions.raise_compiler_error("c360." ~ macro_name ~ ": rules must be a mapping {id_types: '<fingerprint>', inputs: {<input>: '<fingerprint>'}}, got " ~ rules) }}
    {%- endif -%}
    {{ return(rules) }}
{%- endmacro %}

{#- private: {model_name: {id_types, inputs}} of the rows of `state` for `models` (the newest row
    of each); {} when the relation does not exist -#}
{% macro _identity_rules_recorded(state, models) -%}
    {%- set relation = load_relation(state) -%}
    {%- if relation is none or models | length == 0 -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for name in models -%}
        {%- do names.append(c360.sql_string(name)) -%}
    {%- endfor -%}
    {%- set result = run_query(
        "select model_name, id_types, inputs from " ~ relation
        ~ " where model_name in (" ~ names | join(', ') ~ ") order by recorded_at") -%}
    {%- set recorded = {} -%}
    {%- for row in result.rows -%}
        {%- set inputs = fromjson(row[2]) -%}
        {%- if inputs is not mapping -%}
            {{ exceptions.raise_compiler_error("c360.check_identity_rules: " ~ relation ~ " has unreadable inputs for " ~ row[0] ~ ": " ~ row[2] ~ " (drop that row, then dbt build --full-refresh)") }}
        {%- endif -%}
        {%- do recorded.update({row[0]: {'id_types': row[1], 'inputs': inputs}}) -%}
    {%- endfor -%}
    {{ return(recorded) }}
{%- endmacro %}
