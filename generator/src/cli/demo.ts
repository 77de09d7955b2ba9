// `c360-gen demo`: the main job on the embedded default warehouse, end to end (or, with
// `--target postgres`, on the PostgreSQL database the C360_PG_* variables name).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runDbt } from '../dbt/run.js';
import { createDemoData } from '../demo/data.js';
import { checkDemoSchemas, copyDemoDataToPostgres, DemoSchemaTaken } from '../demo/postgres.js';
import { DEMO_PG_RAW_SCHEMA, DEMO_PG_SCHEMA, DEMO_SPEC, demoSpec } from '../demo/spec.js';
import { formatDiagnostics } from '../diagnostics/format.js';
import { writeProject } from '../io/project.js';
import { generate } from '../pipeline.js';
import { type Row, withDuckDb } from '../warehouse/duckdb.js';
import { describePg, missingPgSettings, pgConnection, withPostgres } from '../warehouse/postgres.js';

/** The demo data's "now": windows are measured back from it so the demo is reproducible. */
export const DEMO_AS_OF = "cast('2026-11-01 00:00:00' as timestamp)";

export interface DemoOptions {
  out: string;
  outLabel: string;
  customers: number;
  seed: number;
  /** duckdb (default): the project's own file; postgres: the database of the C360_PG_* variables. */
  target?: 'duckdb' | 'postgres';
}

/** What the summary reads, on either warehouse: a query, and a model's or a demo table's name. */
interface SummaryDb {
  query(sql: string): Promise<Row[]>;
  model(name: string): string;
  raw(name: string): string;
}

const log = (s: string) => process.stdout.write(s + '\n');

export async function runDemo(opts: DemoOptions): Promise<number> {
  const started = Date.now();
  const target = opts.target ?? 'duckdb';
  const spec = demoSpec(target);
  // postgres: the models and the demo tables go to schemas of the demo's own, whatever
  // C360_PG_SCHEMA says (a real project's schema must not get the demo's tables)
  const pg = target === 'postgres' ? pgConnection({ ...process.env, C360_PG_SCHEMA: DEMO_PG_SCHEMA }, DEMO_PG_SCHEMA) : null;
  if (pg) {
    const missing = missingPgSettings(pg);
    if (missing.length > 0) {
      process.stderr.write(
        `error: demo --target postgres: set ${missing.join(' and ')} (the connection comes from C360_PG_HOST, _PORT, _USER, _PASSWORD, _DATABASE; host localhost and port 5432 by default)\n`,
      );
      return 1;
    }
    try {
      await checkDemoSchemas(pg);
    } catch (e) {
      const msg = e instanceof DemoSchemaTaken ? e.message : `cannot reach ${describePg(pg)}: ${(e as Error).message}`;
      process.stderr.write(`error: ${msg}\n`);
      return 1;
    }
  }
  mkdirSync(opts.out, { recursive: true });
  const specPath = join(opts.out, 'c360.yml');
  if (existsSync(specPath) && readFileSync(specPath, 'utf8') !== DEMO_SPEC && !readFileSync(specPath, 'utf8').includes('c360-gen demo')) {
    process.stderr.write(`error: ${specPath} exists and is not the demo's spec; refusing to overwrite it\n  = hint: pass --out <empty folder>\n`);
    return 1;
  }
  writeFileSync(specPath, spec);
  const projectDir = join(opts.out, 'c360_project');
  const dbPath = join(projectDir, 'c360.duckdb');

  log(`c360-gen demo → ${opts.outLabel}${pg ? ` (${describePg(pg)})` : ''}`);
  const specLabel = relative(process.cwd(), specPath) || specPath;
  const result = generate(spec, specLabel);
  if (!result.files) {
    process.stderr.write(formatDiagnostics(result.diagnostics, new Map([[specLabel, spec]]), { color: false }) + '\n');
    return 1;
  }
  const w = writeProject(projectDir, result.files);
  log(`  1/4 generated the dbt project (${result.files.size} files, ${w.written.length} written) in ${relative(process.cwd(), projectDir)}`);

  const truth = await createDemoData(dbPath, { customers: opts.customers, seed: opts.seed });
  const rows = Object.values(truth.rowCounts).reduce((a, b) => a + b, 0);
  if (pg) {
    try {
      await copyDemoDataToPostgres(pg, dbPath);
    } catch (e) {
      process.stderr.write(`error: copying the demo data into ${describePg(pg)} failed (nothing was changed there): ${(e as Error).message}\n`);
      return 1;
    }
  }
  log(`  2/4 created demo data for ${truth.persons} people: ${rows} rows in ${Object.keys(truth.rowCounts).length} tables (schema ${pg ? DEMO_PG_RAW_SCHEMA : 'raw'})`);

  log(`  3/4 dbt build${pg ? ' --target postgres' : ''}`);
  const dbt = await runDbt({
    projectDir,
    args: pg ? ['build', '--target', 'postgres'] : ['build'],
    vars: { c360_as_of: DEMO_AS_OF },
    stream: true,
    ...(pg ? { env: { ...process.env, C360_PG_SCHEMA: DEMO_PG_SCHEMA } } : {}),
  });
  if (dbt.exitCode !== 0) {
    process.stderr.write(`\nerror: dbt build failed (exit ${dbt.exitCode})\n`);
    for (const f of dbt.failures) process.stderr.write(`  ${f.status}: ${f.node}: ${f.message}\n`);
    return 1;
  }

  const read = <T>(fn: (db: SummaryDb) => Promise<T>): Promise<T> =>
    pg
      ? withPostgres(pg, (db) => fn({ query: (sql) => db.query(sql), model: (n) => `${DEMO_PG_SCHEMA}.${n}`, raw: (n) => `${DEMO_PG_RAW_SCHEMA}.${n}` }))
      : withDuckDb(dbPath, (db) => fn({ query: (sql) => db.query(sql), model: (n) => `main.${n}`, raw: (n) => `raw.${n}` }));
  const { summary, top } = await read((db) => readSummary(db, result.plan!));

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const counts = dbt.counts!;
  log('  4/4 done\n');
  log(`  customers resolved   ${summary.customers}  (${truth.persons} real people in the data)`);
  log(`  identifiers          ${summary.identifiers}  in ${summary.clusters} clusters; ${summary.stitched} stitched to another id`);
  log(`  identity rounds      ${summary.rounds ?? '-'}`);
  log(`  ground truth         ${summary.persons_whole}/${truth.persons} people resolved whole, ${summary.clusters_merged} clusters merging two people`);
  log(`  features             ${summary.features}`);
  log(`  dbt                  ${counts.models} models, ${counts.tests} tests: ${counts.pass} passed, ${counts.fail} failed, ${counts.warn} warned`);
  log(`  database             ${pg ? `${describePg(pg)}, demo tables in ${DEMO_PG_RAW_SCHEMA}` : dbPath}`);
  log(`  took                 ${seconds}s\n`);
  log(`  top customers by total_revenue (${result.plan!.mart.model}):`);
  log(formatTable(top).map((l) => `    ${l}`).join('\n'));
  log(`\n  next: open ${relative(process.cwd(), specPath)}, add a feature, and run \`c360-gen generate --spec ${relative(process.cwd(), specPath)} --out ${relative(process.cwd(), projectDir)}\``);
  return 0;
}

