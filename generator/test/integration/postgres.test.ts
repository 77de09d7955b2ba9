// The generated project on PostgreSQL: one project, built on its duckdb target and on its postgres
// target (a throwaway server on loopback) from the same rows. Every model builds and every
// generated test passes on Postgres; the id graph (canonical ids, node ids, first seen) and the
// audit are the same as DuckDB's, run after run (incremental runs included); the ground truth of
// the junk-heavy dataset holds on Postgres itself. DuckDB's results are checked against the
// truth and union-find elsewhere (guards.test.ts), so equality carries that over.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AS_OF } from '../../src/cli/demo.js';
import { runDbt, type DbtRunResult } from '../../src/dbt/run.js';
import { createDemoData } from '../../src/demo/data.js';
import { DEMO_SPEC } from '../../src/demo/spec.js';
import { renderText } from '../../src/explain/command.js';
import { explain, type ExplainOptions } from '../../src/explain/explain.js';
import { generate } from '../../src/pipeline.js';
import type { ProjectPlan } from '../../src/plan/types.js';
import { withDuckDb } from '../../src/warehouse/duckdb.js';
import { DATA, PEOPLE, SPEC, TABLES } from '../fixtures/junk-heavy.js';
import { execSql, generateInto, tempDir } from '../support/build.js';
import { copyFromDuckDb, startPostgres, type PgServer } from '../support/postgres.js';
import { join } from 'node:path';

const SCHEMA = 'c360';

/** Rows of a query as tab-joined text, sorted: DuckDB and Postgres render values alike this way. */
const GRAPH = (schema: string) => `
  select id_type, id_value, customer_id, node_id, cast(first_seen_at as varchar) as first_seen_at
  from ${schema}.customer_id_graph order by id_type, id_value`;
const AUDIT = (schema: string) => `
  select id_type, id_value, coalesce(other_id_type, '-'), coalesce(other_id_value, '-'), reason
  from ${schema}.customer_identity_audit order by 1, 2, 3, 4, 5`;

