{#-
  c360.normalize_phone(expr, default_country='1') -> the phone number as international digits
  without '+', or null.

  Rule (NANP-style default):
    1. keep only the digits of trim(expr);
    2. if the trimmed value starts with '+', the digits are already international: keep them;
    3. otherwise, if the digits start with the '00' international prefix, drop those two digits;
    4. otherwise, a number of at most 10 digits gets `default_country` prepended;
    5. a number with fewer than 7 digits (after step 3, before step 4) is null.
  Examples: '(650) 672-5618', '650.672.5618', '6506725618', '+1 650-672-5618' -> '16506725618';
            '+44 20 7946 0958', '0044 20 7946 0958' -> '442079460958'; '12345' -> null.
-#}
{% macro normalize_phone(expr, default_country='1') -%}
    {{ return(adapter.dispatch('normalize_phone', 'c360')(expr, default_country)) }}
{%- endmacro %}

{% macro default__normalize_phone(expr, default_country='1') -%}
    {%- set country = default_country | string -%}
    {%- if not country or country.strip('0123456789') != '' -%}
        {{ exceptions.raise_compiler_error("c360.normalize_phone: default_country must be digits only (e.g. '1' or '44'), got '" ~ default_country ~ "'") }}
    {%- endif -%}
    {%- set raw = "trim(cast(" ~ expr ~ " as " ~ dbt.type_string() ~ "))" -%}
    {%- set digits = c360.regex_replace_all(raw, "'[^0-9]'", "''") -%}
    case
        when {{ raw }} like '+%'
            then case when {{ dbt.length(digits) }} >= 7 then {{ digits }} end
        when {{ digits }} like '00%'
            then case when {{ dbt.length(digits) }} >= 9 then {{ dbt.right(digits, dbt.length(digits) ~ ' - 2') }} end
        when {{ dbt.length(digits) }} < 7 then null
        when {{ dbt.length(digits) }} <= 10 then {{ dbt.concat([c360.sql_string(country), digits]) }}
        else {{ digits }}
    end
{%- endmacro %}
