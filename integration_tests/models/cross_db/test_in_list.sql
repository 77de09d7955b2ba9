{%- set literals = [c360.sql_string("a"), c360.sql_string("it's"), c360.sql_string("")] %}
select
    id,
    {{ c360.in_list('value', literals) }} as in_three,
    {{ c360.in_list('value', []) }} as in_none
from {{ ref('data_in_list') }}
