// The identity benchmark of the "identity at scale" issue (not a test):
//
//   npm run bench -- --sizes 1m,10m --timeout-recursive 300
//
// For each size, on the same synthetic events (bench/graph.ts), side by side:
//   (a) our generated identity models, `dbt run --select +customer_id_graph` on DuckDB
//   (b) an in-memory union-find in TypeScript over edges read from DuckDB: the (type, value)
//       identifier pairs of the raw events (normalised as our staging view does; the like-for-like
//       floor for the pipeline), and our own int node pairs (int_customer__edges; the floor for
//       the connected-components step alone)
//   (c) a hand-written recursive-CTE dbt model over int_customer__edges, killed after a timeout
// and checks that (a) equals union-find's partition. Prints a markdown table and writes it to
// bench/results/<date>-identity.md.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readRunResults } from '../generator/src/dbt/run.js';
import { writeProject } from '../generator/src/io/project.js';
import { generate } from '../generator/src/pipeline.js';
import { type DbtRun, modelTimings, runDbtMeasured } from './dbt.js';
import { benchSpec, deltaSql, parseSize, type GraphSize } from './graph.js';
import {
  appendResults,
  copyDurably,
  restoreDb,
  fmtMiB,
  fmtN,
  fmtS,
  generateGraphDb,
  openDb,
  type Db,
  readIntPairs,
  readInternedLabels,
  readPackedPairs,
  samePartition,
  selfPeakKiB,
  timed,
  unionFindDense,
  unionFindInt,
} from './lib.js';

const BENCH_DIR = resolve('bench');
/** The bench spec's id types (benchSpec() in graph.ts), in the staging view's column order; their index is the type code. */
const ID_TYPES = ['anonymous_id', 'device_id', 'email', 'phone', 'user_id'];

/**
 * The distinct identifier pairs of the raw events as `(type code, value, type code, value)`:
 * `stg_events` (a view over raw.events, computed here) carries each id column normalised; every
 * row with exactly two ids is a pair, the first and the last non-null column.
 */
function stringPairsSql(): string {
  const cols = ID_TYPES.map((t) => `c360_${t}__${t}`);
  const code = (order: number[]) => `case ${order.map((i) => `when ${cols[i]} is not null then ${i}`).join(' ')} end::utinyint`;
  const idx = ID_TYPES.map((_, i) => i);
  return `select distinct
  ${code(idx)}, coalesce(${cols.join(', ')}),
  ${code([...idx].reverse())}, coalesce(${[...cols].reverse().join(', ')})
from stg_events
where ${cols.map((c) => `(${c} is not null)::int`).join(' + ')} = 2`;
}

const RECURSIVE_MODEL = 'bench_recursive_cc';
/** the small delta run after the 1% one: what any incremental run pays at this size */
const SMALL_DELTA_EDGES = 10;

interface Args {
  sizes: GraphSize[];
  timeoutRecursive: number;
  skipRecursive: boolean;
  /** full builds, string union-finds and incremental runs each run this many times; medians are reported */
  repeat: number;
}

function parseArgs(argv: string[]): Args {
  let sizes = '1m';
  let timeoutRecursive = 300;
  let skipRecursive = false;
  let repeat = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sizes') sizes = argv[++i];
    else if (a.startsWith('--sizes=')) sizes = a.slice('--sizes='.length);
    else if (a === '--timeout-recursive') timeoutRecursive = Number(argv[++i]);
    else if (a.startsWith('--timeout-recursive=')) timeoutRecursive = Number(a.slice('--timeout-recursive='.length));
    else if (a === '--skip-recursive') skipRecursive = true;
    else if (a === '--repeat') repeat = Number(argv[++i]);
    else if (a.startsWith('--repeat=')) repeat = Number(a.slice('--repeat='.length));
    else throw new Error(`unknown argument ${a} (use --sizes 1m,10m --timeout-recursive 300 [--skip-recursive] [--repeat 3])`);
  }
  if (!Number.isFinite(timeoutRecursive) || timeoutRecursive <= 0) throw new Error('--timeout-recursive must be a positive number of seconds');
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 9) throw new Error('--repeat must be a whole number from 1 to 9');
  return { sizes: sizes.split(',').map((s) => parseSize(s.trim())), timeoutRecursive, skipRecursive, repeat };
}

