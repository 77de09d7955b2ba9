{#-
  c360.lookback_hours() -> the var c360_lookback_hours as a whole number of hours (default 0): how
  far an incremental int_<input>__ids run moves its event-time watermark back to read rows that
  arrived late. --vars gives it as a number or as a string ("48" from JSON); anything else stops
  the run with the fix, not with a SQL error.
-#}
{% macro lookback_hours() -%}
    {%- set value = var('c360_lookback_hours', 0) -%}
    {#- true, none and '' are not digits either ('True', 'None') -#}
    {%- set text = value | string | trim -%}
    {%- if not text.isdigit() -%}
        {{ exceptions.raise_compiler_error("var c360_lookback_hours must be a whole number of hours, 0 or more; got '" ~ value ~ "'. Fix: --vars '{c360_lookback_hours: 48}' (or leave it out: 0)") }}
    {%- endif -%}
    {{ return(text | int) }}
{%- endmacro %}
