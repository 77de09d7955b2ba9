{#- c360.tune_session() as the generated projects use it, a pre-hook (an empty one is skipped: this
    model building at all shows it), what it renders, and the session setting it leaves (the
    model's own statement runs after the hook, on the same connection) -#}
{{ config(pre_hook="{{ c360.tune_session() }}") }}

select
    {{ c360.sql_string(c360.tune_session() | trim) }} as rendered,
    {% if target.type == 'postgres' %}current_setting('jit'){% else %}cast(null as {{ dbt.type_string() }}){% endif %} as jit
