{#-
  c360.clean_id(expr, normalize='trim', junk=true, exclude_values=[], exclude_regex=[],
                default_country='1')
  -> a string SQL expression: the normalised identifier, or null when it must not stitch.

  normalize: 'email' (c360.normalize_email), 'phone' (c360.normalize_phone with default_country),
             'trim' (c360.normalize_trim) or 'none' (only cast to string; no trim).
  The result is null when the normalised value is
    - null or '';
    - junk (junk=true): lower(value) is in c360.junk_values(), or the value is made only of zeros
      (for phone, also when the raw digits are all zeros, e.g. '000-000-0000');
    - in exclude_values (each value is normalised the same way before comparing);
    - matched by any of exclude_regex (partial match: anchor with ^...$ to match whole values).
  Every value and pattern is emitted as an escaped SQL literal (c360.sql_string).
-#}
{% macro clean_id(expr, normalize='trim', junk=true, exclude_values=[], exclude_regex=[], default_country='1') -%}
    {{ return(adapter.dispatch('clean_id', 'c360')(expr, normalize, junk, exclude_values, exclude_regex, default_country)) }}
{%- endmacro %}

{% macro default__clean_id(expr, normalize='trim', junk=true, exclude_values=[], exclude_regex=[], default_country='1') -%}
    {%- if expr is none or expr is not string -%}
        {{ exceptions.raise_compiler_error("c360.clean_id: expr must be a SQL expression string, got " ~ expr) }}
    {%- endif -%}
    {%- if normalize not in ['email', 'phone', 'trim', 'none'] -%}
        {{ exceptions.raise_compiler_error("c360.clean_id: normalize must be one of email, phone, trim, none; got '" ~ normalize ~ "'") }}
    {%- endif -%}
    {%- if junk is not sameas true and junk is not sameas false -%}
        {{ exceptions.raise_compiler_error("c360.clean_id: junk must be true or false, got '" ~ junk ~ "'") }}
    {%- endif -%}
    {%- for arg_name, arg in [('exclude_values', exclude_values), ('exclude_regex', exclude_regex)] -%}
        {%- if arg is none or arg is string or arg is mapping or arg is not iterable -%}
            {{ exceptions.raise_compiler_error("c360.clean_id: " ~ arg_name ~ " must be a list of strings, got " ~ arg) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set value = c360._clean_id_normalize(expr, normalize, default_country) -%}
    {%- set checks = [] -%}
    {%- if junk -%}
        {%- do checks.append(c360._is_junk(value)) -%}
        {%- do checks.append(c360._is_all_zeros(value)) -%}
        {%- if normalize == 'phone' -%}
            {%- set raw_digits = c360.regex_replace_all("cast(" ~ expr ~ " as " ~ dbt.type_string() ~ ")", "'[^0-9]'", "''") -%}
            {%- do checks.append(c360._is_all_zeros(raw_digits)) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if exclude_values | length > 0 -%}
        {%- set literals = [] -%}
        {%- for v in exclude_values -%}
            {%- do literals.append(c360._clean_id_normalize(c360.sql_string(v), normalize, default_country)) -%}
        {%- endfor -%}
        {%- do checks.append(c360.in_list(value, literals)) -%}
    {%- endif -%}
    {%- for pattern in exclude_regex -%}
        {%- do checks.append(c360.regex_matches(value, c360.sql_string(pattern))) -%}
    {%- endfor -%}
    case
        when {{ value }} is null or {{ value }} = '' then null
        {%- for check in checks %}
        when {{ check }} then null
        {%- endfor %}
        else {{ value }}
    end
{%- endmacro %}

{#- private: the normalised value of `expr` for clean_id's `normalize` mode -#}
{% macro _clean_id_normalize(expr, normalize, default_country) -%}
    {%- if normalize == 'email' -%}
        {{ c360.normalize_email(expr) }}
    {%- elif normalize == 'phone' -%}
        ({{ c360.normalize_phone(expr, default_country) }})
    {%- elif normalize == 'trim' -%}
        {{ c360.normalize_trim(expr) }}
    {%- else -%}
        cast({{ expr }} as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}

{#- private: true when the string `value` is in the built-in junk list (lower-cased) -#}
{% macro _is_junk(value) -%}
    {%- set literals = [] -%}
    {%- for v in c360.junk_values() -%}
        {%- do literals.append(c360.sql_string(v)) -%}
    {%- endfor -%}
    {{ c360.in_list('lower(' ~ value ~ ')', literals) }}
{%- endmacro %}

{#- private: true when the string `value` is made only of zeros (never for ''). The range test
    first: every such value sorts in ['0', '1') and '' sorts before it, and engines that evaluate `and` lazily (DuckDB in a case
    condition) then build the replaced string only for values that start with '0' (measured:
    normalising the 19.8M rows of the 10M bench ~3.5 s faster than the replace alone) -#}
{% macro _is_all_zeros(value) -%}
    ({{ value }} >= '0' and {{ value }} < '1' and {{ dbt.replace(value, "'0'", "''") }} = '')
{%- endmacro %}
