-- c360.check_id_rows passes: id_rows_loaded has loaded_at, and id_rows_dictionary (no row in the
-- state, so its newest updated_at is its last run) read every row of it in this run
{{ config(
    pre_hook="{{ c360.check_id_rows([ref('id_rows_loaded')], rebuild=['id_rows_loaded+'], dictionary=ref('id_rows_dictionary'), state=ref('identity_rules_state')) }}"
) }}
select
    dictionary.id_value,
    count(*) as rows_read
from {{ ref('id_rows_loaded') }} as id_rows
inner join {{ ref('id_rows_dictionary') }} as dictionary
    on dictionary.id_value = id_rows.email_clean
group by dictionary.id_value
