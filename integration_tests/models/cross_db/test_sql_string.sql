{%- set values = ["plain", "it's", "back\\slash", "two '' quotes", "%_like", ""] %}
{%- for v in values %}
select {{ loop.index }} as id, {{ c360.sql_string(v) }} as value
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
