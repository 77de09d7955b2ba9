-- an id rows table (the generated project's int_<input>__ids): each row records the run that
-- loaded it
select
    'a@example.org' as email_clean,
    cast('2026-01-01' as {{ dbt.type_timestamp() }}) as occurred_at,
    {{ c360.run_timestamp() }} as loaded_at
