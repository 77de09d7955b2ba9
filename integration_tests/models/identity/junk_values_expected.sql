-- c360.junk_values() except '' (test_junk_values checks '' separately), written out. A model, not
-- a seed: dbt-postgres loads seeds through agate, which reads the string 'null' as NULL (dbt-core
-- #1466, wontfix), and the expected list would lose it
select cast(value as {{ dbt.type_string() }}) as value
from (values
    ('null'),
    ('none'),
    ('nil'),
    ('unknown'),
    ('undefined'),
    ('n/a'),
    ('na'),
    ('0'),
    ('-1'),
    ('test'),
    ('test@test.com'),
    ('test@example.com'),
    ('noemail@noemail.com'),
    ('no@email.com'),
    ('email@email.com'),
    ('anonymous'),
    ('guest'),
    ('default'),
    ('true'),
    ('false'),
    ('[object object]')
) as expected (value)
