{#- c360.cte_inlined() where the generated projects use it, on a CTE referenced twice: what it
    renders, and that the query runs -#}
with numbers as {{ c360.cte_inlined() }} (

    select 1 as n
    union all
    select 2 as n

)

select
    {{ c360.sql_string(c360.cte_inlined() | trim) }} as rendered,
    (select count(*) from numbers as a cross join numbers as b) as pairs
