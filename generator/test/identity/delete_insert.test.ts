// The incremental strategy c360_delete_insert (macros/materializations/delete_insert.sql) on real dbt
// and DuckDB, in a hand-made project: rows replaced by unique key and added like dbt's
// delete+insert, and a run that fails after the delete and the insert (in a post-hook, which runs
// in their transaction) leaves the table as it was; the next run applies the rows it missed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDuckDb } from '../../src/warehouse/duckdb.js';
import { runDbt, writeVendoredMacroProject } from '../helpers/dbt.js';
import { execSql } from '../support/build.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('delete-insert');
const dbPath = join(dir, 'di.duckdb');

writeVendoredMacroProject(dir, dbPath);
writeFileSync(
  join(dir, 'models', 'kv.sql'),
  `{{ config(
    materialized='incremental',
    unique_key='k',
    incremental_strategy='c360_delete_insert',
    post_hook="{% if var('fail', false) %}select error('injected failure after the delete and the insert'){% endif %}"
) }}
select k, v, batch
from main.src
{% if is_incremental() %}
where batch > (select max(batch) from {{ this }})
{% endif %}
`,
);

// the same with a two-column key (the edges' (node_a, node_b)): `delete ... using` on DuckDB
writeFileSync(
  join(dir, 'models', 'kv2.sql'),
  `{{ config(materialized='incremental', unique_key=['k', 'j'], incremental_strategy='c360_delete_insert') }}
select k, k % 2 as j, v, batch
from main.src
{% if is_incremental() %}
where batch > (select max(batch) from {{ this }})
{% endif %}
`,
);

const rows = () =>
  withDuckDb(dbPath, (db) => db.query('select k, v, batch from main.kv order by k'));
const load = (values: string) => execSql(dbPath, `insert into main.src values ${values}`);
const dbt = async (...args: string[]) => {
  const r = await runDbt(dir, args);
  expect(r.exitCode, r.output).toBe(0);
  return r;
};

describe('incremental strategy c360_delete_insert', () => {
  it('builds the table, then replaces rows by unique key and adds new ones', async () => {
    await execSql(dbPath, "create table main.src (k integer, v varchar, batch integer); insert into main.src values (1, 'a', 1), (2, 'b', 1)");
    await dbt('run');
    expect(await rows()).toEqual([
      { k: 1, v: 'a', batch: 1 },
      { k: 2, v: 'b', batch: 1 },
    ]);
    await load("(2, 'B', 2), (3, 'c', 2)");
    await dbt('run');
    expect(
      await withDuckDb(dbPath, (db) => db.query('select k, j, v, batch from main.kv2 order by k')),
    ).toEqual([
      { k: 1, j: 1, v: 'a', batch: 1 },
      { k: 2, j: 0, v: 'B', batch: 2 },
      { k: 3, j: 1, v: 'c', batch: 2 },
    ]);
    // on DuckDB the work table is committed before the delete and the insert read it
    expect(readFileSync(join(dir, 'target', 'run', 'c360', 'models', 'kv.sql'), 'utf8')).toMatch(
      /^commit;\s*begin transaction;\s*delete from "[^"]+"\."main"\."kv"[^;]*;\s*insert into [^;]*order by k\s*$/,
    );
    expect(await rows()).toEqual([
      { k: 1, v: 'a', batch: 1 },
      { k: 2, v: 'B', batch: 2 },
      { k: 3, v: 'c', batch: 2 },
    ]);
  });

  it('a run failing after the delete and the insert leaves the table as it was; the next run catches up', async () => {
    await load("(1, 'X', 3), (4, 'd', 3)");
    const failed = await runDbt(dir, ['run', '--select', 'kv', '--vars', '{fail: true}']);
    expect(failed.exitCode).not.toBe(0);
    expect(failed.output).toContain('injected failure after the delete and the insert');
    expect(await rows()).toEqual([
      { k: 1, v: 'a', batch: 1 },
      { k: 2, v: 'B', batch: 2 },
      { k: 3, v: 'c', batch: 2 },
    ]);
    await dbt('run', '--select', 'kv');
    expect(await rows()).toEqual([
      { k: 1, v: 'X', batch: 3 },
      { k: 2, v: 'B', batch: 2 },
      { k: 3, v: 'c', batch: 2 },
      { k: 4, v: 'd', batch: 3 },
    ]);
  });

  it('refuses a model without unique_key, and incremental_predicates, with the fix', async () => {
    writeFileSync(
      join(dir, 'models', 'nokey.sql'),
      "{{ config(materialized='incremental', incremental_strategy='c360_delete_insert') }}\nselect 1 as k\n",
    );
    writeFileSync(
      join(dir, 'models', 'predicates.sql'),
      "{{ config(materialized='incremental', unique_key='k', incremental_strategy='c360_delete_insert', incremental_predicates=['k > 0']) }}\nselect 1 as k\n",
    );
    await dbt('run', '--select', 'nokey', 'predicates'); // a first build creates the tables
    const again = await runDbt(dir, ['run', '--select', 'nokey', 'predicates']);
    expect(again.exitCode).not.toBe(0);
    expect(again.output).toMatch(/c360_delete_insert: model "[^"]+"\."main"\."nokey" has no unique_key; set one in its config/);
    expect(again.output).toMatch(/c360_delete_insert: model "[^"]+"\."main"\."predicates": incremental_predicates are not supported; remove them/);
  });
});
