-- c360.cc_round_representatives: the adapter's implementation (arg_min on DuckDB) and the portable
-- default__ (a window over each closed neighbourhood) pick the same representative for every node
-- of a small graph, in two rounds: the node of N[v] with the smallest round hash
with edges as (

    select node_a, node_b
    from {{ ref('data_cc_edges') }}
    where node_a is not null and node_b is not null and node_a <> node_b

),

{% for round_number in [1, 2] %}
dispatched_{{ round_number }} as (
    {{ c360.cc_round_representatives('edges', round_number) }}
),

portable_{{ round_number }} as (
    {{ c360.default__cc_round_representatives('edges', round_number) }}
),
{% endfor %}

compared as (
{% for round_number in [1, 2] %}
    select
        {{ round_number }} as round_number,
        count(*) as nodes,
        sum(case when dispatched.rep = portable.rep then 1 else 0 end) as same_rep
    from dispatched_{{ round_number }} as dispatched
    full outer join portable_{{ round_number }} as portable
        on portable.node_id = dispatched.node_id
    {% if not loop.last %}union all{% endif %}
{% endfor %}
)

select round_number, nodes, same_rep from compared
