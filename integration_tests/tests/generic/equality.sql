{#- equality(model, compare_model, compare_columns=none): both relations hold the same set of rows
    (over compare_columns, or all of compare_model's columns, so an
    `_expected` seed decides what is compared and `where` may filter the model); nulls compare equal. Fails with the rows
    that are in only one side, tagged by which side. -#}
{% test equality(model, compare_model, compare_columns=none) %}
    {%- if compare_columns is none -%}
        {%- set compare_columns = adapter.get_columns_in_relation(compare_model) | map(attribute='quoted') | list -%}
    {%- endif -%}
    {%- set columns = compare_columns | join(', ') -%}
    with actual as (
        select {{ columns }} from {{ model }}
    ),
    expected as (
        select {{ columns }} from {{ compare_model }}
    ),
    only_in_actual as (
        select * from actual
        except
        select * from expected
    ),
    only_in_expected as (
        select * from expected
        except
        select * from actual
    )
    select 'only in model' as side, * from only_in_actual
    union all
    select 'only in compare_model' as side, * from only_in_expected
{% endtest %}
