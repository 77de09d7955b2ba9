{#- c360.analyze_after_write() as the generated projects use it, a post-hook (an empty one is
    skipped: this model building at all shows it), and what it renders for this model -#}
{{ config(post_hook="{{ c360.analyze_after_write() }}") }}

select {{ c360.sql_string(c360.analyze_after_write() | trim) }} as rendered
