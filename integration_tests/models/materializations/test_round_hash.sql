-- c360.round_hash is deterministic, (nearly) injective within a round on small ids, and changes
-- the order between rounds
with nodes as (
    select distinct node_a as node_id from {{ ref('data_cc_edges') }} where node_a is not null
),
hashed as (
    select
        node_id,
        {{ c360.round_hash('node_id', 0) }} as h0,
        {{ c360.round_hash('node_id', 0) }} as h0_again,
        {{ c360.round_hash('node_id', 1) }} as h1
    from nodes
)
select
    count(distinct h0) = count(*) as distinct_within_round,
    sum(case when h0 = h0_again then 1 else 0 end) = count(*) as deterministic,
    sum(case when h0 <> h1 then 1 else 0 end) > 0 as varies_by_round
from hashed
