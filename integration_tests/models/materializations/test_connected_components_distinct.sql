{#- distinct_edges=true over edges that break the promise (duplicates, both directions, self-loops,
    nulls): the components are still exact; only the __rounds row 0 count differs -#}
{{ config(materialized='c360_connected_components', distinct_edges=true) }}

select node_a, node_b
from {{ ref('data_cc_edges') }}
