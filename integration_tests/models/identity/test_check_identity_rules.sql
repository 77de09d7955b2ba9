-- the check passes when the upstream model's recorded rules differ only by a new input; the rows
-- recorded so far (test_record_identity_rules's, read before this model records its own) are
-- compared to identity_rules_recorded_expected
{{ config(
    pre_hook="{{ c360.check_identity_rules(ref('identity_rules_state'), upstream=['test_record_identity_rules'], rebuild=['test_record_identity_rules+'], rules={'id_types': 't1', 'inputs': {'web': 'w1', 'orders': 'o1', 'crm': 'c1'}}) }}",
    post_hook="{{ c360.record_identity_rules(ref('identity_rules_state'), rules={'id_types': 't1', 'inputs': {'web': 'w1', 'orders': 'o1', 'crm': 'c1'}}) }}"
) }}
-- depends_on: {{ ref('test_record_identity_rules') }}
select
    model_name,
    id_types,
    inputs,
    case when recorded_at is not null then 1 else 0 end as has_recorded_at
from {{ ref('identity_rules_state') }}