describe('the generated project on Postgres gives exactly what it gives on DuckDB', () => {
  let pg: PgServer;
  let dir: string;
  let dbPath: string;
  let plan: ProjectPlan;
  let first: { duck: DbtRunResult; pg: DbtRunResult };

  const buildBoth = async () => ({
    duck: await runDbt({ projectDir: dir, args: ['build'], stream: false }),
    pg: await runDbt({ projectDir: dir, args: ['build', '--target', 'postgres'], env: pg.env, stream: false }),
  });

  beforeAll(async () => {
    pg = await startPostgres();
    dir = tempDir('pg-project');
    plan = generateInto(SPEC, dir);
    dbPath = join(dir, 'c360.duckdb');
    await execSql(dbPath, DATA);
    await copyFromDuckDb(pg, dbPath, TABLES);
    first = await buildBoth();
  });

  afterAll(async () => {
    await pg?.stop();
  });

  it('builds every model and passes every generated test on both targets', () => {
    expect(first.duck.exitCode, first.duck.output.slice(-3000)).toBe(0);
    expect(first.pg.exitCode, first.pg.output.slice(-3000)).toBe(0);
    expect(first.pg.counts).toEqual(first.duck.counts);
    expect(first.pg.counts!.tests).toBeGreaterThan(30);
  });

  it('gives every identifier the canonical id, node and first seen DuckDB gives, and audits the same drops', async () => {
    const graph = await pgRowsOf(pg, GRAPH(SCHEMA));
    expect(graph.length).toBeGreaterThan(3 * PEOPLE);
    expect(graph).toEqual(await duckRowsOf(dbPath, GRAPH('main')));
    const audit = await pgRowsOf(pg, AUDIT(SCHEMA));
    expect(audit.some((r) => r.endsWith('\tshared_identifier'))).toBe(true);
    expect(audit).toEqual(await duckRowsOf(dbPath, AUDIT('main')));
  });

  it('merges no two people on Postgres and keeps each regular person whole (ground truth)', async () => {
    const merged = await pg.query(`
      select g.customer_id from ${SCHEMA}.customer_id_graph g
      join truth.ids t on t.id_type = g.id_type and t.id_value = g.id_value
      group by g.customer_id having count(distinct t.person) > 1`);
    expect(merged).toEqual([]);
    const [[split]] = await pg.query(`
      select count(*) from (
        select t.person from truth.ids t join ${SCHEMA}.customer_id_graph g on g.id_type = t.id_type and g.id_value = t.id_value
        where t.person like 'p%' group by t.person having count(distinct g.customer_id) <> 1) s`);
    expect(Number(split)).toBe(0);
  });

  it('explain reads Postgres as it reads DuckDB: clusters, chains with their rows, what separated two people', async () => {
    const spec = generate(SPEC, 'c360.yml').spec!;
    const asked: ExplainOptions[] = [
      { value: 'person1@mail.com', to: 'dev-1' }, // one customer: the chain and the rows behind it
      { value: 'u7' }, // every identifier of the cluster
      { value: 'ua', to: 'ub' }, // a limit level split them (the chain phone)
      { value: 'ue1', to: 'ue2' }, // the final cut took ue2 out
      { value: 'kiosk-1', to: 'u3' }, // a shared identifier
      { value: 'test@test.com' }, // junk: not found
    ];
    const seen = new Set<string>();
    for (const o of asked) {
      const duck = await explain(spec, plan, dir, { ...o, target: 'duckdb' }, {});
      const onPg = await explain(spec, plan, dir, { ...o, target: 'postgres' }, pg.env);
      expect(onPg.status, JSON.stringify(o)).not.toBe('no_warehouse');
      expect(renderText(onPg, 'p'), JSON.stringify(o)).toEqual(renderText(duck, 'p'));
      expect(onPg).toEqual(duck);
      seen.add(onPg.status);
    }
    expect([...seen].sort()).toEqual(['found', 'not_found', 'not_linked']);
  });

  it('incremental runs on Postgres keep the same ids as DuckDB: a device used by a second person becomes shared', async () => {
    for (const row of [`('kiosk-2', 'u5', timestamp '2026-04-01')`, `('kiosk-2', 'u6', timestamp '2026-04-02')`]) {
      await execSql(dbPath, `insert into shop.sessions values ${row}`);
      await pg.query(`insert into shop.sessions values ${row}`);
      const [[started]] = await pg.query('select clock_timestamp()');
      const run = await buildBoth();
      // every table the run wrote has fresh planner statistics (c360.analyze_after_write): without
      // them the next model's planner takes the new rows for one and picks nested loops
      const stale = await pg.query(`
        select relname from pg_stat_user_tables
        where schemaname = '${SCHEMA}' and relname in ('int_orders__ids', 'int_customer__identifiers', 'int_customer__edges',
          'int_customer__components', 'int_customer__cluster_counts', 'customer_id_graph', 'customer_360')
          and (last_analyze is null or last_analyze < '${started}')`);
      expect(stale).toEqual([]);
      expect(run.duck.exitCode, run.duck.output.slice(-3000)).toBe(0);
      expect(run.pg.exitCode, run.pg.output.slice(-3000)).toBe(0);
      // the identity models ran incrementally on Postgres: the id graph wrote only what changed
      const [[written, total]] = await pg.query(`
        select count(*) filter (where updated_at = (select max(updated_at) from ${SCHEMA}.customer_id_graph)), count(*)
        from ${SCHEMA}.customer_id_graph`);
      expect(Number(written)).toBeLessThan(Number(total));
      expect(await pgRowsOf(pg, GRAPH(SCHEMA))).toEqual(await duckRowsOf(dbPath, GRAPH('main')));
      expect(await pgRowsOf(pg, AUDIT(SCHEMA))).toEqual(await duckRowsOf(dbPath, AUDIT('main')));
    }
    // kiosk-2 with two people's user_ids is shared (device_id limit): a cluster of its own
    const [[size]] = await pg.query(`
      select count(*) from ${SCHEMA}.customer_id_graph
      where customer_id = (select customer_id from ${SCHEMA}.customer_id_graph where id_value = 'kiosk-2')`);
    expect(Number(size)).toBe(1);
    expect(plan.identity.guards.sharedRule).toBe(true);
  });
});

