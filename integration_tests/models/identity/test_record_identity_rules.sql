-- records var('c360_identity_rules') (dbt_project.yml) for this model in its post-hook
{{ config(
    pre_hook="{{ c360.check_identity_rules(ref('identity_rules_state')) }}",
    post_hook="{{ c360.record_identity_rules(ref('identity_rules_state')) }}"
) }}
select 1 as id
