select
    id,
    {{ c360.clean_id('raw', normalize='email', exclude_values=["O'Brien@Shop.com"], exclude_regex=['@example\\.org$']) }} as as_email,
    {{ c360.clean_id('raw', normalize='phone', exclude_values=['(555) 000-1234']) }} as as_phone,
    {{ c360.clean_id('raw', exclude_values=['blocked'], exclude_regex=['^tmp_']) }} as as_trim,
    {{ c360.clean_id('raw', normalize='none', exclude_regex=["^it's$"]) }} as as_none,
    {{ c360.clean_id('raw', junk=false) }} as no_junk
from {{ ref('data_clean_id') }}