const RECURSIVE_SQL = `-- bench only: the recursive-CTE connected components most published dbt identity graphs use:
-- walk from every node to everything reachable (union = dedup), keep the smallest node reached.
{{ config(materialized='table', pre_hook=["set memory_limit='8GB'", "set max_temp_directory_size='20GB'"]) }}

with recursive neighbours as (

    select node_a as node_id, node_b as neighbour_id from {{ ref('int_customer__edges') }}
    union all
    select node_b as node_id, node_a as neighbour_id from {{ ref('int_customer__edges') }}

),

walk (node_id, reachable_id) as (

    select distinct node_id, node_id from neighbours

    union

    select walk.node_id, neighbours.neighbour_id
    from walk
    inner join neighbours
        on neighbours.node_id = walk.reachable_id

)

select node_id, min(reachable_id) as component_id
from walk
group by node_id
`;

// The vendored materialization as of a29b766 joins the round map to itself with `rep <> rep` in
// one statement; inside dbt's open transaction DuckDB has no statistics for the fresh work tables
// (estimates ~0 rows) and plans a NESTED_LOOP_JOIN of map x map on the inequality: O(nodes²) per
// round (100k customers did not finish round 1 in 10 minutes). Joining one endpoint first keeps
// hash joins. Applied to the generated project's copy only, and only while the pattern is there.
const CONTRACT_BEFORE = `    with mapped as (
        select map_a.rep as rep_a, map_b.rep as rep_b
        from {{ edges }} as edges
        inner join {{ map }} as map_a on map_a.node_id = edges.node_a
        inner join {{ map }} as map_b on map_b.node_id = edges.node_b
        where map_a.rep <> map_b.rep
    )`;
const CONTRACT_AFTER = `    with half_mapped as (
        select map_a.rep as rep_a, edges.node_b
        from {{ edges }} as edges
        inner join {{ map }} as map_a on map_a.node_id = edges.node_a
    ),
    mapped as (
        select half_mapped.rep_a, map_b.rep as rep_b
        from half_mapped
        inner join {{ map }} as map_b on map_b.node_id = half_mapped.node_b
        where half_mapped.rep_a <> map_b.rep
    )`;

function patchContraction(projectDir: string): boolean {
  const p = join(projectDir, 'macros', 'c360', 'materializations', 'connected_components.sql');
  if (!existsSync(p)) return false;
  const text = readFileSync(p, 'utf8');
  if (!text.includes(CONTRACT_BEFORE)) return false;
  writeFileSync(p, text.replace(CONTRACT_BEFORE, CONTRACT_AFTER));
  return true;
}


/** Our components table and id graph against union-find `uf` over int_customer__edges. */
async function checkOurs(
  db: Awaited<ReturnType<typeof openDb>>,
  uf: ReturnType<typeof unionFindInt>,
): Promise<{ ok: boolean; verdict: string; ourComponents: number; identifiers: number }> {
  const identifiers = await db.scalar('select count(*) from int_customer__identifiers');
    // check: components table = union-find (labels are both the min node), and the id graph partition
    const comp = await readIntPairs(db, 'select node_id, component_id from int_customer__components');
    let compBad = comp.n === uf.nodes ? 0 : Math.abs(comp.n - uf.nodes);
    for (let i = 0; i < comp.n; i++) if (uf.root[comp.a[i]] !== comp.b[i]) compBad++;
    const graph = await readIntPairs(
      db,
      'select node_id, dense_rank() over (order by customer_id) from customer_id_graph',
    );
    // nodes without an edge are singletons: give each its own union-find label
    const graphRoot = new Int32Array(identifiers + 2).fill(-1);
    graphRoot.set(uf.root.subarray(0, Math.min(uf.root.length, graphRoot.length)));
    let singles = 0;
    for (let i = 0; i < graph.n; i++) {
      const v = graph.a[i];
      if (graphRoot[v] < 0) {
        graphRoot[v] = v;
        singles++;
      }
    }
    const graphCheck = samePartition(graph.a, graph.b, graph.n, graphRoot);
    const graphRowsOk = graph.n === identifiers;
    const ourComponents = await db.scalar('select count(distinct customer_id) from customer_id_graph');
    const ufComponents = uf.components + singles;
    const verdictOk = compBad === 0 && graphCheck.ok && graphRowsOk && ourComponents === ufComponents;
    const verdict = verdictOk
      ? `✓ equal (${fmtN(ourComponents)} customers; full partition of ${fmtN(graph.n)} identifiers)`
      : `✗ differs: components table ${compBad} bad nodes, id graph ${graphCheck.mismatches} mismatches, ${fmtN(ourComponents)} vs ${fmtN(ufComponents)} customers`;
  return { ok: verdictOk, verdict, ourComponents, identifiers };
}

