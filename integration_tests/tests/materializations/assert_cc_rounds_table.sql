-- the __rounds side table exists, starts at round 0 with the 18 distinct non-self input edges, ends with 0 edges, and no __cc_ work table is left behind
with rounds as (
    select round, edges from {{ target.schema }}.test_connected_components__rounds
),
checks as (
    select 'round 0 edges' as failure from rounds where round = 0 and edges <> 18
    union all
    select 'last round not empty' from rounds where round = (select max(round) from rounds) and edges <> 0
    union all
    select 'no rounds' from (select count(*) as n from rounds) as c where n < 2
    union all
    select 'leftover work table: ' || table_name
    from information_schema.tables
    where table_schema = '{{ target.schema }}' and table_name like 'test_connected_components%__cc_%'
)
select * from checks
-- depends_on: {{ ref('test_connected_components') }}
