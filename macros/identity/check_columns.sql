{#-
  c360.check_columns(relation, columns) -> '' (call it where an incremental model reads its own
  table), or raises: `relation` exists but lacks some of `columns`, so it was built by an older
  c360-gen and the incremental run cannot read it. Only a full refresh of the model rebuilds it;
  the error says so in place of the warehouse's "column not found". A relation that does not
  exist passes (the model builds it in full).
-#}
{% macro check_columns(relation, columns) -%}
    {{ return(adapter.dispatch('check_columns', 'c360')(relation, columns)) }}
{%- endmacro %}

{% macro default__check_columns(relation, columns) -%}
    {%- if columns is string or columns is not iterable -%}
        {{ exceptions.raise_compiler_error("c360.check_columns: columns must be a list of column names, got " ~ columns) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set existing = load_relation(relation) -%}
    {%- if existing is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set missing = c360._missing_columns(existing, columns) -%}
    {%- if missing | length > 0 -%}
        {{ exceptions.raise_compiler_error(
            "c360: " ~ relation ~ " has no column " ~ missing | join(', ') ~ ": it was built by an older c360-gen, and "
            ~ model.name ~ " reads it on incremental runs.\n"
            ~ "  fix: dbt build --full-refresh --select " ~ model.name) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#- private: the names in `columns` that the existing relation `relation` lacks (case-insensitive) -#}
{% macro _missing_columns(relation, columns) -%}
    {%- set have = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- set missing = [] -%}
    {%- for column in columns if column | lower not in have -%}
        {%- do missing.append(column) -%}
    {%- endfor -%}
    {{ return(missing) }}
{%- endmacro %}
