-- the canonical id is md5(id_type || ':' || id_value): the expected values are precomputed, so
-- this also pins determinism across runs and versions
select
    id,
    {{ c360.canonical_id('id_type', 'id_value') }} as canonical_id
from {{ ref('data_canonical_id') }}
