// Property test of the c360_connected_components materialization against the union-find oracle.
//
// fast-check generates many graphs (random sparse, chains, stars, many small clusters, duplicate
// and self edges, singletons); they are packed into ONE edge table with disjoint node-id ranges,
// so a single dbt run checks all of them. A separate model runs a long chain alone to bound the
// number of rounds; a capped model checks the max_rounds error and the safe swap.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/dbt/locate.js';
import { componentsOf } from '../helpers/union-find.js';
import { runDbt } from '../helpers/dbt.js';
import { tempDir } from '../support/tmp.js';

type Edge = [number, number];
/** A graph over local node ids 0..n-1. */
interface Graph {
  kind: string;
  n: number;
  edges: Edge[];
}

const SEED = Number(process.env.C360_PROPERTY_SEED ?? 20201128);
const LONG_CHAIN = 2500;
/** Node ids start above 2^32 so the BIGINT path is exercised (still exact in a JS number). */
const BASE_OFFSET = 5_000_000_000;

const shuffled = (n: number) =>
  fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n });

/** Randomly flip edge directions and duplicate a few edges. */
const messUp = (edges: Edge[]) =>
  fc.tuple(fc.array(fc.boolean(), { minLength: edges.length, maxLength: edges.length }), fc.array(fc.nat(), { maxLength: 5 })).map(
    ([flips, dups]) => {
      const out: Edge[] = edges.map(([a, b], i) => (flips[i] ? [b, a] : [a, b]));
      if (out.length > 0) for (const d of dups) out.push(out[d % out.length]);
      return out;
    },
  );

const sparse: fc.Arbitrary<Graph> = fc.integer({ min: 1, max: 60 }).chain((n) =>
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), { maxLength: 2 * n })
    .map((edges): Graph => ({ kind: 'sparse', n, edges })),
);

const chain: fc.Arbitrary<Graph> = fc.integer({ min: 2, max: 300 }).chain((n) =>
  shuffled(n).chain((perm) => {
    const edges: Edge[] = [];
    for (let i = 1; i < n; i++) edges.push([perm[i - 1], perm[i]]);
    return messUp(edges).map((e): Graph => ({ kind: 'chain', n, edges: e }));
  }),
);

const star: fc.Arbitrary<Graph> = fc.tuple(fc.integer({ min: 2, max: 200 }), fc.nat()).chain(([n, c]) => {
  const center = c % n;
  const edges: Edge[] = [];
  for (let i = 0; i < n; i++) if (i !== center) edges.push([center, i]);
  return messUp(edges).map((e): Graph => ({ kind: 'star', n, edges: e }));
});

const smallClusters: fc.Arbitrary<Graph> = fc
  .integer({ min: 1, max: 60 })
  .chain((count) => fc.array(fc.integer({ min: 1, max: 4 }), { minLength: count, maxLength: count }))
  .chain((sizes) => {
    const n = sizes.reduce((s, x) => s + x, 0);
    return shuffled(n).chain((perm) => {
      const edges: Edge[] = [];
      let at = 0;
      for (const size of sizes) {
        // a size-1 cluster is a node with only a self-loop: it must not appear in the output
        if (size === 1) edges.push([perm[at], perm[at]]);
        for (let i = 1; i < size; i++) edges.push([perm[at + i - 1], perm[at + i]]);
        at += size;
      }
      return messUp(edges).map((e): Graph => ({ kind: 'clusters', n, edges: e }));
    });
  });

const selfAndDuplicates: fc.Arbitrary<Graph> = fc.integer({ min: 1, max: 10 }).chain((n) =>
  fc
    .array(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 30 })
    .map((xs): Graph => ({ kind: 'self+dup', n, edges: xs.map((x, i): Edge => (i % 3 === 0 ? [x, x] : [x, xs[0]])) })),
);

const graphs = fc.array(fc.oneof(sparse, chain, star, smallClusters, selfAndDuplicates), { minLength: 150, maxLength: 200 });

/** Pack graphs into one edge list with disjoint id ranges; returns the global edges. */
function pack(gs: Graph[], offset: number): { edges: Edge[]; next: number } {
  const edges: Edge[] = [];
  for (const g of gs) {
    for (const [a, b] of g.edges) edges.push([a + offset, b + offset]);
    offset += g.n + 1_000;
  }
  return { edges, next: offset };
}

function longChain(n: number, offset: number): Edge[] {
  // descending ids along the chain: the worst case for label propagation
  const edges: Edge[] = [];
  for (let i = 1; i < n; i++) edges.push([offset + n - i, offset + n - i - 1]);
  return edges;
}

const tmp = tempDir('cc');
const dbPath = join(tmp, 'cc.duckdb');
const projectDir = join(tmp, 'project');

