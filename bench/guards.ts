// The identity benchmark with over-stitching guards (not a test):
//
//   npm run bench:guards -- --sizes 1m,10m
//
// For each size, the bench graph (bench/graph.ts) under the guarded bench spec (benchSpec(..., true):
// limits, max_cluster_size, shared_identifier_max_links; four limit levels): the full build, the
// incremental run with the same 1% edge delta as bench/identity.ts, and a --full-refresh over the
// same data that the incremental result must equal, row for row (the id graph, the final cut, the
// shared identifiers and every level). Prints a markdown table and appends it to
// bench/results/<date>-guards.md. Union-find does not apply here: the guards drop links.

import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeProject } from '../generator/src/io/project.js';
import { generate } from '../generator/src/pipeline.js';
import { failIfFailed, modelTimings, runDbtMeasured } from './dbt.js';
import { benchSpec, deltaSql, type GraphSize } from './graph.js';
import { copyDurably, fmtMiB, fmtN, fmtS, generateGraphDb, openDb, restoreDb, runBenchSizes } from './lib.js';

const BENCH_DIR = resolve('bench');
const SELECT = ['run', '--select', '+customer_id_graph'];

/** The tables an incremental run must leave exactly as --full-refresh builds them, and their key columns. */
function comparedTables(levels: string[]): { table: string; columns: string }[] {
  return [
    { table: 'customer_id_graph', columns: 'node_id, customer_id, id_type, id_value, first_seen_at' },
    { table: 'int_customer__shared_identifiers', columns: 'node_id, other_id_type, links, max_links, detail' },
    { table: 'int_customer__components', columns: 'node_id, component_id' },
    ...levels.map((table) => ({ table, columns: 'node_id, component_id' })),
    { table: 'int_customer__final_cut', columns: 'node_id, stitched_component_id, cut_reason, cluster_cuts' },
    { table: 'int_customer__components_after_cut', columns: 'node_id, component_id' },
  ];
}



async function benchSize(size: GraphSize): Promise<string> {
  const log = (s: string) => console.error(`[guards ${size.label}] ${s}`);
  const projectDir = join(BENCH_DIR, '.work', `guards-${size.label}`);
  const dbPath = join(projectDir, 'c360.duckdb');
  const gen = generate(benchSpec('c360.duckdb', true), 'bench/graph.ts#benchSpec(guards)');
  if (!gen.files) throw new Error(`guarded bench spec does not generate:\n${gen.diagnostics.map((d) => JSON.stringify(d)).join('\n')}`);
  writeProject(projectDir, gen.files);
  const levels = [...gen.files.keys()]
    .map((f) => /^models\/identity\/(int_customer__components_l\d+)\.sql$/.exec(f)?.[1])
    .filter((m): m is string => m !== undefined)
    .sort();

  const genS = await generateGraphDb(dbPath, size.customers);
  log(`data generated in ${fmtS(genS)} s; full build ...`);
  const full = await runDbtMeasured(projectDir, SELECT, null);
  failIfFailed('full build', full);
  const fullModels = modelTimings(projectDir);
  log(`full build ${fmtS(full.seconds)} s; 1% delta ...`);

  const facts = await (async () => {
    const db = await openDb(dbPath);
    try {
      const edges = await db.scalar('select count(*) from int_customer__edges');
      const identifiers = await db.scalar('select count(*) from int_customer__identifiers');
      const shared = await db.scalar('select count(*) from int_customer__shared_identifiers');
      const cut = await db.scalar('select count(*) from int_customer__final_cut where cut_reason is not null');
      for (const sql of deltaSql(size.customers, Math.round(edges / 100))) await db.run(sql);
      await db.run('checkpoint');
      return { edges, identifiers, shared, cut };
    } finally {
      db.close();
    }
  })();
  const preIncremental = `${dbPath}.pre-incremental`;
  copyDurably(dbPath, preIncremental);

  log('incremental run ...');
  const inc = await runDbtMeasured(projectDir, SELECT, null);
  failIfFailed('incremental run', inc);
  const incModels = modelTimings(projectDir);
  const incrementalDb = `${dbPath}.incremental`;
  copyDurably(dbPath, incrementalDb);

  log(`incremental ${fmtS(inc.seconds)} s; --full-refresh over the same data ...`);
  restoreDb(preIncremental, dbPath);
  const refresh = await runDbtMeasured(projectDir, [...SELECT, '--full-refresh'], null);
  failIfFailed('--full-refresh', refresh);

  const differences: string[] = [];
  {
    const db = await openDb(':memory:');
    try {
      await db.run(`attach '${incrementalDb}' as inc (read_only)`);
      await db.run(`attach '${dbPath}' as ref (read_only)`);
      for (const { table, columns } of comparedTables(levels)) {
        const diff = await db.scalar(
          `select (select count(*) from (select ${columns} from inc.main.${table} except all select ${columns} from ref.main.${table}))
                + (select count(*) from (select ${columns} from ref.main.${table} except all select ${columns} from inc.main.${table}))`,
        );
        if (diff !== 0) differences.push(`${table}: ${fmtN(diff)} rows differ`);
      }
    } finally {
      db.close();
    }
  }
  for (const f of [preIncremental, incrementalDb]) rmSync(f, { force: true });
  const verdict = differences.length === 0 ? '✓ equal to --full-refresh, row for row' : `✗ ${differences.join('; ')}`;
  log(verdict);

  const pct = (100 * inc.seconds) / full.seconds;
  const byModel = new Map(incModels.map((m) => [m.model, m.seconds]));
  const lines = [
    `### guards, ${size.label}: ${fmtN(size.customers)} customers, ${fmtN(facts.edges)} edges, ${fmtN(facts.identifiers)} identifiers, ${fmtN(facts.shared)} shared, ${fmtN(facts.cut)} cut by the final cut`,
    '',
    `Spec: the bench spec with \`email: { limit: 5 }\`, \`user_id: { limit: 1 }\`, \`max_cluster_size: 200\`, \`shared_identifier_max_links: 100\` (${levels.length} limit levels). Data generated in ${fmtS(genS)} s.`,
    '',
    '| run | wall s | peak RSS | result |',
    '|---|---|---|---|',
    `| full build, \`dbt run --select +customer_id_graph\` | ${fmtS(full.seconds)} | ${fmtMiB(full.peakKiB)} | |`,
    `| incremental run with a 1% edge delta | ${fmtS(inc.seconds)} | ${fmtMiB(inc.peakKiB)} | **${pct.toFixed(1)}% of the full build**; ${verdict} |`,
    `| \`--full-refresh\` over the same data (the reference) | ${fmtS(refresh.seconds)} | ${fmtMiB(refresh.peakKiB)} | |`,
    '',
    '| model | full build s | incremental s |',
    '|---|---|---|',
    ...fullModels.map((m) => `| \`${m.model}\` | ${fmtS(m.seconds)} | ${byModel.has(m.model) ? fmtS(byModel.get(m.model)!) : '—'} |`),
  ];
  const md = lines.join('\n');
  console.log(md + '\n');
  if (differences.length) throw new Error(`incremental != --full-refresh:\n${differences.join('\n')}`);
  return md;
}

runBenchSizes('guards', 'Identity benchmark with guards', 'bench:guards', benchSize).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
