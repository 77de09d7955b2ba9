// The c360_state_table materialization (macros/materializations/state_table.sql) on real dbt and
// DuckDB, in a hand-made project: created once, its rows kept by later runs and --full-refresh,
// missing columns added, a view under its name refused with a fix.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDuckDb } from '../../src/warehouse/duckdb.js';
import { runDbt, writeVendoredMacroProject } from '../helpers/dbt.js';
import { execSql } from '../support/build.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('state-table');
const dbPath = join(dir, 'state.duckdb');

writeVendoredMacroProject(dir, dbPath);

const model = (columns: string[]) =>
  writeFileSync(
    join(dir, 'models', 'run_state.sql'),
    `{{ config(materialized='c360_state_table') }}\nselect\n${columns.join(',\n')}\nwhere 1 = 0\n`,
  );
const query = (sql: string) => withDuckDb(dbPath, (db) => db.query(sql));
const dbt = async (...args: string[]) => {
  const r = await runDbt(dir, args);
  expect(r.exitCode, r.output).toBe(0);
  return r;
};

describe('materialization c360_state_table', () => {
  it('creates the table from the model, empty', async () => {
    model(['    cast(null as varchar) as model_name', '    cast(null as timestamp) as recorded_at']);
    await dbt('run');
    expect(await query('select count(*)::int as n from main.run_state')).toEqual([{ n: 0 }]);
  });

  it('keeps the rows hooks wrote, on later runs and under --full-refresh', async () => {
    await execSql(dbPath, "insert into main.run_state values ('int_web__ids', timestamp '2026-01-02 03:04:05')");
    await dbt('run');
    await dbt('run', '--full-refresh');
    expect(await query('select model_name, cast(recorded_at as varchar) as recorded_at from main.run_state')).toEqual([
      { model_name: 'int_web__ids', recorded_at: '2026-01-02 03:04:05' },
    ]);
  });

  it('adds the columns the model selects that the table lacks, keeping the rows', async () => {
    model([
      '    cast(null as varchar) as model_name',
      '    cast(null as timestamp) as recorded_at',
      '    cast(null as bigint) as runs',
    ]);
    const r = await dbt('run');
    expect(r.output).toMatch(/c360: run_state: adding columns runs/);
    const columns = await query(
      "select column_name, data_type from information_schema.columns where table_name = 'run_state' order by ordinal_position",
    );
    expect(columns).toEqual([
      { column_name: 'model_name', data_type: 'VARCHAR' },
      { column_name: 'recorded_at', data_type: 'TIMESTAMP' },
      { column_name: 'runs', data_type: 'BIGINT' },
    ]);
    expect(await query('select model_name, runs from main.run_state')).toEqual([{ model_name: 'int_web__ids', runs: null }]);
  });

  it('refuses a view under its name and says how to fix it', async () => {
    await execSql(dbPath, 'drop table main.run_state; create view main.run_state as select 1 as model_name');
    const r = await runDbt(dir, ['run']);
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toMatch(/run_state" is a view, but this model keeps state in a table/);
    expect(r.output).toMatch(/fix: drop it \(drop view .*run_state"\) and run dbt build again/);
  });
});