/**
 * Union-find over the identifier pairs of the raw events, normalised as the staging view does:
 * DuckDB normalises, pairs and dedups, and packs the pairs into a few long strings (load starts
 * here, from raw.events); Node parses and interns them as bytes (load), then union-finds
 * (compute). Checked against our customer_id_graph by (type, value). bench/README.md lists the
 * alternatives measured.
 */
async function stringUnionFind(db: Db): Promise<{ loadS: number; computeS: number; pairs: number; ids: number; peakKiB: number; verdict: string }> {
  const [sp, loadS] = await timed(() => readPackedPairs(db, stringPairsSql()));
  const [suf, computeS] = await timed(async () => unionFindDense(sp.ids.size, sp.a, sp.b, sp.n));
  const peakKiB = selfPeakKiB();
  // the string partition must agree with ours too: every identifier of ours looked up by (type, value)
  const idRows = await readInternedLabels(
    db,
    `select case id_type ${ID_TYPES.map((t, i) => `when '${t}' then ${i}`).join(' ')} end::utinyint, id_value,
       cast(dense_rank() over (order by customer_id) as integer)
     from customer_id_graph`,
    sp.ids,
  );
  let bad = 0;
  const l2r = new Map<number, number>();
  const r2l = new Map<number, number>();
  const seen = new Uint8Array(sp.ids.size);
  let matched = 0;
  for (let i = 0; i < idRows.n; i++) {
    const x = idRows.a[i];
    if (x >= 0 && !seen[x]) {
      seen[x] = 1;
      matched++;
    }
    const r = x < 0 ? -1 - i : suf.root[x]; // in no pair: a singleton of its own
    const l = idRows.b[i];
    const a = l2r.get(l);
    if (a === undefined) l2r.set(l, r);
    else if (a !== r) bad++;
    const b = r2l.get(r);
    if (b === undefined) r2l.set(r, l);
    else if (b !== l) bad++;
  }
  bad += sp.ids.size - matched; // identifiers union-find found that ours lacks
  const verdict = bad === 0 ? '✓ same partition as ours' : `✗ ${bad} mismatches vs ours`;
  return { loadS, computeS, pairs: sp.n, ids: sp.ids.size, peakKiB, verdict };
}

// ---------------------------------------------------------------------------------------------

interface SizeReport {
  markdown: string;
}

/** One measured dbt run and dbt's per-model times of it. */
interface MeasuredRun {
  run: DbtRun;
  timings: { model: string; seconds: number }[];
}

/** The median; of an even count, the mean of the two middle values (not the lower one, which
 * would flatter a "< 15%" verdict) */
function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Which run is the median one (its per-model times are reported): of an even count, the slower
 * of the two middle runs */
function medianIndex(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return xs.indexOf(sorted[Math.floor(sorted.length / 2)]);
}

/** "92.9" for one run; "92.9 (median of 3: 88.0–101)" for several. */
function fmtRuns(xs: number[]): string {
  if (xs.length === 1) return fmtS(xs[0]);
  return `${fmtS(median(xs))} (median of ${xs.length}: ${fmtS(Math.min(...xs))}–${fmtS(Math.max(...xs))})`;
}

/** The first failed run, else the median run (by wall time). */
function medianOrFailed(runs: MeasuredRun[]): MeasuredRun {
  return runs.find((x) => x.run.exitCode !== 0) ?? runs[medianIndex(runs.map((x) => x.run.seconds))];
}

/** dbt's per-model execution times added up */
const sumSeconds = (timings: { seconds: number }[]) => timings.reduce((sum, t) => sum + t.seconds, 0);

/** One verdict when every repetition gave the same, else all of them */
const sameVerdict = (verdicts: string[]) => (verdicts.every((v) => v === verdicts[0]) ? verdicts[0] : verdicts.join('; '));

/** The failures of the last dbt run (run_results.json), for a table cell */
const dbtFailureCell = (projectDir: string) =>
  `✗ dbt failed: ${readRunResults(projectDir).failures.map((x) => `${x.node}: ${x.message}`).join('; ').replace(/\|/g, '/').replace(/\n/g, ' ').slice(0, 300)}`;