function writeProject(chainRange: [number, number]) {
  mkdirSync(join(projectDir, 'models'), { recursive: true });
  mkdirSync(join(projectDir, 'dbt_packages'), { recursive: true });
  // the repo root is the c360 package; a package directory needs no `dbt deps`
  symlinkSync(PACKAGE_ROOT, join(projectDir, 'dbt_packages', 'c360'), 'dir');
  writeFileSync(
    join(projectDir, 'dbt_project.yml'),
    'name: cc_property\nversion: "1.0.0"\nconfig-version: 2\nprofile: cc_property\nmodel-paths: ["models"]\n',
  );
  writeFileSync(
    join(projectDir, 'profiles.yml'),
    `cc_property:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n      path: "${dbPath}"\n      threads: 1\n`,
  );
  writeFileSync(
    join(projectDir, 'models', 'cc.sql'),
    "{{ config(materialized='c360_connected_components') }}\nselect node_a, node_b from raw.edges\n",
  );
  writeFileSync(
    join(projectDir, 'models', 'cc_chain.sql'),
    "{{ config(materialized='c360_connected_components', max_rounds=var('chain_max_rounds', 64)) }}\n" +
      `select node_a, node_b from raw.edges where node_a between ${chainRange[0]} and ${chainRange[1]}\n`,
  );
}

async function withDb<T>(fn: (run: (sql: string) => Promise<unknown[][]>) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(dbPath);
  const connection = await instance.connect();
  try {
    return await fn(async (sql) => (await connection.runAndReadAll(sql)).getRows() as unknown[][]);
  } finally {
    // DuckDB holds a file lock: close before dbt opens the file
    connection.closeSync();
    instance.closeSync();
  }
}

async function writeEdges(edges: Edge[]) {
  const csv = join(tmp, 'edges.csv');
  writeFileSync(csv, 'node_a,node_b\n' + edges.map(([a, b]) => `${a},${b}`).join('\n') + '\n');
  await withDb(async (run) => {
    await run('create schema if not exists raw');
    await run(
      `create or replace table raw.edges as select * from read_csv('${csv}', header = true, columns = {'node_a': 'BIGINT', 'node_b': 'BIGINT'})`,
    );
  });
}

const readPairs = (table: string) =>
  withDb(async (run) =>
    (await run(`select node_id, component_id from main.${table} order by node_id`)).map(
      ([a, b]): [number, number] => [Number(a as bigint), Number(b as bigint)],
    ),
  );

const readRounds = (table: string) =>
  withDb(async (run) =>
    (await run(`select round, edges from main.${table}__rounds order by round`)).map(
      ([r, e]): [number, number] => [Number(r), Number(e as bigint)],
    ),
  );

describe('c360_connected_components', () => {
  it('equals union-find on many packed random graphs, bounds rounds, reruns identically, fails safely', async () => {
    const runs: Graph[][] = fc.sample(graphs, { seed: SEED, numRuns: 1, unbiased: true });
    const { edges: randomEdges, next } = pack(runs[0], BASE_OFFSET);
    const chainStart = next;
    const chainEdges = longChain(LONG_CHAIN, chainStart);
    const edges = [...randomEdges, ...chainEdges];
    writeProject([chainStart, chainStart + LONG_CHAIN]);
    await writeEdges(edges);

    const first = await runDbt(projectDir, ['run']);
    expect(first.exitCode, first.output).toBe(0);
    expect(first.output).toMatch(/c360: cc round 1: \d+ edges/);

    const expected = componentsOf(edges);
    const actual = await readPairs('cc');
    const kinds: Record<string, string> = {};
    for (const kind of new Set(runs[0].map((g) => g.kind))) {
      const ofKind = runs[0].filter((g) => g.kind === kind);
      const comps = ofKind.reduce((sum, g) => sum + new Set(componentsOf(g.edges).map((p) => p[1])).size, 0);
      kinds[kind] = `${ofKind.length} graphs/${comps} components`;
    }
    const allRounds = await readRounds('cc');
    console.info(
      `c360_connected_components property: seed ${SEED}, ${runs[0].length} graphs ${JSON.stringify(kinds)} + chain of ${LONG_CHAIN}; ` +
        `${edges.length} edges, ${expected.length} nodes, ${new Set(expected.map((p) => p[1])).size} components, ${allRounds.length - 1} rounds`,
    );
    expect(actual.length).toBe(expected.length);
    expect(actual, `seed ${SEED}`).toEqual(expected);

    // the long chain alone: O(log n) rounds
    const chainRounds = await readRounds('cc_chain');
    const rounds = chainRounds[chainRounds.length - 1][0];
    expect(chainRounds[0]).toEqual([0, LONG_CHAIN - 1]);
    expect(chainRounds[chainRounds.length - 1][1]).toBe(0);
    expect(rounds).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(LONG_CHAIN)) + 4);
    const chainExpected = componentsOf(chainEdges);
    expect(await readPairs('cc_chain')).toEqual(chainExpected);

    // a rerun over the same data (incremental: nothing new to stitch) is identical
    const second = await runDbt(projectDir, ['run', '-s', 'cc']);
    expect(second.exitCode, second.output).toBe(0);
    expect(await readPairs('cc')).toEqual(actual);

    // exceeding max_rounds raises a clear error and leaves the previous table in place
    const capped = await runDbt(projectDir, ['run', '-s', 'cc_chain', '--full-refresh', '--vars', '{chain_max_rounds: 2}']);
    expect(capped.exitCode).not.toBe(0);
    expect(capped.output).toMatch(/cc_chain.*did not converge: round 2 still has \d+ edges after max_rounds=2/s);
    expect(await readPairs('cc_chain')).toEqual(chainExpected);
    const leftovers = await withDb((run) =>
      run("select table_name from information_schema.tables where table_name like 'cc%' order by 1"),
    );
    expect(leftovers.map((r) => r[0])).toEqual(['cc', 'cc__rounds', 'cc_chain', 'cc_chain__rounds']);
  });
});
