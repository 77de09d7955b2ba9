// The incremental strategy c360_delete_insert (macros/materializations/delete_insert.sql) on real dbt,
// on DuckDB (its own SQL) and PostgreSQL (dbt's delete+insert), in a hand-made project: rows
// replaced by unique key and added like dbt's delete+insert, for a one- and a two-column key; a run
// that fails after the delete and the insert (in a post-hook, which runs in their transaction)
// leaves the table as it was, and the next run applies the rows it missed; a model without a
// unique_key, or with incremental_predicates, is refused with the fix.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDuckDb } from '../../src/warehouse/duckdb.js';
import { runDbt, writeVendoredMacroProject } from '../helpers/dbt.js';
import { execSql } from '../support/build.js';
import { startPostgres, type PgServer } from '../support/postgres.js';
import { tempDir } from '../support/tmp.js';

/** One warehouse the project runs on: how to reach it from the test. */
interface Target {
  name: 'duckdb' | 'postgres';
  /** The schema dbt builds in (`target.schema`). */
  schema: string;
  env: Record<string, string>;
  exec: (sql: string) => Promise<void>;
  /** The first column of each row, as text. */
  column: (sql: string) => Promise<string[]>;
  stop: () => Promise<void>;
}

async function duckdbTarget(dir: string): Promise<Target> {
  const dbPath = join(dir, 'di.duckdb');
  writeVendoredMacroProject(dir, dbPath);
  return {
    name: 'duckdb',
    schema: 'main',
    env: {},
    exec: (sql) => execSql(dbPath, sql),
    column: (sql) => withDuckDb(dbPath, async (db) => (await db.query(sql)).map((r) => String(Object.values(r)[0]))),
    stop: async () => {},
  };
}

async function postgresTarget(dir: string): Promise<Target> {
  const pg: PgServer = await startPostgres();
  writeVendoredMacroProject(dir, join(dir, 'unused.duckdb'));
  writeFileSync(
    join(dir, 'profiles.yml'),
    `c360:\n  target: postgres\n  outputs:\n    postgres:\n      type: postgres\n      host: "{{ env_var('C360_PG_HOST') }}"\n` +
      `      port: "{{ env_var('C360_PG_PORT') | int }}"\n      user: "{{ env_var('C360_PG_USER') }}"\n      password: ""\n` +
      `      dbname: "{{ env_var('C360_PG_DATABASE') }}"\n      schema: c360\n      threads: 1\n`,
  );
  await pg.query('create schema c360');
  return {
    name: 'postgres',
    schema: 'c360',
    env: pg.env,
    exec: async (sql) => {
      await pg.query(sql);
    },
    column: async (sql) => (await pg.query(sql)).map((r) => String(r[0])),
    stop: () => pg.stop(),
  };
}

describe.each([
  ['duckdb', duckdbTarget],
  ['postgres', postgresTarget],
] as const)('incremental strategy c360_delete_insert on %s', (targetName, makeTarget) => {
  let t: Target;
  let dir: string;
  const dbt = async (...args: string[]) => {
    const r = await runDbt(dir, args, t.env);
    expect(r.exitCode, r.output).toBe(0);
    return r;
  };
  const rows = (model: string, columns: string) =>
    t.column(`select ${columns.split(', ').join(" || ':' || ")} from ${t.schema}.${model} order by k`);
  const load = (values: string) => t.exec(`insert into ${t.schema}.src values ${values}`);

  beforeAll(async () => {
    dir = tempDir(`delete-insert-${targetName}`);
    t = await makeTarget(dir);
    // the failure is a cast error, which both warehouses report with the string cast
    writeFileSync(
      join(dir, 'models', 'kv.sql'),
      `{{ config(
    materialized='incremental',
    unique_key='k',
    incremental_strategy='c360_delete_insert',
    post_hook="{% if var('fail', false) %}select cast('injected failure after the delete and the insert' as integer){% endif %}"
) }}
select k, v, batch
from {{ target.schema }}.src
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
from {{ target.schema }}.src
{% if is_incremental() %}
where batch > (select max(batch) from {{ this }})
{% endif %}
`,
    );
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('builds the table, then replaces rows by unique key and adds new ones', async () => {
    await t.exec(`create table ${t.schema}.src (k integer, v varchar(10), batch integer); insert into ${t.schema}.src values (1, 'a', 1), (2, 'b', 1)`);
    await dbt('run');
    expect(await rows('kv', 'k, v, batch')).toEqual(['1:a:1', '2:b:1']);
    await load("(2, 'B', 2), (3, 'c', 2)");
    await dbt('run');
    expect(await rows('kv2', 'k, j, v, batch')).toEqual(['1:1:a:1', '2:0:B:2', '3:1:c:2']);
    const runSql = readFileSync(join(dir, 'target', 'run', 'c360', 'models', 'kv.sql'), 'utf8');
    if (t.name === 'duckdb') {
      // on DuckDB the work table is committed before the delete and the insert read it
      expect(runSql).toMatch(/^commit;\s*begin transaction;\s*delete from "[^"]+"\."main"\."kv"[^;]*;\s*insert into [^;]*order by k\s*$/);
    } else {
      // elsewhere dbt's delete+insert, in the model's one transaction
      expect(runSql).toMatch(/^\s*delete from "[^"]+"\."c360"\."kv"/);
      expect(runSql).not.toMatch(/commit/i);
    }
    expect(await rows('kv', 'k, v, batch')).toEqual(['1:a:1', '2:B:2', '3:c:2']);
  });

  it('a run failing after the delete and the insert leaves the table as it was; the next run catches up', async () => {
    await load("(1, 'X', 3), (4, 'd', 3)");
    const failed = await runDbt(dir, ['run', '--select', 'kv', '--vars', '{fail: true}'], t.env);
    expect(failed.exitCode).not.toBe(0);
    expect(failed.output).toContain('injected failure after the delete and the insert');
    expect(await rows('kv', 'k, v, batch')).toEqual(['1:a:1', '2:B:2', '3:c:2']);
    await dbt('run', '--select', 'kv');
    expect(await rows('kv', 'k, v, batch')).toEqual(['1:X:3', '2:B:2', '3:c:2', '4:d:3']);
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
    const again = await runDbt(dir, ['run', '--select', 'nokey', 'predicates'], t.env);
    expect(again.exitCode).not.toBe(0);
    const relation = (model: string) => `"[^"]+"\\."${t.schema}"\\."${model}"`;
    expect(again.output).toMatch(new RegExp(`c360_delete_insert: model ${relation('nokey')} has no unique_key; set one in its config`));
    expect(again.output).toMatch(new RegExp(`c360_delete_insert: model ${relation('predicates')}: incremental_predicates are not supported; remove them`));
  });
});
