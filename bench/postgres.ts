// The identity benchmark on PostgreSQL next to DuckDB (not a test):
//
//   npm run bench:postgres -- --sizes 1m
//
// For each size, the bench graph (bench/graph.ts) is generated in DuckDB and copied into a
// throwaway PostgreSQL server on loopback (the one the tests start: generator/test/support/
// postgres.ts). One generated project is built on both targets — `dbt run --select
// +customer_id_graph` — then the 1% edge delta of bench/identity.ts is added to both and the same
// command runs incrementally. After each, the id graphs must be equal (an md5 over every row, in
// node order). Prints a markdown table and appends it to bench/results/<date>-postgres.md.
// PostgreSQL runs with fsync off and default memory settings; peak RSS is dbt's process only.

import { join, resolve } from 'node:path';
import { writeProject } from '../generator/src/io/project.js';
import { generate } from '../generator/src/pipeline.js';
import { copyFromDuckDb, startPostgres, type PgServer } from '../generator/test/support/postgres.js';
import { type DbtRun, failIfFailed, runDbtMeasured } from './dbt.js';
import { benchSpec, deltaSql, type GraphSize } from './graph.js';
import { fmtMiB, fmtN, fmtS, generateGraphDb, openDb, runBenchSizes } from './lib.js';

const BENCH_DIR = resolve('bench');
const SELECT = ['run', '--select', '+customer_id_graph'];
const GRAPH_MD5 = (schema: string) =>
  `select md5(string_agg(id_type || ':' || id_value || ':' || customer_id || ':' || cast(node_id as varchar), ',' order by node_id)) as h,
          count(*) as n
   from ${schema}.customer_id_graph`;

async function sameGraph(dbPath: string, pg: PgServer): Promise<{ equal: boolean; rows: number }> {
  const db = await openDb(dbPath);
  try {
    const [duck] = await db.rows(GRAPH_MD5('main'));
    const [[h, n]] = await pg.query(GRAPH_MD5('c360'));
    return { equal: String(duck.h) === h && Number(duck.n) === Number(n), rows: Number(n) };
  } finally {
    db.close();
  }
}

async function benchSize(size: GraphSize): Promise<string> {
  const log = (s: string) => console.error(`[postgres ${size.label}] ${s}`);
  const projectDir = join(BENCH_DIR, '.work', `postgres-${size.label}`);
  const dbPath = join(projectDir, 'c360.duckdb');
  const gen = generate(benchSpec('c360.duckdb'), 'bench/graph.ts#benchSpec');
  if (!gen.files) throw new Error('the bench spec does not generate');
  writeProject(projectDir, gen.files);
  const genS = await generateGraphDb(dbPath, size.customers);
  const pg = await startPostgres('bench');
  try {
    log(`data generated in ${fmtS(genS)} s; copying it to Postgres ...`);
    await copyFromDuckDb(pg, dbPath, ['raw.events']);
    await pg.query('analyze raw.events');
    // its own target path: dbt re-parses the whole project when the target changes, so with one
    // target/ every DuckDB run after a Postgres one (and back) would pay a full parse
    const pgArgs = [...SELECT, '--target', 'postgres', '--target-path', 'target-postgres'];
    log('full builds ...');
    const duckFull = await runDbtMeasured(projectDir, SELECT, null);
    failIfFailed('DuckDB full build', duckFull);
    const pgFull = await runDbtMeasured(projectDir, pgArgs, null, pg.env);
    failIfFailed('Postgres full build', pgFull);
    const full = await sameGraph(dbPath, pg);

    // the 1% delta, in DuckDB, then its rows copied to Postgres
    const db = await openDb(dbPath);
    let deltaRows = 0;
    try {
      const edges = await db.scalar('select count(*) from int_customer__edges');
      const before = await db.scalar('select max(event_id) from raw.events');
      for (const sql of deltaSql(size.customers, Math.round(edges / 100))) await db.run(sql);
      await db.run(`create or replace table raw.events_delta as select * from raw.events where event_id > ${before}`);
      deltaRows = await db.scalar('select count(*) from raw.events_delta');
      await db.run('checkpoint');
    } finally {
      db.close();
    }
    await copyFromDuckDb(pg, dbPath, ['raw.events_delta']);
    await pg.query('insert into raw.events select * from raw.events_delta; drop table raw.events_delta; analyze raw.events');
    log(`delta of ${fmtN(deltaRows)} rows; incremental runs ...`);
    const duckInc = await runDbtMeasured(projectDir, SELECT, null);
    failIfFailed('DuckDB incremental run', duckInc);
    const pgInc = await runDbtMeasured(projectDir, pgArgs, null, pg.env);
    failIfFailed('Postgres incremental run', pgInc);
    const inc = await sameGraph(dbPath, pg);
    log(`full ${fmtS(duckFull.seconds)} / ${fmtS(pgFull.seconds)} s, incremental ${fmtS(duckInc.seconds)} / ${fmtS(pgInc.seconds)} s (DuckDB / Postgres)`);

    const pct = (i: DbtRun, f: DbtRun) => `${((100 * i.seconds) / f.seconds).toFixed(1)}%`;
    const same = (x: { equal: boolean; rows: number }) => (x.equal ? `✓ equal (${fmtN(x.rows)} identifiers)` : '✗ DIFFERENT');
    const md = [
      `### ${size.label}: ${fmtN(size.customers)} customers; the same generated project on both targets`,
      '',
      `Data generated in DuckDB in ${fmtS(genS)} s and copied to a throwaway PostgreSQL server (fsync off, default memory settings). Delta: ${fmtN(deltaRows)} rows (1% of the edges).`,
      '',
      '| target | full build s | peak RSS (dbt) | incremental 1% s | % of its full build | id graph vs DuckDB, full / incremental |',
      '|---|---|---|---|---|---|',
      `| DuckDB | ${fmtS(duckFull.seconds)} | ${fmtMiB(duckFull.peakKiB)} | ${fmtS(duckInc.seconds)} | ${pct(duckInc, duckFull)} | — |`,
      `| PostgreSQL | ${fmtS(pgFull.seconds)} | ${fmtMiB(pgFull.peakKiB)} | ${fmtS(pgInc.seconds)} | ${pct(pgInc, pgFull)} | ${same(full)} / ${same(inc)} |`,
    ].join('\n');
    console.log(md + '\n');
    return md;
  } finally {
    await pg.stop();
  }
}

runBenchSizes('postgres', 'Identity on PostgreSQL and DuckDB', 'bench:postgres', benchSize).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
