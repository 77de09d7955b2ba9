-- what test_clean_id gives for data_clean_id. A model, not a seed: dbt-postgres loads seeds through
-- agate, which reads the string 'NULL' (row 4, kept with junk=false) as NULL
select
    cast(id as integer) as id,
    cast(as_email as {{ dbt.type_string() }}) as as_email,
    cast(as_phone as {{ dbt.type_string() }}) as as_phone,
    cast(as_trim as {{ dbt.type_string() }}) as as_trim,
    cast(as_none as {{ dbt.type_string() }}) as as_none,
    cast(no_junk as {{ dbt.type_string() }}) as no_junk
from (values
    (1, 'bob@shop.com', null, 'Bob@Shop.com', ' Bob@Shop.com ', 'Bob@Shop.com'),
    (2, null, null, 'o''brien@shop.com', 'o''brien@shop.com', 'o''brien@shop.com'),
    (3, null, null, 'alice@example.org', 'alice@example.org', 'alice@example.org'),
    (4, null, null, null, null, 'NULL'),
    (5, null, null, null, null, 'N/A'),
    (6, null, null, null, null, '0000000000'),
    (7, '(555) 000-1234', null, '(555) 000-1234', '(555) 000-1234', '(555) 000-1234'),
    (8, '650.672.5618', '16506725618', '650.672.5618', '650.672.5618', '650.672.5618'),
    (9, 'tmp_123', null, null, 'tmp_123', 'tmp_123'),
    (10, 'blocked', null, null, 'blocked', 'blocked'),
    (11, null, null, null, null, 'Test@Test.com'),
    (12, null, null, null, null, null),
    (13, 'it''s', null, 'it''s', null, 'it''s'),
    (14, null, null, null, null, '[object Object]'),
    (15, '000-000-0000', null, '000-000-0000', '000-000-0000', '000-000-0000')
) as expected (id, as_email, as_phone, as_trim, as_none, no_junk)
