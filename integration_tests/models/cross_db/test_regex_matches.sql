select
    id,
    {{ c360.regex_matches('value', 'pattern') }} as matched,
    {{ c360.regex_matches('value', c360.sql_string('@example\\.com$')) }} as matched_literal
from {{ ref('data_regex_matches') }}
