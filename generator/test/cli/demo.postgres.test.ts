// `c360-gen demo --target postgres` as users run it: the built binary against a throwaway
// PostgreSQL server; the ground truth must hold there, and the demo must never touch a schema
// that is not its own.

import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/dbt/locate.js';
import { DEMO_SCHEMA_COMMENT } from '../../src/demo/postgres.js';
import { freePort, startPostgres, type PgServer } from '../support/postgres.js';
import { tempDir } from '../support/tmp.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'c360-gen.js');

describe('c360-gen demo --target postgres', () => {
  let pg: PgServer;
  const cli = (args: string[], cwd: string, env: Record<string, string> = pg.env) =>
    execa('node', [BIN, ...args], { cwd, reject: false, env: { NO_COLOR: '1', ...env }, extendEnv: false });

  beforeAll(async () => {
    pg = await startPostgres('demo');
  });

  afterAll(async () => {
    await pg?.stop();
  });

  it('says which variables to set when the connection is not given', async () => {
    const dir = tempDir('cli-demo-pg-env');
    const r = await cli(['demo', '--target', 'postgres', '--customers', '20'], dir, { PATH: process.env.PATH ?? '' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('set C360_PG_USER and C360_PG_DATABASE');
    expect(existsSync(join(dir, 'c360_demo'))).toBe(false);
  });

  it('says which server it cannot reach, and writes nothing', async () => {
    const dir = tempDir('cli-demo-pg-down');
    const port = await freePort();
    const env = { ...pg.env, C360_PG_PORT: String(port), PATH: process.env.PATH ?? '' };
    const r = await cli(['demo', '--target', 'postgres', '--customers', '20'], dir, env);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`error: cannot reach postgres 127.0.0.1:${port}/demo (schema c360_demo)`);
    expect(r.stderr).not.toContain('internal error');
    expect(existsSync(join(dir, 'c360_demo'))).toBe(false);
  });

  it('refuses a schema of its name that it did not make, and writes nothing', async () => {
    await pg.query('create schema c360_demo_raw');
    try {
      const dir = tempDir('cli-demo-pg-taken');
      const r = await cli(['demo', '--target', 'postgres', '--customers', '20'], dir, { ...pg.env, PATH: process.env.PATH ?? '' });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('schema c360_demo_raw already exists in database demo and was not made by c360-gen demo');
      expect(existsSync(join(dir, 'c360_demo'))).toBe(false);
      expect(await pg.query("select count(*) from pg_namespace where nspname = 'c360_demo'")).toEqual([['0']]);
    } finally {
      await pg.query('drop schema c360_demo_raw');
    }
  });

  it('builds the demo in its own schemas and resolves every person exactly, twice', async () => {
    const env = { ...pg.env, PATH: process.env.PATH ?? '', C360_PG_SCHEMA: 'somebody_elses' };
    const dir = tempDir('cli-demo-pg');
    for (const round of [1, 2]) {
      const r = await cli(['demo', '--target', 'postgres', '--customers', '120', '--seed', '7'], dir, env);
      expect(r.exitCode, `run ${round}: ${r.stderr}${r.stdout.slice(-3000)}`).toBe(0);
      expect(r.stdout).toMatch(/customers resolved\s+120\b/);
      expect(r.stdout).toMatch(/ground truth\s+120\/120 people resolved whole, 0 clusters merging two people/);
      expect(r.stdout).toMatch(/dbt\s+\d+ models, (\d+) tests: \1 passed, 0 failed/);
      expect(r.stdout).toContain('demo tables in c360_demo_raw');
    }
    // the models went to c360_demo (not C360_PG_SCHEMA), the data to c360_demo_raw, both marked
    expect(await pg.query('select count(*) > 0 from c360_demo.customer_360')).toEqual([['t']]);
    expect(await pg.query('select count(*) from c360_demo_raw.ground_truth_persons')).toEqual([['120']]);
    expect(await pg.query("select count(*) from pg_namespace where nspname = 'somebody_elses'")).toEqual([['0']]);
    expect(await pg.query("select nspname, obj_description(oid, 'pg_namespace') from pg_namespace where nspname like 'c360_demo%' order by 1")).toEqual([
      ['c360_demo', DEMO_SCHEMA_COMMENT],
      ['c360_demo_raw', DEMO_SCHEMA_COMMENT],
    ]);
    // the demo's project is what its spec generates
    const check = await cli(['generate', '--check', '--spec', 'c360_demo/c360.yml', '--out', 'c360_demo/c360_project'], dir, env);
    expect(check.exitCode, check.stdout.slice(0, 2000)).toBe(0);
  });
});
