{#-
  materialized='c360_connected_components'

  The model selects an edge list: BIGINT columns node_a, node_b (duplicates, self-edges and both
  directions are fine). The materialization builds {{ this }} as a table
      node_id BIGINT, component_id BIGINT, updated_at TIMESTAMP
  with one row per node of at least one non-self edge; component_id is the smallest node_id of the
  node's connected component; updated_at is c360.run_timestamp() of the run that last wrote the row (a
  full build writes every row; an incremental run only the nodes it relabels or adds).

  Algorithm: randomized contraction (Bögeholz, Brand, Todor 2020), O(log n) rounds, one
  `create table as` per round. Round i:
    m_i(v)  = the node u of N[v] (v and its neighbours) with the smallest c360.round_hash(u, i) (ties:
              c360.cc_round_representatives);
              in round 0 simply the smallest node of N[v] (cheaper on the full graph; see below)
    e_{i+1} = distinct (least(m_i(a), m_i(b)), greatest(...)) over e_i, self-loops dropped
  until no edges remain (a converged cluster's edges become self-loops, so it leaves the working
  set). The labels are then composed backwards, f_i(v) = coalesce(f_{i+1}(m_i(v)), m_i(v)), and
  component_id = min(node_id) per final label (taken over the round-1 nodes: as m_0(v) <= v, the
  smallest node of a component is a round-0 representative). No recursive CTEs, no label
  propagation.

  Incremental (the default once the table exists; `--full-refresh` rebuilds): only the edges that
  join two different components of the previous result, or touch a node it has not seen, matter.
  They are lifted to the previous component labels (a new node is its own label), the small graph
  of labels is contracted the same way, and the affected nodes are relabelled in place (delete +
  insert of those rows only, inside the model's transaction) with the smallest label of their new
  component. Adding edges never splits a component, so this gives exactly the components of a full
  rebuild. Changes that can split clusters (new exclusions or limits) need
  `dbt build --full-refresh`. Config `incremental: false` always rebuilds.

  Config: max_rounds (default 64): more rounds raise a compiler error.
          edges_updated_at (optional): a timestamp column the model selects next to node_a and
          node_b, saying when each edge was last written. Incremental runs then read only the edges
          with edges_updated_at > max(updated_at) of the previous result, instead of lifting every
          edge (an edge written in the same run as the previous result was already resolved then).
          distinct_edges (default false): true promises that the model's edges are distinct
          unordered pairs. A full build then reads them where they are instead of copying them
          into a normalised, deduplicated round-0 table; the __rounds row 0 counts the model's
          non-self edges. A broken promise costs only that count: round 0 reads both directions
          and the contraction normalises and deduplicates.
  Round tables <identifier>__cc_e<N>, __cc_h<N>, __cc_m<N>, __cc_f<N>, __cc_c<N>: temporary tables
  on DuckDB, side tables in the target schema elsewhere (dropped at the end, and at the start if
  a crashed run left them); side table in the target schema: <identifier>__rounds (round, edges): the edge
  count entering each round, row 0 = the distinct non-self input edges; kept for the CLI summary.
  A full build is built as <identifier>__dbt_tmp and swapped in like dbt's table materialization,
  so a failed build leaves the previous table intact; an incremental run changes the table only
  in its last two statements, in the same transaction. A previous table without updated_at (built
  by an older c360) is rebuilt in full.
-#}
{% materialization c360_connected_components, default %}

    {%- set max_rounds = config.get('max_rounds', 64) -%}
    {%- if max_rounds is not number or max_rounds < 1 -%}
        {{ exceptions.raise_compiler_error("c360_connected_components: model " ~ this ~ ": max_rounds must be a positive integer, got " ~ max_rounds) }}
    {%- endif -%}
    {%- set max_rounds = max_rounds | int -%}

    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set intermediate_relation = make_intermediate_relation(target_relation) -%}
    {%- set backup_relation_type = 'table' if existing_relation is none else existing_relation.type -%}
    {%- set backup_relation = make_backup_relation(target_relation, backup_relation_type) -%}
    {%- set rounds_relation = c360._cc_relation('rounds') -%}
    {%- set grant_config = config.get('grants') -%}

    {{ drop_relation_if_exists(load_cached_relation(intermediate_relation)) }}
    {{ drop_relation_if_exists(load_cached_relation(backup_relation)) }}
    {% do c360._cc_drop_work_tables() %}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- set edges_updated_at = config.get('edges_updated_at') -%}
    {%- if edges_updated_at is not none and (edges_updated_at is not string or edges_updated_at | length == 0) -%}
        {{ exceptions.raise_compiler_error("c360_connected_components: model " ~ this ~ ": edges_updated_at must be a column name, got " ~ edges_updated_at) }}
    {%- endif -%}
    {%- set updated_at_sql = c360.run_timestamp() -%}

    {%- set incremental = config.get('incremental', true) and existing_relation is not none
        and existing_relation.type == 'table' and not should_full_refresh() -%}
    {%- if incremental -%}
        {%- set previous_columns = adapter.get_columns_in_relation(existing_relation) | map(attribute='name') | map('lower') | list -%}
        {%- if 'updated_at' not in previous_columns -%}
            {{ log("c360: " ~ this.identifier ~ " has no updated_at column (built by an older c360): full build", info=True) }}
            {%- set incremental = false -%}
        {%- endif -%}
    {%- endif -%}

    {#- round 0: the model's edges, normalised (a < b), distinct, without self-loops; incremental:
        only the edges that join two previous components or touch a new node, lifted to labels -#}
    {%- set distinct_edges = config.get('distinct_edges', false) -%}
    {%- if distinct_edges is not sameas true and distinct_edges is not sameas false -%}
        {{ exceptions.raise_compiler_error("c360_connected_components: model " ~ this ~ ": distinct_edges must be true or false, got " ~ distinct_edges) }}
    {%- endif -%}
    {%- set e0 = c360._cc_work_relation('cc_e0') -%}
    {%- if incremental -%}
        {%- set e0_edges = c360._cc_create_work_table('c360_cc_e0', e0, c360._cc_lifted_edges_sql(sql, existing_relation, edges_updated_at)) -%}
    {%- elif distinct_edges -%}
        {#- the model promises distinct unordered pairs: round 0 reads them where they are (no copy) -#}
        {%- set e0 = '(' ~ c360._cc_model_edges_sql(sql) ~ ')' -%}
        {%- set e0_edges = c360._cc_count(e0 ~ ' as model_edges') -%}
    {%- else -%}
        {%- set e0_edges = c360._cc_create_work_table('c360_cc_e0', e0, c360._cc_initial_edges_sql(sql)) -%}
    {%- endif -%}
    {{ log("c360: " ~ this.identifier ~ (" incremental: edges between previous components or to new nodes" if incremental else " full build"), info=True) }}

    {%- set ns = namespace(edges=e0_edges, maps=0, done=false) -%}
    {%- set rounds = [(0, ns.edges)] -%}
    {{ log("c360: " ~ this.identifier ~ " round 0: " ~ ns.edges ~ " edges", info=True) }}

    {%- for i in range(max_rounds + 1) -%}
        {%- if not ns.done -%}
            {%- if ns.edges == 0 -%}
                {%- set ns.done = true -%}
            {%- elif i >= max_rounds -%}
                {% do c360._cc_drop_work_tables() %}
                {% do adapter.commit() %}
                {{ exceptions.raise_compiler_error("c360_connected_components: model " ~ this ~ " did not converge: round " ~ i ~ " still has " ~ ns.edges ~ " edges after max_rounds=" ~ max_rounds ~ "; raise config max_rounds or check the edge list") }}
            {%- else -%}
                {%- set e_in = e0 if i == 0 else c360._cc_work_relation('cc_e' ~ i) -%}
                {%- set m_out = c360._cc_work_relation('cc_m' ~ i) -%}
                {%- set e_out = c360._cc_work_relation('cc_e' ~ (i + 1)) -%}
                {%- set settle = c360._cc_settles(ns.edges) -%}
                {% do c360._cc_build_work_table('c360_cc_m' ~ i, m_out, c360._cc_representatives_sql(e_in, i), settle=settle) %}
                {%- set h_out = c360._cc_work_relation('cc_h' ~ i) -%}
                {#- two single-join steps: a one-query double join lets a planner without statistics
                    (DuckDB on tables created in the open transaction) pair the two map scans on
                    rep <> rep as a nested-loop join, quadratic in the node count -#}
                {% do c360._cc_build_work_table('c360_cc_h' ~ i, h_out, c360._cc_contract_a_sql(e_in, m_out), settle=settle) %}
                {%- set ns.maps = i + 1 -%}
                {%- set ns.edges = c360._cc_create_work_table('c360_cc_e' ~ (i + 1), e_out, c360._cc_contract_b_sql(h_out, m_out), settle=settle) -%}
                {%- do rounds.append((i + 1, ns.edges)) -%}
                {{ log("c360: " ~ this.identifier ~ " round " ~ (i + 1) ~ ": " ~ ns.edges ~ " edges", info=True) }}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}

    {#- compose the round maps backwards down to round 1: f_{k-1} = m_{k-1};
        f_i(v) = coalesce(f_{i+1}(m_i(v)), m_i(v)). Round 0 picked the smallest node of N[v], so
        m_0(v) <= v and the smallest node of a component is a round-0 representative: the
        component_id is the smallest round-1 node per final label (a window over the round-1
        nodes, not over every node), or m_0(v) itself when v's component converged in round 0. -#}
    {%- if ns.maps > 0 -%}
        {%- set m0 = c360._cc_work_relation('cc_m0') -%}
        {%- if ns.maps == 1 -%}
            {%- set final_sql -%}
                select
                    cast(node_id as {{ dbt.type_bigint() }}) as node_id,
                    cast(rep as {{ dbt.type_bigint() }}) as component_id,
                    {{ updated_at_sql }} as updated_at
                from {{ m0 }}
            {%- endset -%}
        {%- else -%}
            {%- set ns.labels = c360._cc_work_relation('cc_m' ~ (ns.maps - 1)) -%}
            {%- for i in range(ns.maps - 2, 0, -1) -%}
                {%- set f_out = c360._cc_work_relation('cc_f' ~ i) -%}
                {#- f_i has a row per node of round i: settled when round i was -#}
                {% do c360._cc_build_work_table('c360_cc_f' ~ i, f_out, c360._cc_compose_sql(c360._cc_work_relation('cc_m' ~ i), ns.labels), settle=c360._cc_settles(rounds[i][1])) %}
                {%- set ns.labels = f_out -%}
            {%- endfor -%}
            {%- set final_sql -%}
                with later as (
                    select
                        node_id,
                        min(node_id) over (partition by rep) as component_id
                    from {{ ns.labels }}
                )
                select
                    cast(round_map.node_id as {{ dbt.type_bigint() }}) as node_id,
                    cast(coalesce(later.component_id, round_map.rep) as {{ dbt.type_bigint() }}) as component_id,
                    {{ updated_at_sql }} as updated_at
                from {{ m0 }} as round_map
                left join later
                    on later.node_id = round_map.rep
            {%- endset -%}
        {%- endif -%}
    {%- else -%}
        {%- set final_sql -%}
            select
                cast(null as {{ dbt.type_bigint() }}) as node_id,
                cast(null as {{ dbt.type_bigint() }}) as component_id,
                {{ updated_at_sql }} as updated_at
            where 1 = 0
        {%- endset -%}
    {%- endif -%}

    {%- if incremental -%}
        {#- the rows to rewrite: nodes of relabelled components and new nodes; then delete + insert
            of those rows only, in this transaction -#}
        {%- set changed = c360._cc_work_relation('cc_c0') -%}
        {%- set changed_rows = 0 -%}
        {%- if ns.maps > 0 -%}
            {%- set changed_rows = c360._cc_create_work_table('c360_cc_c0', changed, c360._cc_changed_sql(existing_relation, final_sql)) -%}
            {% call statement('c360_cc_delete') -%}
                delete from {{ existing_relation }}
                where node_id in (select node_id from {{ changed }})
            {%- endcall %}
            {% call statement('main') -%}
                insert into {{ existing_relation }} (node_id, component_id, updated_at)
                select node_id, component_id, {{ updated_at_sql }}
                from {{ changed }}
            {%- endcall %}
        {%- else -%}
            {% call statement('main') -%}
                select 1 as nothing_to_relabel
            {%- endcall %}
        {%- endif -%}
        {{ log("c360: " ~ this.identifier ~ " incremental: " ~ changed_rows ~ " nodes relabelled or added", info=True) }}
    {%- else -%}
        {% call statement('main') -%}
            {{ get_create_table_as_sql(False, intermediate_relation, final_sql) }}
        {%- endcall %}
    {%- endif -%}

    {#- the per-round edge counts, kept next to the result -#}
    {%- set rounds_rows = [] -%}
    {%- for r in rounds -%}
        {%- do rounds_rows.append("select cast(" ~ r[0] ~ " as " ~ dbt.type_int() ~ ") as round, cast(" ~ r[1] ~ " as " ~ dbt.type_bigint() ~ ") as edges") -%}
    {%- endfor -%}
    {{ drop_relation_if_exists(load_cached_relation(rounds_relation)) }}
    {% call statement('c360_cc_rounds') -%}
        {{ get_create_table_as_sql(False, rounds_relation, rounds_rows | join('\nunion all\n')) }}
    {%- endcall %}

    {#- full build: swap existing -> backup, tmp -> target, drop backup after commit -#}
    {% if not incremental %}
        {% if existing_relation is not none %}
            {% set existing_relation = load_cached_relation(existing_relation) %}
            {% if existing_relation is not none %}
                {{ adapter.rename_relation(existing_relation, backup_relation) }}
            {% endif %}
        {% endif %}
        {{ adapter.rename_relation(intermediate_relation, target_relation) }}
    {% endif %}

    {% do c360._cc_drop_work_tables() %}
    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke(existing_relation, full_refresh_mode=True)) %}
    {% do persist_docs(target_relation, model) %}
    {{ adapter.commit() }}

    {{ drop_relation_if_exists(backup_relation) }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}


{#- private: a side table of the model being built, <identifier>__<suffix>, in its schema -#}
{% macro _cc_relation(suffix) -%}
    {{ return(api.Relation.create(
        database=this.database,
        schema=this.schema,
        identifier=this.identifier ~ '__' ~ suffix,
        type='table')) }}
{%- endmacro %}

{#- private: whether the round tables are temporary tables of the model's connection (DuckDB: they
    stay in memory, spill to disk only when needed, and are not written to the database file; ~15%
    faster per round) or tables in the target schema (every other adapter) -#}
{% macro _cc_temp_work_tables() -%}
    {{ return(adapter.type() == 'duckdb') }}
{%- endmacro %}

{#- private: a round table <identifier>__<suffix>: a temporary table (unqualified name) where
    _cc_temp_work_tables(), else a side table in the model's schema -#}
{% macro _cc_work_relation(suffix) -%}
    {%- if c360._cc_temp_work_tables() -%}
        {{ return(api.Relation.create(identifier=this.identifier ~ '__' ~ suffix, type='table').include(database=False, schema=False)) }}
    {%- else -%}
        {{ return(c360._cc_relation(suffix)) }}
    {%- endif -%}
{%- endmacro %}

{#- private: drop every <identifier>__cc_<e|h|m|f|c><N> work table: the temporary ones of this
    connection, and those in the target schema (listed without the cache, so leftovers of a crashed
    earlier run, or of an older c360 that kept them there, are found too) -#}
{% macro _cc_drop_work_tables() -%}
    {%- if c360._cc_temp_work_tables() -%}
        {%- set temp_tables = run_query("select table_name from duckdb_tables() where temporary and lower(table_name) like " ~ c360.sql_string((this.identifier ~ '__cc_') | lower ~ '%')) -%}
        {%- set drops = [] -%}
        {%- for name in temp_tables.columns[0].values() if c360._cc_is_work_table_name(name) -%}
            {%- do drops.append("drop table if exists temp.main." ~ adapter.quote(name)) -%}
        {%- endfor -%}
        {%- if drops | length > 0 -%}
            {#- one call: DuckDB runs the statements of a string one after another -#}
            {% do run_query(drops | join(';\n')) %}
        {%- endif -%}
    {%- endif -%}
    {%- set schema_relation = api.Relation.create(database=this.database, schema=this.schema) -%}
    {%- set prefix = (this.identifier ~ '__cc_') | lower -%}
    {%- set listed = list_relations_without_caching(schema_relation) -%}
    {%- for row in listed -%}
        {%- set name = (row['name'] or '') | string -%}
        {%- set lname = name | lower -%}
        {%- if c360._cc_is_work_table_name(name) -%}
            {% do adapter.drop_relation(api.Relation.create(database=this.database, schema=this.schema, identifier=name, type='table')) %}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{#- private: whether `name` is <identifier>__cc_<e|h|m|f|c><N> of the model being built -#}
{% macro _cc_is_work_table_name(name) -%}
    {%- set prefix = (this.identifier ~ '__cc_') | lower -%}
    {%- set lname = (name or '') | string | lower -%}
    {{ return(lname.startswith(prefix) and lname[prefix | length:][:1] in ['e', 'm', 'f', 'h', 'c'] and lname[prefix | length + 1:].isdigit()) }}
{%- endmacro %}

{#- private: create work table `relation` as `select_sql` (statement `name`) and settle it (unless
    settle is false: a small round); fetch_result keeps what the statement returns (DuckDB's create
    table as: the row count) -#}
{% macro _cc_build_work_table(name, relation, select_sql, fetch_result=false, settle=true) -%}
    {% call statement(name, fetch_result=fetch_result) -%}
        {{ get_create_table_as_sql(c360._cc_temp_work_tables(), relation, select_sql) }}
    {%- endcall %}
    {%- if settle -%}
        {% do c360._cc_settle() %}
    {%- endif -%}
{%- endmacro %}

{#- private: create work table `relation` as `select_sql` (statement `name`) and return its row
    count: DuckDB's create table as returns it; elsewhere a count(*) -#}
{% macro _cc_create_work_table(name, relation, select_sql, settle=true) -%}
    {%- set counted = adapter.type() == 'duckdb' -%}
    {% do c360._cc_build_work_table(name, relation, select_sql, fetch_result=counted, settle=settle) %}
    {%- if counted -%}
        {{ return(load_result(name)['table'].rows[0][0] | int) }}
    {%- endif -%}
    {{ return(c360._cc_count(relation)) }}
{%- endmacro %}

{#- private: commit the work table just created, where work tables are temporary (DuckDB). DuckDB
    keeps no statistics for a table created in the open transaction: the next statement's planner
    then estimates 0-1 rows for it and sizes its joins and aggregates for that (measured at 10M:
    e.g. round 1's contraction 2.6 s -> 3.6 s, and ~7 s over the whole build). Only temporary
    work tables are committed here; the model's table changes only in the last statements, which
    still run in one transaction (the next statement opens it). Rounds entering with fewer than
    100k edges (_cc_settles; the late rounds of a full build, most incremental runs) skip it:
    a commit is two more statements through dbt, and a plan without statistics costs less than
    that on so few rows (every join is still on equality, a hash join). -#}
{% macro _cc_settle() -%}
    {%- if c360._cc_temp_work_tables() -%}
        {% do adapter.commit() %}
    {%- endif -%}
{%- endmacro %}

{#- private: whether the work tables of a round entering with `edges` edges are settled -#}
{% macro _cc_settles(edges) -%}
    {{ return(edges >= 100000) }}
{%- endmacro %}

{#- private: select count(*) of a relation as an int -#}
{% macro _cc_count(relation) -%}
    {%- set result = run_query("select count(*) from " ~ relation) -%}
    {{ return(result.columns[0].values()[0] | int) }}
{%- endmacro %}

{#- private: the model's edges as they are, without self-loops and nulls; `where` (SQL over the
    model's columns, alias model_sql) keeps only some of them. Config distinct_edges reads these
    directly in round 0 (the model promises distinct unordered pairs; round 0 reads both
    directions anyway, and the contraction normalises) -#}
{% macro _cc_model_edges_sql(model_sql, where=none) -%}
    select
        cast(node_a as {{ dbt.type_bigint() }}) as node_a,
        cast(node_b as {{ dbt.type_bigint() }}) as node_b
    from (
        {{ model_sql }}
    ) as model_sql
    where node_a is not null
        and node_b is not null
        and node_a <> node_b
        {%- if where is not none %}
        and {{ where }}
        {%- endif %}
{%- endmacro %}

{#- private: the model's edges, normalised (a < b), distinct, without self-loops and nulls;
    `where` as in _cc_model_edges_sql -#}
{% macro _cc_initial_edges_sql(model_sql, where=none) -%}
    select distinct
        case when node_a < node_b then node_a else node_b end as node_a,
        case when node_a < node_b then node_b else node_a end as node_b
    from (
        {{ c360._cc_model_edges_sql(model_sql, where) }}
    ) as model_pairs
{%- endmacro %}

{#- private: round i's representative of every node: argmin over N[v] of (round_hash(u, i), u);
    round 0 takes the smallest node of N[v] instead (a plain group by, no hash, join or window:
    several times cheaper on the full input graph, and node ids numbered in first-seen order put
    a cluster's identifiers close together, so it contracts as well as a random order; an
    adversarial order costs at most this one round, the later rounds are random) -#}
{% macro _cc_representatives_sql(edges, round_number) -%}
    {%- if round_number == 0 %}
    select
        v as node_id,
        case when min(u) < v then min(u) else v end as rep
    from (
        select node_a as v, node_b as u from {{ edges }} as edges
        union all
        select node_b as v, node_a as u from {{ edges }} as edges
    ) as neighbours
    group by v
    {%- else %}
    {{ c360.cc_round_representatives(edges, round_number) }}
    {%- endif %}
{%- endmacro %}

{#- internal (dispatched): round_number's (>= 1) representative of every node of `edges`, the
    argmin over N[v] of c360.round_hash(u, round_number). Any node of N[v] is a correct choice
    (the contraction keeps every component connected); the smallest hash makes the graph shrink
    geometrically. default breaks ties of the hash by the node id; DuckDB's arg_min breaks ties
    between neighbours either way. Which of two tied nodes wins changes at most the number of
    rounds, never the components. -#}
{% macro cc_round_representatives(edges, round_number) -%}
    {{ return(adapter.dispatch('cc_round_representatives', 'c360')(edges, round_number)) }}
{%- endmacro %}

{#- DuckDB: one group by over both directions of the edges with arg_min, and v itself compared
    after it (no node list, no join with a hash table, no window: ~2x faster on 3.5M edges) -#}
{% macro duckdb__cc_round_representatives(edges, round_number) -%}
    with neighbours as (
        select node_a as v, node_b as u, {{ c360.round_hash('node_b', round_number) }} as h from {{ edges }} as edges
        union all
        select node_b as v, node_a as u, {{ c360.round_hash('node_a', round_number) }} as h from {{ edges }} as edges
    ),
    best as (
        select v, arg_min(u, h) as best_u, min(h) as best_h
        from neighbours
        group by v
    ),
    own as (
        select v, best_u, best_h, {{ c360.round_hash('v', round_number) }} as own_h
        from best
    )
    select
        v as node_id,
        case when own_h < best_h or (own_h = best_h and v < best_u) then v else best_u end as rep
    from own
{%- endmacro %}

{% macro default__cc_round_representatives(edges, round_number) -%}
    with nodes as (
        select node_a as node_id from {{ edges }} as edges
        union
        select node_b as node_id from {{ edges }} as edges
    ),
    hashed as (
        select node_id, {{ c360.round_hash('node_id', round_number) }} as h
        from nodes
    ),
    closed_neighbourhood as (
        select node_a as v, node_b as u from {{ edges }} as edges
        union all
        select node_b as v, node_a as u from {{ edges }} as edges
        union all
        select node_id as v, node_id as u from nodes
    ),
    ranked as (
        select
            closed_neighbourhood.v,
            closed_neighbourhood.u,
            row_number() over (
                partition by closed_neighbourhood.v
                order by hashed.h, closed_neighbourhood.u
            ) as rank_in_neighbourhood
        from closed_neighbourhood
        inner join hashed
            on hashed.node_id = closed_neighbourhood.u
    )
    select v as node_id, u as rep
    from ranked
    where rank_in_neighbourhood = 1
{%- endmacro %}

{#- private: contraction step 1, map node_a through the round's map -#}
{% macro _cc_contract_a_sql(edges, map) -%}
    select
        round_map.rep as rep_a,
        edges.node_b
    from {{ edges }} as edges
    inner join {{ map }} as round_map
        on round_map.node_id = edges.node_a
{%- endmacro %}

{#- private: contraction step 2, map node_b, normalise (a < b), distinct, drop self-loops -#}
{% macro _cc_contract_b_sql(half_mapped, map) -%}
    select distinct
        case when half.rep_a < round_map.rep then half.rep_a else round_map.rep end as node_a,
        case when half.rep_a < round_map.rep then round_map.rep else half.rep_a end as node_b
    from {{ half_mapped }} as half
    inner join {{ map }} as round_map
        on round_map.node_id = half.node_b
    where half.rep_a <> round_map.rep
{%- endmacro %}

{#- private: f_i(v) = coalesce(f_{i+1}(m_i(v)), m_i(v)) -#}
{% macro _cc_compose_sql(map, later_labels) -%}
    select
        round_map.node_id,
        coalesce(later.rep, round_map.rep) as rep
    from {{ map }} as round_map
    left join {{ later_labels }} as later
        on later.node_id = round_map.rep
{%- endmacro %}


{#- private (incremental): the model's edges that matter given the previous result `previous`
    (node_id, component_id, updated_at), lifted to component labels; a node it has not seen is its
    own label. With `edges_updated_at`, only edges written after the previous result are read. -#}
{% macro _cc_lifted_edges_sql(model_sql, previous, edges_updated_at=none) -%}
    {%- set where = none -%}
    {%- set labels = previous -%}
    {%- if edges_updated_at is not none -%}
        {%- set labels = 'previous_labels' -%}
        {%- set watermark = c360.max_timestamp(previous, 'updated_at') -%}
        {%- set where = "(" ~ watermark ~ " is null or model_sql." ~ adapter.quote(edges_updated_at) ~ " > " ~ watermark ~ ")" -%}
    {%- endif -%}
    with model_edges as (
        {{ c360._cc_initial_edges_sql(model_sql, where) }}
    ),
    {%- if edges_updated_at is not none %}
    previous_labels as (
        -- only the previous rows of the new edges' nodes (a semi join: the few new edges are hashed,
        -- not the previous result)
        select node_id, component_id
        from {{ previous }}
        where node_id in (
            select node_a from model_edges
            union all
            select node_b from model_edges
        )
    ),
    {%- endif %}
    lifted as (
        select
            coalesce(previous_a.component_id, model_edges.node_a) as label_a,
            coalesce(previous_b.component_id, model_edges.node_b) as label_b
        from model_edges
        left join {{ labels }} as previous_a
            on previous_a.node_id = model_edges.node_a
        left join {{ labels }} as previous_b
            on previous_b.node_id = model_edges.node_b
    )
    select distinct
        case when label_a < label_b then label_a else label_b end as node_a,
        case when label_a < label_b then label_b else label_a end as node_b
    from lifted
    where label_a <> label_b
{%- endmacro %}

{#- private (incremental): the rows to rewrite, (node_id, component_id). `label_components_sql`
    selects (node_id = label, component_id = smallest label of its new component) for every label
    the lifted edges touched: a label is a previous component_id or a new node. -#}
{% macro _cc_changed_sql(previous, label_components_sql) -%}
    with label_components as (
        select node_id, component_id from (
            {{ label_components_sql }}
        ) as labels
    ),
    changed as (
        -- every previous member of a label's cluster that gets another label, and each label that
        -- is no previous component_id: a new node (a label is a previous component_id or a node the
        -- previous result lacks). One scan of the previous result, the labels hashed
        select
            coalesce(previous.node_id, label_components.node_id) as node_id,
            label_components.component_id
        from label_components
        left join {{ previous }} as previous
            on previous.component_id = label_components.node_id
        where previous.node_id is null
            or label_components.component_id <> previous.component_id
    )
    select node_id, component_id from changed
{%- endmacro %}
