{{ config(materialized='c360_connected_components') }}

select node_a, node_b
from {{ ref('data_cc_edges') }}
