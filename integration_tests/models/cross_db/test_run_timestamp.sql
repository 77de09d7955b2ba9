-- the literal is a timestamp of this run: within a day of the warehouse clock, and one value
select
    1 as id,
    {{ c360.run_timestamp() }} > {{ dbt.dateadd('day', -1, dbt.current_timestamp()) }}
        and {{ c360.run_timestamp() }} < {{ dbt.dateadd('day', 1, dbt.current_timestamp()) }} as is_this_run,
    {{ c360.run_timestamp() }} = {{ c360.run_timestamp() }} as is_stable