/** Our tables after a run, checked against union-find over our own edges */
async function checkAgainstOwnEdges(db: Awaited<ReturnType<typeof openDb>>): Promise<{ verdict: string; edges: number; identifiers: number }> {
  const pairs = await readIntPairs(db, 'select node_a, node_b from int_customer__edges');
  const { verdict, identifiers } = await checkOurs(db, unionFindInt(pairs.a, pairs.b, pairs.n));
  return { verdict, edges: pairs.n, identifiers };
}

async function benchSize(size: GraphSize, { timeoutRecursive, skipRecursive, repeat }: Args): Promise<SizeReport> {
  const log = (s: string) => console.error(`[${size.label}] ${s}`);
  const projectDir = join(BENCH_DIR, '.work', size.label);
  const dbPath = join(projectDir, 'c360.duckdb');

  // generate the project, plus the recursive-CTE model next to it
  const gen = generate(benchSpec(), 'bench/graph.ts#benchSpec');
  if (!gen.files) throw new Error(`bench spec does not generate:\n${gen.diagnostics.map((d) => JSON.stringify(d)).join('\n')}`);
  writeProject(projectDir, gen.files);
  const patched = process.env.BENCH_NO_PATCH ? false : patchContraction(projectDir);
  if (patched) log('applied the contraction join-order workaround to the generated project (see bench/README.md)');
  mkdirSync(join(projectDir, 'models', 'bench'), { recursive: true });
  writeFileSync(join(projectDir, 'models', 'bench', `${RECURSIVE_MODEL}.sql`), RECURSIVE_SQL);

  // load the data (a fresh database file each run)
  rmSync(join(projectDir, '.tmp'), { recursive: true, force: true });
  const genS = await generateGraphDb(dbPath, size.customers);
  log(`data generated in ${fmtS(genS)} s`);
  // with --repeat, every full build starts from the generated data alone (a copy of it)
  const dataCopy = `${dbPath}.data`;
  if (repeat > 1) copyDurably(dbPath, dataCopy);
  // BENCH_KEEP_DB=1 keeps the database as the incremental run finds it, to replay that run (copy it
  // back over c360.duckdb) while profiling; --repeat restores it before every incremental run
  // after the first
  const preIncremental = `${dbPath}.pre-incremental`;

  // (c) the recursive CTE model, with a timeout, once, over the first full build's edges; checked
  // against union-find `uf` over those edges
  const runRecursive = async (floor: number, uf: ReturnType<typeof unionFindInt>): Promise<string[]> => {
    if (skipRecursive) return ['skipped (--skip-recursive)', '—', '—', '—', '—'];
    log(`recursive CTE model (timeout ${timeoutRecursive} s) ...`);
    const rec = await runDbtMeasured(projectDir, ['run', '--select', RECURSIVE_MODEL], timeoutRecursive);
    const oom = /out of memory|OutOfMemory|memory_limit|max_temp_directory_size/i.test(rec.output);
    let status: string;
    if (rec.timedOut) status = `timed out after ${timeoutRecursive} s (killed)`;
    else if (rec.exitCode !== 0) status = oom ? `out of memory after ${fmtS(rec.seconds)} s (memory_limit 8GB, temp 20GB)` : `failed (exit ${rec.exitCode})`;
    else {
      const db2 = await openDb(dbPath);
      try {
        const r = await readIntPairs(db2, `select node_id, component_id from ${RECURSIVE_MODEL}`);
        let bad = r.n === uf.nodes ? 0 : Math.abs(r.n - uf.nodes);
        for (let i = 0; i < r.n; i++) if (uf.root[r.a[i]] !== r.b[i]) bad++;
        status = bad === 0 ? '✓ equal to union-find' : `✗ ${bad} nodes differ`;
      } finally {
        db2.close();
      }
    }
    log(`recursive: ${status}`);
    return [
      rec.timedOut ? `> ${timeoutRecursive}` : fmtS(rec.seconds),
      '—',
      fmtMiB(rec.peakKiB),
      rec.timedOut ? `> ${(timeoutRecursive / floor).toFixed(0)}x` : `${(rec.seconds / floor).toFixed(1)}x`,
      status,
    ];
  };

  // Each repetition runs (a) our full build, (b') union-find over the identifier pairs of the raw
  // events, and (d) the incremental run with a 1% edge delta (from the same starting database every
  // time), one after the other. The incremental percentage is taken per repetition, of the full
  // build just before it: this machine's speed drifts over minutes, and a full build and an
  // incremental run measured minutes apart compare the drift as much as the runs.
  const fullRuns: MeasuredRun[] = [];
  const strRuns: Awaited<ReturnType<typeof stringUnionFind>>[] = [];
  const incRuns: MeasuredRun[] = [];
  const incChecks: { verdict: string; rounds: Record<string, unknown>[]; edges: number; identifiers: number }[] = [];
  // (e) right after, a delta of ten edges: what any incremental run pays at this size
  const smallRuns: MeasuredRun[] = [];
  const smallChecks: { verdict: string; edges: number; identifiers: number }[] = [];
  let first: {
    rows: number;
    rounds: Record<string, unknown>[];
    identifiers: number;
    /** union-find over the first build's int edges (the recursive model is checked against it) */
    uf: ReturnType<typeof unionFindInt>;
    intLoadS: number;
    intComputeS: number;
    intPeak: number;
    rss0: number;
    verdict: string;
    ourComponents: number;
    recursiveCell: string[];
  } | null = null;
  for (let r = 0; r < repeat; r++) {
    const nth = repeat > 1 ? ` (${r + 1}/${repeat})` : '';
    if (r > 0) restoreDb(dataCopy, dbPath);
    log(`dbt run --select +customer_id_graph${nth} ...`);
    const run = await runDbtMeasured(projectDir, ['run', '--select', '+customer_id_graph'], null);
    if (run.exitCode !== 0) {
      const failures = readRunResults(projectDir).failures;
      throw new Error(`dbt run failed (exit ${run.exitCode}):\n${failures.map((f) => `${f.node}: ${f.message}`).join('\n')}\n${run.output.slice(-3000)}`);
    }
    fullRuns.push({ run, timings: modelTimings(projectDir) });
    log(`dbt done in ${fmtS(run.seconds)} s, peak ${fmtMiB(run.peakKiB)}`);
    const db = await openDb(dbPath);
    try {
      const str = await stringUnionFind(db);
      strRuns.push(str);
      log(`union-find str: ${fmtN(str.pairs)} pairs, ${fmtN(str.ids)} identifiers, load ${fmtS(str.loadS)} s, compute ${fmtS(str.computeS)} s; ${str.verdict}`);
      if (r === 0) {
        const rows = await db.scalar('select count(*) from raw.events');
        const rounds = await db.rows('select round, edges from int_customer__components__rounds order by round');
        const identifiers = await db.scalar('select count(*) from int_customer__identifiers');
        // (b) union-find over int edges
        const rss0 = selfPeakKiB();
        const [ip, intLoadS] = await timed(() => readIntPairs(db, 'select node_a, node_b from int_customer__edges'));
        const [uf, intComputeS] = await timed(async () => unionFindInt(ip.a, ip.b, ip.n));
        const intPeak = selfPeakKiB();
        log(`union-find int: load ${fmtS(intLoadS)} s, compute ${fmtS(intComputeS)} s`);
        const { verdict, ourComponents } = await checkOurs(db, uf);
        log(verdict);
        first = { rows, rounds, identifiers, uf, intLoadS, intComputeS, intPeak, rss0, verdict, ourComponents, recursiveCell: [] };
      }
    } finally {
      db.close();
    }
    if (!first) throw new Error('no first build');
    if (r === 0) {
      first.recursiveCell = await runRecursive(first.intLoadS + first.intComputeS, first.uf);
      // (d) append a 1% edge delta to raw.events; the same command again is an incremental run
      // (the identity models are incremental by default once their tables exist)
      const dbi = await openDb(dbPath);
      try {
        for (const sql of deltaSql(size.customers, Math.round(Number(first.rounds[0]?.edges ?? 0) * 0.01))) await dbi.run(sql);
        await dbi.run('checkpoint');
      } finally {
        dbi.close();
      }
      if (process.env.BENCH_KEEP_DB === '1' || repeat > 1) copyDurably(dbPath, preIncremental);
    }
    // An incremental run is short, so a passing slowdown of this shared machine weighs on it far
    // more than on a full build: each repetition runs it `repeat` times, each from the same
    // starting database, and keeps the median try.
    const tries: MeasuredRun[] = [];
    for (let k = 0; k < repeat; k++) {
      if (r > 0 || k > 0) restoreDb(preIncremental, dbPath);
      log(`incremental dbt run with a 1% edge delta${nth}${repeat > 1 ? `, try ${k + 1}/${repeat}` : ''} ...`);
      const run = await runDbtMeasured(projectDir, ['run', '--select', '+customer_id_graph'], null);
      tries.push({ run, timings: modelTimings(projectDir) });
      if (run.exitCode !== 0) break;
    }
    const picked = medianOrFailed(tries);
    incRuns.push(picked);
    const inc = picked.run;
    if (inc.exitCode !== 0) break;
    // every incremental result is checked against union-find over its own edges
    const db3 = await openDb(dbPath);
    try {
      const incRounds = await db3.rows('select round, edges from int_customer__components__rounds order by round');
      const c2 = await checkAgainstOwnEdges(db3);
      incChecks.push({ ...c2, rounds: incRounds });
      const triesText = tries.length > 1 ? ` (median of ${tries.map((x) => fmtS(x.run.seconds)).join(', ')})` : '';
      log(`incremental: ${fmtS(inc.seconds)} s${triesText}, ${((100 * inc.seconds) / run.seconds).toFixed(1)}% of the full build before it; ${c2.verdict}`);
      // (e) ten more edges, later than the 1% delta, and the same command once more
      for (const sql of deltaSql(size.customers, SMALL_DELTA_EDGES, 'raw', 1)) await db3.run(sql);
      await db3.run('checkpoint');
    } finally {
      db3.close();
    }
    log(`incremental dbt run with a ${SMALL_DELTA_EDGES}-edge delta right after${nth} ...`);
    const small = await runDbtMeasured(projectDir, ['run', '--select', '+customer_id_graph'], null);
    smallRuns.push({ run: small, timings: modelTimings(projectDir) });
    if (small.exitCode !== 0) break;
    const db4 = await openDb(dbPath);
    try {
      const c3 = await checkAgainstOwnEdges(db4);
      smallChecks.push(c3);
      log(`${SMALL_DELTA_EDGES}-edge delta: ${fmtS(small.seconds)} s, ${((100 * small.seconds) / run.seconds).toFixed(1)}% of the full build before it; ${c3.verdict}`);
    } finally {
      db4.close();
    }
  }
  if (repeat > 1) rmSync(dataCopy, { force: true });
  if (process.env.BENCH_KEEP_DB !== '1') rmSync(preIncremental, { force: true });
  if (!first) throw new Error('no first build');
  const { rows, rounds, identifiers, intLoadS, intComputeS, intPeak, rss0, verdict, ourComponents, recursiveCell } = first;
  const nRounds = rounds.length - 1;
  const baseEdges = Number(rounds[0]?.edges ?? 0);
  const fullSeconds = fullRuns.map((f) => f.run.seconds);
  // the median run: its wall time is the median
  const { run: ours, timings } = fullRuns[medianIndex(fullSeconds)];
  const strSeconds = strRuns.map((x) => x.loadS + x.computeS);
  const str = strRuns[medianIndex(strSeconds)];
  const strVerdict = sameVerdict(strRuns.map((x) => x.verdict));

  const incLines: string[] = [];
  // the closing line of the incremental target: its parts, joined by '; '
  const incTarget: string[] = [];
  {
    const incSeconds = incRuns.map((x) => x.run.seconds);
    const { run: inc, timings: incTimings } = medianOrFailed(incRuns);
    if (inc.exitCode !== 0) {
      incLines.push(`| incremental run with 1% edge delta | ${fmtS(inc.seconds)} | — | ${fmtMiB(inc.peakKiB)} | | | ${dbtFailureCell(projectDir)} |`);
    } else {
      // per repetition: the incremental run as a percentage of the full build just before it
      const pcts = incRuns.map((x, i) => (100 * x.run.seconds) / fullRuns[i].run.seconds);
      const pct = median(pcts);
      const c2 = incChecks[medianIndex(incSeconds)];
      const incVerdict = sameVerdict(incChecks.map((x) => x.verdict));
      const perRun =
        pcts.length > 1
          ? ` (median of ${pcts.length} repetitions, each its median of ${repeat} tries over the full build before it: ${pcts.map((x) => `${x.toFixed(1)}%`).join(', ')})`
          : '';
      incLines.push(
        `| incremental run with 1% edge delta (+${fmtN(c2.edges - baseEdges)} distinct edges, ${fmtN(c2.identifiers - identifiers)} new identifiers), same command | ${fmtRuns(incSeconds)} | ${c2.rounds.length - 1} (edges entering: ${c2.rounds.map((x) => fmtN(Number(x.edges))).join(' → ')}) | ${fmtMiB(inc.peakKiB)} | | | **${pct.toFixed(1)}% of the full build**${perRun} (target < 15%); ${incVerdict} |`,
        ...incTimings.map((t) => `| ↳ incremental \`${t.model}\` | ${fmtS(t.seconds)} | | | | | ${((100 * t.seconds) / inc.seconds).toFixed(0)}% of incremental wall |`),
      );
      // the same per repetition, counting the models' execution times only (no dbt start-up or exit)
      const modelPct = median(incRuns.map((x, i) => (100 * sumSeconds(x.timings)) / sumSeconds(fullRuns[i].timings)));
      incTarget.push(`- incremental run with a 1% edge delta: **${pct.toFixed(1)}%** of the full build, target < 15%: **${pct < 15 ? 'met' : 'NOT met'}** (model execution only: ${modelPct.toFixed(1)}%; dbt's start-up and exit are the same for every run)`);
    }
    const smallSeconds = smallRuns.map((x) => x.run.seconds);
    if (smallRuns.length > 0) {
      const { run: small } = medianOrFailed(smallRuns);
      if (small.exitCode !== 0) {
        incLines.push(`| ${SMALL_DELTA_EDGES}-edge delta right after | ${fmtS(small.seconds)} | — | ${fmtMiB(small.peakKiB)} | | | ${dbtFailureCell(projectDir)} |`);
      } else {
        const smallPct = median(smallRuns.map((x, i) => (100 * x.run.seconds) / fullRuns[i].run.seconds));
        const c3 = smallChecks[medianIndex(smallSeconds)];
        const c2 = incChecks[medianIndex(smallSeconds)];
        const smallVerdict = sameVerdict(smallChecks.map((x) => x.verdict));
        incLines.push(
          `| ${SMALL_DELTA_EDGES}-edge delta right after (+${fmtN(c3.edges - c2.edges)} distinct edges, ${fmtN(c3.identifiers - c2.identifiers)} new identifiers), same command: what any incremental run pays at this size | ${fmtRuns(smallSeconds)} | | ${fmtMiB(small.peakKiB)} | | | ${smallPct.toFixed(1)}% of the full build; ${smallVerdict} |`,
        );
        // only next to the 1% delta's verdict (a later repetition's failed 1% run leaves none)
        if (incTarget.length > 0) incTarget.push(`a ${SMALL_DELTA_EDGES}-edge delta right after takes ${smallPct.toFixed(1)}%`);
      }
    }
  }
  rmSync(join(projectDir, '.tmp'), { recursive: true, force: true });

  const intFloor = intLoadS + intComputeS;
  const strFloor = str.loadS + str.computeS;
  const modelSum = sumSeconds(timings);
  const componentsS = timings.find((t) => t.model === 'int_customer__components')?.seconds ?? NaN;
  const fmtX = (r: number) => `${r.toFixed(r < 10 ? 2 : 1)}x`;
  const ratio = (s: number) => fmtX(s / intFloor);
  const ratioStr = (s: number) => fmtX(s / strFloor);
  const algoRatio = componentsS / intComputeS;
  const within3 = (r: number) => (r <= 3 ? 'within 3x: **met**' : 'within 3x: **NOT met**');
  const lines = [
    `### ${size.label}: ${fmtN(size.customers)} customers, ${fmtN(rows)} event rows, ${fmtN(Number(rounds[0]?.edges ?? 0))} edges, ${fmtN(identifiers)} identifiers, ${fmtN(ourComponents)} customers resolved`,
    '',
    `Data generated in DuckDB in ${fmtS(genS)} s. Two in-memory union-find floors (this node process, DuckDB in-process), each load + compute:`,
    `**union-find str** = ${fmtS(strFloor)} s starts from the raw events like our build does (DuckDB normalises, pairs and dedups the ids; Node interns and union-finds): the like-for-like comparison for the pipeline.`,
    `**union-find int** = ${fmtS(intFloor)} s starts from our own \`int_customer__edges\`, after our dictionary and edge models did their part: a floor for the connected-components step, not for the pipeline.`,
    '',
    '| approach | wall s | rounds | peak RSS | vs union-find str (same raw input) | vs union-find int (from our int edges) | result |',
    '|---|---|---|---|---|---|---|',
    `| **ours**: generated models, \`dbt run --select +customer_id_graph\` (dbt process, start-up included) | ${fmtRuns(fullSeconds)} | ${nRounds} | ${fmtMiB(ours.peakKiB)} | ${ratioStr(ours.seconds)} | ${ratio(ours.seconds)} | ${verdict} |`,
    `| ↳ sum of model execution times (dbt's run_results) | ${fmtS(modelSum)} | | | ${ratioStr(modelSum)} | ${ratio(modelSum)} | |`,
    ...timings.map((t) => `| ↳ \`${t.model}\` | ${fmtS(t.seconds)} | ${t.model.endsWith('__components') ? nRounds : ''} | | | | ${(100 * t.seconds / ours.seconds).toFixed(0)}% of wall |`),
    `| in-memory union-find, identifier pairs from the raw events (${fmtN(str.pairs)} distinct normalised (type, value) pairs, ${fmtN(str.ids)} identifiers) | ${fmtRuns(strSeconds)} (load ${fmtS(str.loadS)} + compute ${fmtS(str.computeS)}${repeat > 1 ? ' in the median run' : ''}) | — | ${fmtMiB(str.peakKiB)} (bench node process peak so far) | 1.00x | ${ratio(strFloor)} | ${strVerdict} |`,
    `| in-memory union-find, int node pairs (\`int_customer__edges\`) | ${fmtS(intFloor)} (load ${fmtS(intLoadS)} + compute ${fmtS(intComputeS)}) | — | ${fmtMiB(intPeak)} (bench node process peak so far, in-process DuckDB and data generation included; ${fmtMiB(rss0)} before loading) | ${ratioStr(intFloor)} | 1.0x | oracle |`,
    `| **algorithm alone**: \`int_customer__components\` (dbt's execution time: ${nRounds} contraction rounds, writing its table) vs union-find (int) compute only, over the same \`int_customer__edges\` | ${fmtS(componentsS)} vs ${fmtS(intComputeS)} | ${nRounds} | | | **${fmtX(algoRatio)}** union-find compute | ${fmtS(intComputeS)} s compute excludes the ${fmtS(intLoadS)} s load |`,
    `| recursive-CTE dbt model over \`int_customer__edges\` | ${recursiveCell[0]} | ${recursiveCell[1]} | ${recursiveCell[2]} | | ${recursiveCell[3]} | ${recursiveCell[4]} |`,
    ...incLines,
    '',
    ...(patched
      ? [
          '**Note:** the generated project\'s vendored `c360_connected_components` was patched before the run (one join per statement in the contraction step; see bench/README.md "Known issue"): as generated, DuckDB plans a nested-loop join inside dbt\'s transaction and round 1 does not finish.',
          '',
        ]
      : []),
    `Contraction rounds (edges entering each round): ${rounds.map((r) => fmtN(Number(r.edges))).join(' → ')}`,
    '',
    `Targets (the issue, at 10M edges: our full build within 3x of union-find load + compute; an incremental run with a 1% edge delta under 15% of a full build)${size.label === '10m' ? '' : `; this run is ${size.label}, so it indicates, it does not decide`}:`,
    ...(repeat > 1
      ? [
          `- (${repeat} repetitions of full build, string union-find and ${repeat} tries of the incremental run, in that order: medians; per repetition the full build was ${fullRuns.map((f, i) => fmtX(f.run.seconds / strSeconds[i])).join(', ')} of its union-find str)`,
        ]
      : []),
    `- like-for-like, full build (dbt wall ${fmtS(ours.seconds)} s) vs union-find str from the same raw events (${fmtS(strFloor)} s): **${ratioStr(ours.seconds)}**, ${within3(ours.seconds / strFloor)} (model execution only: ${ratioStr(modelSum)}, ${within3(modelSum / strFloor)});`,
    `- full build vs union-find int, which starts from our dictionary-encoded \`int_customer__edges\` (${fmtS(intFloor)} s): **${ratio(ours.seconds)}**, ${within3(ours.seconds / intFloor)} (model execution only: ${ratio(modelSum)});`,
    `- algorithm alone, \`int_customer__components\` vs union-find int compute: **${fmtX(algoRatio)}**, ${within3(algoRatio)}.`,
    ...(incTarget.length > 0 ? [`${incTarget.join('; ')}.`] : []),
  ];
  const md = lines.join('\n');
  console.log(md + '\n');
  return { markdown: md };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { sizes } = args;
  const started = new Date();
  const parts: string[] = [];
  for (const size of sizes) parts.push((await benchSize(size, args)).markdown);
  const file = appendResults('identity', 'Identity benchmark', `npm run bench -- ${process.argv.slice(2).join(' ')}`, started, parts);
  console.error(`written ${file}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
