// Runs the integration_tests/ dbt project (every c360 macro against _expected seeds and models) on
// a temp DuckDB file and on a throwaway PostgreSQL server (its postgres target, the C360_PG_*
// variables), and asserts a clean build on both: every node passes, and Postgres runs exactly the
// nodes DuckDB runs, so a node skipped or missing on one warehouse fails. Each run has its own
// target and log folders in a temp dir, never integration_tests/target or logs.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/dbt/locate.js';
import { readRunResults } from '../../src/dbt/run.js';
import { withDuckDb } from '../../src/warehouse/duckdb.js';
import { runDbt } from '../helpers/dbt.js';
import { startPostgres, type PgServer } from '../support/postgres.js';
import { tempDir } from '../support/tmp.js';

const projectDir = join(PACKAGE_ROOT, 'integration_tests');
const tmp = tempDir('it');
const duckDbPath = join(tmp, 'integration_tests.duckdb');
/** The postgres output's default schema (integration_tests/profiles.yml; the test leaves C360_PG_SCHEMA unset). */
const PG_SCHEMA = 'c360_integration_tests';

interface SuiteRun {
  exitCode: number;
  output: string;
  /** run_results.json: every node's status. */
  statuses: Record<string, string>;
  counts: NonNullable<ReturnType<typeof readRunResults>['counts']>;
}

/** `dbt build --full-refresh --target <target>` of the suite, with its target and logs under tmp/<target>. */
async function buildSuite(target: 'duckdb' | 'postgres', env: Record<string, string>): Promise<SuiteRun> {
  const dir = join(tmp, target);
  mkdirSync(dir);
  const logs = { DBT_LOG_PATH: join(dir, 'logs') };
  if (!existsSync(join(projectDir, 'dbt_packages', 'c360'))) {
    const deps = await runDbt(projectDir, ['deps'], logs);
    expect(deps.exitCode, deps.output).toBe(0);
  }
  const targetPath = join(dir, 'target');
  const build = await runDbt(projectDir, ['build', '--full-refresh', '--target', target, '--target-path', targetPath], { ...env, ...logs });
  const resultsFile = join(targetPath, 'run_results.json');
  expect(existsSync(resultsFile), build.output.slice(-3000)).toBe(true);
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { results: { unique_id: string; status: string }[] };
  return {
    ...build,
    statuses: Object.fromEntries(results.results.map((r) => [r.unique_id, r.status])),
    counts: readRunResults(projectDir, targetPath).counts!,
  };
}

/** The nodes that did not succeed (models, seeds: success; tests: pass), with their status. */
const notPassed = (run: SuiteRun) => Object.entries(run.statuses).filter(([, status]) => status !== 'success' && status !== 'pass');

// built once: its own test, and the reference the Postgres run is compared with
let duckDbRun: Promise<SuiteRun> | undefined;
const onDuckDb = () => (duckDbRun ??= buildSuite('duckdb', { C360_IT_DUCKDB_PATH: duckDbPath }));

describe('integration_tests dbt project', () => {
  it('dbt build passes every macro test', async () => {
    const build = await onDuckDb();
    expect(build.exitCode, build.output.slice(-3000)).toBe(0);
    expect(notPassed(build)).toEqual([]);
    expect(build.counts.tests).toBeGreaterThan(0);
    expect(build.counts.pass).toBeGreaterThan(0);
    expect(build.counts.fail).toBe(0);
    expect(build.counts.error).toBe(0);
    expect(build.output).toMatch(/c360: test_connected_components round 0: 18 edges/);
  });
});

describe('integration_tests dbt project on PostgreSQL', () => {
  let pg: PgServer;
  let build: SuiteRun;

  beforeAll(async () => {
    pg = await startPostgres();
    build = await buildSuite('postgres', pg.env);
  });

  afterAll(async () => {
    await pg?.stop();
  });

  it('dbt build --target postgres passes every macro test, the same nodes as on DuckDB', async () => {
    expect(build.exitCode, build.output.slice(-3000)).toBe(0);
    expect(notPassed(build)).toEqual([]);
    const duck = await onDuckDb();
    expect(Object.keys(build.statuses).sort()).toEqual(Object.keys(duck.statuses).sort());
    expect(build.counts).toEqual(duck.counts);
    expect(build.counts.tests).toBeGreaterThan(20);
    expect(build.output).toMatch(/c360: test_connected_components round 0: 18 edges/);
  });

  it('loads every seed with the nulls DuckDB loads (agate reads the string null and blank cells as NULL: those examples are models)', async () => {
    const duck = await onDuckDb();
    const seeds = Object.keys(build.statuses)
      .filter((id) => id.startsWith('seed.'))
      .map((id) => id.split('.').pop()!);
    expect(seeds.length).toBeGreaterThan(10);
    const columns = await pg.query(
      `select table_name, column_name from information_schema.columns where table_schema = '${PG_SCHEMA}' order by table_name, ordinal_position`,
    );
    // per seed: its rows, then the non-null values of each column
    const counting = (schema: string, seed: string) => {
      const cols = columns.filter(([table]) => table === seed).map(([, column]) => `count(${column})`);
      expect(cols.length, seed).toBeGreaterThan(0);
      return `select count(*), ${cols.join(', ')} from ${schema}.${seed}`;
    };
    const onPostgres: Record<string, string> = {};
    for (const seed of seeds) onPostgres[seed] = (await pg.query(counting(PG_SCHEMA, seed)))[0].join(' ');
    const onDuck: Record<string, string> = {};
    await withDuckDb(duckDbPath, async (db) => {
      for (const seed of seeds) onDuck[seed] = Object.values((await db.query(counting('main', seed)))[0]).join(' ');
    });
    expect(duck.exitCode).toBe(0);
    expect(onPostgres).toEqual(onDuck);
  });
});
