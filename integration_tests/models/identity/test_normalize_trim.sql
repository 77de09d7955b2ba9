select
    id,
    {{ c360.normalize_trim('raw') }} as normalized
from {{ ref('data_normalize_trim') }}
