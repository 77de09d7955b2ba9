-- c360.identity_rules_changes over fixed fingerprints: one row per case, the changes joined by ' | '
{%- set recorded = {'id_types': 't1', 'inputs': {'web': 'w1', 'orders': 'o1'}} -%}
{%- set cases = [
    ('unchanged', recorded),
    ('new_input', {'id_types': 't1', 'inputs': {'web': 'w1', 'orders': 'o1', 'crm': 'c1'}}),
    ('id_types_changed', {'id_types': 't2', 'inputs': {'web': 'w1', 'orders': 'o1'}}),
    ('input_changed', {'id_types': 't1', 'inputs': {'web': 'w2', 'orders': 'o1'}}),
    ('input_removed', {'id_types': 't1', 'inputs': {'web': 'w1'}}),
    ('everything', {'id_types': 't2', 'inputs': {'orders': 'o2', 'crm': 'c1'}}),
] %}
{% for name, current in cases %}
{%- set changes = c360.identity_rules_changes(recorded, current) %}
select
    {{ c360.sql_string(name) }} as case_name,
    {{ changes | length }} as change_count,
    {{ c360.sql_string(changes | join(' | ') if changes | length > 0 else '(none)') }} as changes
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
