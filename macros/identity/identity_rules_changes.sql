{#-
  c360.identity_rules_changes(recorded, current) -> a Jinja list of strings: what changed between
  two sets of stitching-rule fingerprints in a way that can split clusters (empty when nothing did).

  Both arguments have the shape of the generated project's var `c360_identity_rules`:
      {id_types: '<fingerprint>', inputs: {<input>: '<fingerprint>', ...}}
  A change can split clusters when the id type rules changed (normalisation, junk, exclusions,
  limits or guards), or when an input of `recorded` was removed or changed its ids, where or
  relation. An input that is only in `current` is new: it only adds links, so it is no change.
  The wording matches `c360-gen generate`'s warning (rulesThatCanSplit in the generator).
-#}
{% macro identity_rules_changes(recorded, current) -%}
    {{ return(adapter.dispatch('identity_rules_changes', 'c360')(recorded, current)) }}
{%- endmacro %}

{% macro default__identity_rules_changes(recorded, current) -%}
    {%- for arg_name, arg in [('recorded', recorded), ('current', current)] -%}
        {%- if arg is not mapping or arg.get('id_types') is not string or arg.get('inputs') is not mapping -%}
            {{ exceptions.raise_compiler_error("c360.identity_rules_changes: " ~ arg_name ~ " must be a mapping {id_types: '<fingerprint>', inputs: {<input>: '<fingerprint>'}}, got " ~ arg) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set changes = [] -%}
    {%- if recorded['id_types'] != current['id_types'] -%}
        {%- do changes.append('id type rules (normalisation, junk, exclusions, limits or guards)') -%}
    {%- endif -%}
    {%- for input, fingerprint in recorded['inputs'].items() -%}
        {%- if input not in current['inputs'] -%}
            {%- do changes.append('input ' ~ input ~ ' was removed') -%}
        {%- elif current['inputs'][input] != fingerprint -%}
            {%- do changes.append('input ' ~ input ~ ' changed its ids, where or relation') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(changes) }}
{%- endmacro %}
