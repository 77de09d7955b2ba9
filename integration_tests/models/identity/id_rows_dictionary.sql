-- a dictionary (the generated project's int_<entity>__identifiers) that read id_rows_loaded in this
-- run: updated_at is the run that wrote its rows
select
    email_clean as id_value,
    {{ c360.run_timestamp() }} as updated_at
from {{ ref('id_rows_loaded') }}
