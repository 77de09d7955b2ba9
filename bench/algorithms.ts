// Connected components in raw DuckDB SQL: randomized contraction vs alternating large-star /
// small-star, on the same int edges, each checked against an in-memory union-find.
//
//   npm run build && node dist/bench/algorithms.js [size ...]     (sizes: 100k, 1m, 10m, or a customer count)
//
// Not a test. Prints a markdown table; docs/decisions/0003-connected-components-algorithm.md
// quotes it.

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { graphSql, parseSize } from './graph.js';
import { fmtN, fmtS, now, openDb, readIntPairs, timed, unionFindInt, type Db } from './lib.js';

const MAX_ROUNDS = 64;

/** Build the int edge table `e0(node_a < node_b)` from raw.events via a dense dictionary. */
async function buildEdges(db: Db): Promise<void> {
  await db.run(`create or replace table pairs as
    select p[1] as a, p[2] as b from (
      select list_filter([
        'anonymous_id:' || trim(anonymous_id), 'device_id:' || trim(device_id),
        'email:' || lower(trim(email)), 'phone:' || phone, 'user_id:' || trim(user_id)
      ], x -> x is not null) as p
      from raw.events)`);
  await db.run(`create or replace table dict as
    select s, cast(row_number() over (order by s) as bigint) as id
    from (select a as s from pairs union select b from pairs)`);
  await db.run(`create or replace table edges as
    select distinct least(da.id, db.id) as node_a, greatest(da.id, db.id) as node_b
    from pairs join dict da on da.s = pairs.a join dict db on db.s = pairs.b
    where da.id <> db.id`);
}

interface AlgoResult {
  name: string;
  rounds: number;
  statements: number;
  seconds: number;
  edgesPerRound: number[];
}

async function dropWork(db: Db, prefix: string): Promise<void> {
  const rows = await db.rows(`select table_name from duckdb_tables() where table_name like '${prefix}%'`);
  for (const r of rows) await db.run(`drop table if exists "${String(r.table_name)}"`);
}

/** Randomized contraction (Bögeholz, Brand, Todor 2020), as in macros/materializations. */
async function contraction(db: Db): Promise<AlgoResult> {
  await dropWork(db, 'cc_');
  const t = now();
  let statements = 1;
  await db.run(`create table cc_e0 as select node_a, node_b from edges`);
  const edgesPerRound = [await db.scalar(`select count(*) from cc_e0`)];
  let i = 0;
  while (edgesPerRound[i] > 0) {
    if (i >= MAX_ROUNDS) throw new Error('contraction did not converge');
    await db.run(`create table cc_m${i} as
      with nodes as (select node_a as node_id from cc_e${i} union select node_b from cc_e${i}),
      hashed as (select node_id, hash(node_id, ${i}) as h from nodes),
      nb as (
        select node_a as v, node_b as u from cc_e${i}
        union all select node_b, node_a from cc_e${i}
        union all select node_id, node_id from nodes),
      ranked as (
        select nb.v, nb.u, row_number() over (partition by nb.v order by hashed.h, nb.u) as rk
        from nb join hashed on hashed.node_id = nb.u)
      select v as node_id, u as rep from ranked where rk = 1`);
    await db.run(`create table cc_e${i + 1} as
      select distinct least(ma.rep, mb.rep) as node_a, greatest(ma.rep, mb.rep) as node_b
      from cc_e${i} e join cc_m${i} ma on ma.node_id = e.node_a join cc_m${i} mb on mb.node_id = e.node_b
      where ma.rep <> mb.rep`);
    statements += 2;
    i++;
    edgesPerRound.push(await db.scalar(`select count(*) from cc_e${i}`));
  }
  // compose backwards
  let labels = `cc_m${i - 1}`;
  for (let j = i - 2; j >= 0; j--) {
    await db.run(`create table cc_f${j} as
      select m.node_id, coalesce(l.rep, m.rep) as rep from cc_m${j} m left join ${labels} l on l.node_id = m.rep`);
    labels = `cc_f${j}`;
    statements++;
  }
  await db.run(`create or replace table result_contraction as
    select node_id, min(node_id) over (partition by rep) as component_id from ${labels}`);
  statements++;
  const seconds = now() - t;
  await dropWork(db, 'cc_');
  return { name: 'randomized contraction', rounds: i, statements, seconds, edgesPerRound };
}

