{%- set values = c360.junk_values() -%}
{%- if '' not in values -%}
    {{ exceptions.raise_compiler_error("test_junk_values: '' is missing from c360.junk_values()") }}
{%- endif -%}
{%- for v in values if v != '' %}
select {{ c360.sql_string(v) }} as value
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
