select
    id,
    {{ c360.regex_replace_all('raw', "'[^0-9]'", "''") }} as digits
from {{ ref('data_normalize_phone') }}