async function readSummary(db: SummaryDb, plan: NonNullable<ReturnType<typeof generate>['plan']>) {
  const entity = plan.entity;
  const idCol = plan.entityIdColumn;
  const [c] = await db.query(`select count(*) as customers from ${db.model(`${entity}_360`)}`);
  const [g] = await db.query(
    `select count(*) as identifiers, count(distinct ${idCol}) as clusters,
            sum(case when n > 1 then 1 else 0 end) as stitched
     from (select ${idCol}, count(*) over (partition by ${idCol}) as n from ${db.model(`${entity}_id_graph`)}) t`,
  );
  const [f] = await db.query(`select count(*) as features from ${db.model(`${entity}_feature_registry`)}`);
  const rounds = await db
    .query(`select max(round) as rounds from ${db.model(`${plan.identity.firstPassComponentsModel}__rounds`)}`)
    .catch(() => [{ rounds: null }]);
  // Ground truth: every person must be exactly one cluster, and no cluster may hold two people.
  const [t] = await db.query(
    `with truth as (
       select t.person_index, g.${idCol}
       from ${db.raw('ground_truth_identifiers')} t
       join ${db.model(`${entity}_id_graph`)} g on g.id_type = t.id_type and g.id_value = t.id_value
     )
     select
       (select count(*) from (select person_index from truth group by 1 having count(distinct ${idCol}) = 1) x) as persons_whole,
       (select count(*) from (select ${idCol} from truth group by 1 having count(distinct person_index) > 1) y) as clusters_merged`,
  );
  const top = await db.query(
    `select ${idCol}, total_revenue, order_count, avg_order_value, cast(last_seen_at as date) as last_seen
     from ${db.model(plan.mart.model)} order by total_revenue desc nulls last, ${idCol} limit 3`,
  );
  return { summary: { ...c, ...g, ...f, ...rounds[0], ...t } as Record<string, unknown>, top };
}

function formatTable(rows: Record<string, unknown>[]): string[] {
  if (rows.length === 0) return ['(no rows)'];
  const cols = Object.keys(rows[0]);
  const cell = (v: unknown) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(2) : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))];
}
