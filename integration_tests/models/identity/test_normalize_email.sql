select
    id,
    {{ c360.normalize_email('raw') }} as normalized
from {{ ref('data_normalize_email') }}
