select
    id,
    {{ c360.normalize_phone('raw') }} as normalized,
    {{ c360.normalize_phone('raw', default_country='44') }} as normalized_uk
from {{ ref('data_normalize_phone') }}
