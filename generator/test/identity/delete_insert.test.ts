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

const rows = () =>
  withDuckDb(dbPath, (db) => db.query<{ k: number; v: string; batch: number }>('select k, v, batch from main.kv order by k'));
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
    // on DuckDB the work table is committed before the delete and the insert read it
    expect(readFileSync(join(dir, 'target', 'run', 'c360', 'models', 'kv.sql'), 'utf8')).toMatch(
      /^commit;\s*begin transaction;\s*delete from "[^"]+"\."main"\."kv"/,
    );
    expect(await rows()).toEqual([
      { k: 1, v: 'a', batch: 1 },
      { k: 2, v: 'B', batch: 2 },
      { k: 3, v: 'c', batch: 2 },
    ]);
  });

  it('a run failing after the delete and the insert leaves the table as it was; the next run catches up', async () => {
    await load("(1, 'X', 3), (4, 'd', 3)");
    const failed = await runDbt(dir, ['run', '--vars', '{fail: true}']);
    expect(failed.exitCode).not.toBe(0);
    expect(failed.output).toContain('injected failure after the delete and the insert');
    expect(await rows()).toEqual([
      { k: 1, v: 'a', batch: 1 },
      { k: 2, v: 'B', batch: 2 },
      { k: 3, v: 'c', batch: 2 },
    ]);
    await dbt('run');
    expect(await rows()).toEqual([
      { k: 1, v: 'X', batch: 3 },
      { k: 2, v: 'B', batch: 2 },
      { k: 3, v: 'c', batch: 2 },
      { k: 4, v: 'd', batch: 3 },
    ]);
  });
});
