-- the raw values test_clean_id cleans. A model, not a seed: dbt-postgres loads seeds through agate,
-- which reads 'NULL' (row 4, a junk value) as NULL
select cast(id as integer) as id, cast(raw as {{ dbt.type_string() }}) as raw
from (values
    (1, ' Bob@Shop.com '),
    (2, 'o''brien@shop.com'),
    (3, 'alice@example.org'),
    (4, 'NULL'),
    (5, 'N/A'),
    (6, '0000000000'),
    (7, '(555) 000-1234'),
    (8, '650.672.5618'),
    (9, 'tmp_123'),
    (10, 'blocked'),
    (11, 'Test@Test.com'),
    (12, null),
    (13, 'it''s'),
    (14, '[object Object]'),
    (15, '000-000-0000')
) as examples (id, raw)
