-- the raw values test_normalize_trim trims. A model, not a seed: dbt-postgres loads seeds through
-- agate, which reads a blank value ('   ', row 2) as NULL
select cast(id as integer) as id, cast(raw as {{ dbt.type_string() }}) as raw
from (values
    (1, '  abc  '),
    (2, '   '),
    (3, null),
    (4, 'Mixed Case')
) as examples (id, raw)
