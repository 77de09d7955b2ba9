-- c360.canonical_ids names each cluster after its oldest identifier: the adapter's implementation
-- (arg_min on DuckDB) and the portable default__ (a window) must pick the same one. Each customer
-- id is mapped back to the identifier it was computed from, so the expected seed names it.
with clusters as (

    select component_id, id_type, id_value, first_seen_at from {{ ref('data_canonical_ids') }}

),

dispatched as (

    {{ c360.canonical_ids('clusters', 'customer_id') }}

),

portable as (

    {{ c360.default__canonical_ids('clusters', 'customer_id') }}

),

named as (

    select 'dispatched' as implementation, component_id, customer_id from dispatched
    union all
    select 'default' as implementation, component_id, customer_id from portable

)

select
    named.implementation,
    named.component_id,
    clusters.id_type,
    clusters.id_value
from named
inner join clusters
    on clusters.component_id = named.component_id
    and {{ c360.canonical_id('clusters.id_type', 'clusters.id_value') }} = named.customer_id