/** Alternating large-star / small-star (Kiveris et al. 2014), optionally pruning converged stars. */
async function starAlgorithm(db: Db, prune: boolean): Promise<AlgoResult> {
  await dropWork(db, 'ls_');
  const t = now();
  let statements = 2;
  await db.run(`create table ls_e0 as select node_a, node_b from edges`);
  await db.run(`create table ls_done (node_a bigint, node_b bigint)`);
  const edgesPerRound = [await db.scalar(`select count(*) from ls_e0`)];
  let i = 0;
  for (;;) {
    if (i >= MAX_ROUNDS) throw new Error('large-star/small-star did not converge');
    const e = `ls_e${i}`;
    // large-star: every neighbour v > u attaches to m(u) = min of u's closed neighbourhood
    await db.run(`create table ls_l${i} as
      with sym as (select node_a as u, node_b as v from ${e} union all select node_b, node_a from ${e}),
      m as (select u, least(u, min(v)) as m from sym group by u)
      select distinct m.m as node_a, ${e}.node_b from ${e} join m on m.u = ${e}.node_a`);
    // small-star: u and its smaller neighbours attach to the smallest of them
    await db.run(`create table ls_e${i + 1} as
      with sm as (select node_b as u, min(node_a) as m from ls_l${i} group by node_b)
      select distinct least(sm.m, l.node_a) as node_a, greatest(sm.m, l.node_a) as node_b
      from ls_l${i} l join sm on sm.u = l.node_b where l.node_a <> sm.m
      union
      select m, u from sm`);
    statements += 2;
    i++;
    let next = `ls_e${i}`;
    if (prune) {
      // a centre that is nobody's leaf, whose leaves all have degree 1, is a finished component
      await db.run(`create table ls_c${i} as
        with d as (select n, count(*) as deg from (select node_a as n from ${next} union all select node_b from ${next}) group by n),
        centres as (
          select e.node_a from ${next} e join d on d.n = e.node_b
          group by e.node_a having bool_and(d.deg = 1))
        select node_a from centres where node_a not in (select node_b from ${next})`);
      await db.run(`insert into ls_done select e.* from ${next} e semi join ls_c${i} c on c.node_a = e.node_a`);
      await db.run(`create table ls_p${i} as select e.* from ${next} e anti join ls_c${i} c on c.node_a = e.node_a`);
      statements += 3;
      next = `ls_p${i}`;
      await db.run(`drop table ls_e${i}`);
      await db.run(`alter table ${next} rename to ls_e${i}`);
      next = `ls_e${i}`;
    }
    const left = await db.scalar(`select count(*) from ${next}`);
    edgesPerRound.push(left);
    if (left === 0) break;
    // converged when the edges form stars: no smaller endpoint is also a larger endpoint
    const notStar = await db.scalar(
      `select count(*) from ${next} where node_a in (select node_b from ${next})`,
    );
    if (notStar === 0) break;
  }
  await db.run(`create or replace table result_${prune ? 'star_pruned' : 'star'} as
    with stars as (select * from ls_e${i} union all select * from ls_done)
    select node_b as node_id, node_a as component_id from stars
    union all
    select distinct node_a, node_a from stars`);
  statements++;
  const seconds = now() - t;
  await dropWork(db, 'ls_');
  return {
    name: `large-star/small-star${prune ? ', converged stars pruned' : ', no pruning'}`,
    rounds: i,
    statements,
    seconds,
    edgesPerRound,
  };
}

async function verify(db: Db, table: string, root: Int32Array, nodes: number): Promise<string> {
  const { a, b, n } = await readIntPairs(db, `select node_id, component_id from ${table}`);
  if (n !== nodes) return `✗ ${n} nodes, union-find ${nodes}`;
  let bad = 0;
  for (let i = 0; i < n; i++) if (root[a[i]] !== b[i]) bad++;
  return bad === 0 ? '✓ equal' : `✗ ${bad} nodes differ`;
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).filter((s) => !s.startsWith('-'));
  if (sizes.length === 0) sizes.push('1m');
  const workDir = join('bench', '.work');
  mkdirSync(workDir, { recursive: true });
  const out: string[] = [];
  for (const s of sizes) {
    const size = parseSize(s);
    const path = join(workDir, `algorithms-${size.label}.duckdb`);
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
    const db = await openDb(path);
    try {
      const [, genS] = await timed(async () => {
        for (const sql of graphSql(size.customers)) await db.run(sql);
      });
      const [, edgesS] = await timed(() => buildEdges(db));
      const rows = await db.scalar(`select count(*) from raw.events`);
      const edges = await db.scalar(`select count(*) from edges`);
      const [pairs, loadS] = await timed(() => readIntPairs(db, `select node_a, node_b from edges`));
      const [uf, ufS] = await timed(async () => unionFindInt(pairs.a, pairs.b, pairs.n));
      console.error(
        `${size.label}: ${fmtN(size.customers)} customers, ${fmtN(rows)} rows, ${fmtN(edges)} edges, ` +
          `${fmtN(uf.nodes)} nodes, ${fmtN(uf.components)} components (generate ${fmtS(genS)} s, edges ${fmtS(edgesS)} s)`,
      );
      const lines = [
        `### ${size.label}: ${fmtN(size.customers)} customers, ${fmtN(edges)} edges, ${fmtN(uf.nodes)} nodes, ${fmtN(uf.components)} components`,
        '',
        '| algorithm | rounds | SQL statements | seconds | vs union-find | equals union-find | edges entering each round |',
        '|---|---|---|---|---|---|---|',
        `| in-memory union-find (TS, int) | — | — | ${fmtS(loadS + ufS)} (load ${fmtS(loadS)} + compute ${fmtS(ufS)}) | 1.0x | (oracle) | |`,
      ];
      const algos: [() => Promise<AlgoResult>, string][] = [
        [() => contraction(db), 'result_contraction'],
        [() => starAlgorithm(db, true), 'result_star_pruned'],
        [() => starAlgorithm(db, false), 'result_star'],
      ];
      for (const [run, table] of algos) {
        const r = await run();
        const verdict = await verify(db, table, uf.root, uf.nodes);
        const line = `| ${r.name} | ${r.rounds} | ${r.statements} | ${fmtS(r.seconds)} | ${(r.seconds / (loadS + ufS)).toFixed(1)}x | ${verdict} | ${r.edgesPerRound.map(fmtN).join(' → ')} |`;
        console.error(line);
        lines.push(line);
      }
      out.push(lines.join('\n'));
    } finally {
      db.close();
    }
  }
  console.log(out.join('\n\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