// The demo: five inputs, every kind of feature (windowed counts, sums, distinct counts, last-known
// values, derived expressions), the 360 table and the registry. Built on both targets as of the
// demo's date, every row and column of the 360 table must agree (numbers to 6 decimal places:
// doubles print differently), and so must the registry and the id graph.
describe('the demo project on Postgres: the same customer_360 as DuckDB', () => {
  let pg: PgServer;
  let dir: string;
  let dbPath: string;

  beforeAll(async () => {
    pg = await startPostgres();
    dir = tempDir('pg-demo');
    generateInto(DEMO_SPEC, dir);
    dbPath = join(dir, 'c360.duckdb');
    await createDemoData(dbPath, { customers: 400, seed: 7 });
    const tables = (await withDuckDb(dbPath, (db) => db.query(`select table_name from information_schema.tables where table_schema = 'raw'`))).map(
      (r) => `raw.${String(r.table_name)}`,
    );
    await copyFromDuckDb(pg, dbPath, tables);
  });

  afterAll(async () => {
    await pg?.stop();
  });

  it('builds on both targets and every customer has the same traits', async () => {
    const vars = { c360_as_of: DEMO_AS_OF };
    const duck = await runDbt({ projectDir: dir, args: ['build'], vars, stream: false });
    const onPg = await runDbt({ projectDir: dir, args: ['build', '--target', 'postgres'], vars, env: pg.env, stream: false });
    expect(duck.exitCode, duck.output.slice(-3000)).toBe(0);
    expect(onPg.exitCode, onPg.output.slice(-3000)).toBe(0);
    expect(onPg.counts).toEqual(duck.counts);

    const columns = (await withDuckDb(dbPath, (db) => db.query(`select column_name from information_schema.columns where table_schema = 'main' and table_name = 'customer_360' order by ordinal_position`))).map((r) => String(r.column_name));
    expect(columns.length).toBeGreaterThan(10);
    const cell = (v: unknown) => {
      if (v === null || v === undefined) return null;
      const text = String(v);
      const n = Number(text);
      if (text.trim() !== '' && Number.isFinite(n)) return n.toFixed(6);
      return text === 't' || text === 'true' ? 'true' : text === 'f' || text === 'false' ? 'false' : text;
    };
    const list = columns.map((c) => `cast(${c} as varchar) as ${c}`).join(', ');
    const fromDuck = (await withDuckDb(dbPath, (db) => db.query(`select ${list} from main.customer_360 order by customer_id`))).map((r) =>
      columns.map((c) => cell(r[c])),
    );
    const fromPg = (await pg.query(`select ${list} from ${SCHEMA}.customer_360 order by customer_id`)).map((r) => r.map(cell));
    expect(fromPg.length).toBeGreaterThan(300);
    expect(fromPg).toEqual(fromDuck);
    // the windowed features counted something (as of the demo's date)
    const windowed = columns.filter((c) => c.includes('last_30_days'));
    expect(windowed.length).toBeGreaterThan(0);
    expect(fromPg.some((r) => windowed.some((c) => Number(r[columns.indexOf(c)]) > 0))).toBe(true);

    const registry = `select feature_name, feature_kind, inputs, definition, row_filter, time_window, depends_on from %s.customer_feature_registry order by 1`;
    expect(await pgRowsOf(pg, registry.replace('%s', SCHEMA))).toEqual(await duckRowsOf(dbPath, registry.replace('%s', 'main')));
    expect(await pgRowsOf(pg, GRAPH(SCHEMA))).toEqual(await duckRowsOf(dbPath, GRAPH('main')));
  });
});

/** Rows of a query on the Postgres server, each as tab-joined text. */
async function pgRowsOf(pg: PgServer, sql: string): Promise<string[]> {
  return (await pg.query(sql)).map((r) => r.join('\t'));
}

/** Rows of a query on a DuckDB file, each as tab-joined text (null as the empty field). */
async function duckRowsOf(dbPath: string, sql: string): Promise<string[]> {
  return (await withDuckDb(dbPath, (db) => db.query(sql))).map((r) => Object.values(r).map((v) => (v === null ? null : String(v))).join('\t'));
}
