// The c360_connected_components materialization on PostgreSQL (its default, non-DuckDB path: side
// tables in the target schema, a window per round) against the union-find oracle: a 3000-node
// chain with shuffled bigint ids, a 2000-leaf star, a random sparse graph, duplicate and self
// edges; rounds grow like log n; then an incremental run whose new edges merge old components and
// add new nodes equals union-find over all edges, and the side tables are gone.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/demo/data.js';
import { runDbt } from '../helpers/dbt.js';
import { writeVendoredMacroProject } from '../helpers/dbt.js';
import { componentsOf } from '../helpers/union-find.js';
import { tempDir } from '../support/tmp.js';
import { startPostgres, type PgServer } from '../support/postgres.js';

type Edge = [number, number];
const BASE = 5_000_000_000; // above 2^32: bigint ids, still exact in a JS number
const CHAIN = 3000;

function graph(seed: number): Edge[] {
  const rnd = mulberry32(seed);
  const edges: Edge[] = [];
  // a chain over shuffled ids
  const ids = Array.from({ length: CHAIN }, (_, i) => BASE + i);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  for (let i = 1; i < ids.length; i++) edges.push(rnd() < 0.5 ? [ids[i - 1], ids[i]] : [ids[i], ids[i - 1]]);
  // a star
  const center = BASE + 10_000;
  for (let i = 1; i <= 2000; i++) edges.push([center + i, center]);
  // a random sparse graph, with duplicates and self edges
  for (let i = 0; i < 3000; i++) {
    const a = BASE + 20_000 + Math.floor(rnd() * 3000);
    const b = BASE + 20_000 + Math.floor(rnd() * 3000);
    edges.push([a, b]);
    if (rnd() < 0.05) edges.push([b, a]);
  }
  return edges;
}

describe('c360_connected_components on Postgres equals union-find', () => {
  let pg: PgServer;
  let dir: string;
  const edges = graph(20261129);

  const load = (rows: Edge[]) => pg.query(`insert into raw.edges values ${rows.map(([a, b]) => `(${a}, ${b})`).join(', ')}`);
  const result = async () =>
    (await pg.query('select node_id, component_id from c360.cc order by node_id')).map(([n, c]) => [Number(n), Number(c)] as Edge);
  const run = () => runDbt(dir, ['run', '--select', 'cc'], pg.env);

  beforeAll(async () => {
    pg = await startPostgres();
    dir = tempDir('pg-cc');
    writeVendoredMacroProject(dir, join(dir, 'unused.duckdb'), {
      cc: "{{ config(materialized='c360_connected_components') }}\nselect node_a, node_b from raw.edges\n",
    });
    writeFileSync(
      join(dir, 'profiles.yml'),
      `c360:\n  target: postgres\n  outputs:\n    postgres:\n      type: postgres\n      host: "{{ env_var('C360_PG_HOST') }}"\n` +
        `      port: "{{ env_var('C360_PG_PORT') | int }}"\n      user: "{{ env_var('C360_PG_USER') }}"\n      password: ""\n` +
        `      dbname: "{{ env_var('C360_PG_DATABASE') }}"\n      schema: c360\n      threads: 1\n`,
    );
    mkdirSync(join(dir, 'tests'), { recursive: true });
    await pg.query('create schema raw; create table raw.edges (node_a bigint, node_b bigint)');
    await load(edges);
  });

  afterAll(async () => {
    await pg?.stop();
  });

  it('a full build: the components of union-find, in O(log n) rounds', async () => {
    const r = await run();
    expect(r.exitCode, r.output.slice(-3000)).toBe(0);
    expect(await result()).toEqual(componentsOf(edges));
    const rounds = await pg.query('select round, edges from c360.cc__rounds order by round');
    expect(Number(rounds[rounds.length - 1][1])).toBe(0);
    expect(rounds.length - 1).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(CHAIN)) + 4);
  });

  it('an incremental run that merges old components and adds nodes equals union-find over every edge', async () => {
    const more: Edge[] = [
      [BASE, BASE + 10_000], // the chain and the star
      [BASE + 20_001, BASE + 10_005], // the sparse graph and the star
      [BASE + 50_000, BASE + 50_001], // new nodes
      [BASE + 50_001, BASE + 20_002],
    ];
    await load(more);
    const r = await run();
    expect(r.exitCode, r.output.slice(-3000)).toBe(0);
    expect(r.output).toContain('incremental');
    expect(await result()).toEqual(componentsOf([...edges, ...more]));
    // no round table is left behind in the schema
    const left = await pg.query(`select table_name from information_schema.tables where table_schema = 'c360' and table_name like 'cc\\_\\_cc\\_%'`);
    expect(left).toEqual([]);
  });
});
