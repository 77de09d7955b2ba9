{#-
  c360.junk_values() -> the built-in list (lowercase) of identifier values that never identify a
  person. c360.clean_id compares lower(normalised value) against it; values made only of zeros
  ('0', '0000000000') are junk too, checked separately by c360.clean_id.
  Override for a project by defining `<project>__junk_values` / a dispatch search order.
-#}
{% macro junk_values() -%}
    {{ return(adapter.dispatch('junk_values', 'c360')()) }}
{%- endmacro %}

{% macro default__junk_values() -%}
    {{ return([
        '', 'null', 'none', 'nil', 'unknown', 'undefined', 'n/a', 'na', '0', '-1',
        'test', 'test@test.com', 'test@example.com', 'noemail@noemail.com', 'no@email.com',
        'email@email.com', 'anonymous', 'guest', 'default', 'true', 'false', '[object object]',
    ]) }}
{%- endmacro %}
