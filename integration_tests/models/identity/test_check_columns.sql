-- c360.check_columns passes: id_rows_loaded has loaded_at and email_clean (in another case too),
-- and a relation that does not exist yet passes (the refusal is tested in
-- generator/test/integration/guards-incremental.test.ts)
{{ config(
    pre_hook=[
        "{{ c360.check_columns(ref('id_rows_loaded'), ['LOADED_AT', 'email_clean']) }}",
        "{{ c360.check_columns(api.Relation.create(database=this.database, schema=this.schema, identifier='no_such_table'), ['updated_at']) }}",
    ]
) }}
select count(*) as id_rows
from {{ ref('id_rows_loaded') }}
