{#-
  c360.canonical_ids(clusters, id_column) -> a select of (component_id, <id_column>): for every
  component_id of `clusters` (a relation or CTE name with component_id, id_type, id_value,
  first_seen_at), c360.canonical_id of its oldest identifier: first seen (nulls last), ties by
  type, then value. A cluster is named after its oldest identifier, so a growing cluster keeps
  its id, the older id survives a merge, and rebuilds reproduce it (docs/decisions/0002).
  default: row_number() over each cluster; DuckDB: one group by with arg_min (no sort per cluster:
  ~2 s less over 11.8M identifiers).
-#}
{% macro canonical_ids(clusters, id_column) -%}
    {{ return(adapter.dispatch('canonical_ids', 'c360')(clusters, id_column)) }}
{%- endmacro %}

{% macro default__canonical_ids(clusters, id_column) -%}
    select
        component_id,
        {{ c360.canonical_id('id_type', 'id_value') }} as {{ id_column }}
    from (
        select
            component_id,
            id_type,
            id_value,
            row_number() over (
                partition by component_id
                order by
                    first_seen_at nulls last,
                    id_type,
                    id_value
            ) as age_rank
        from {{ clusters }}
    ) as oldest
    where age_rank = 1
{%- endmacro %}

{% macro duckdb__canonical_ids(clusters, id_column) -%}
    select
        component_id,
        {{ c360.canonical_id('oldest.id_type', 'oldest.id_value') }} as {{ id_column }}
    from (
        -- the struct order is the age order: first seen (a null one after every other), type, value
        select
            component_id,
            arg_min(
                {'id_type': id_type, 'id_value': id_value},
                {'no_first_seen': first_seen_at is null, 'first_seen_at': first_seen_at, 'id_type': id_type, 'id_value': id_value}
            ) as oldest
        from {{ clusters }}
        group by component_id
    ) as clusters_oldest
{%- endmacro %}
