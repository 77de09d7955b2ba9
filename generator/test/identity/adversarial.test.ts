// Adversarial identity graphs through the GENERATED project (staging → dictionary → edges →
// contraction → id graph) on DuckDB, checked against an in-memory union-find over the raw rows:
// a 100k-node chain, a hub joined to thousands of clusters, stars, duplicate rows, self links
// (the same identifier in two columns of its type), and many singletons.

import { beforeAll, describe, expect, it } from 'vitest';
import { withDuckDb } from '../../src/warehouse/duckdb.js';
import { UnionFind } from '../helpers/union-find.js';
import { buildProject, execSql, type BuiltProject } from '../support/build.js';

const SPEC = `version: 1
entity: vertex
id_types:
  a_id: { normalize: none, junk: false }
  b_id: { normalize: none, junk: false }
inputs:
  links:
    relation: source('raw', 'links')
    occurred_at: ts
    ids: { a_id: [a, a2], b_id: b }
`;

const CHAIN = 50_000; // a- and b-nodes alternate: 100k nodes in one chain
const HUB_CLUSTERS = 3_000;

const DATA = `
create schema if not exists raw;
create or replace table raw.links as
-- a 100k-node chain: a_i - b_i - a_{i+1} - ..., rows in a scrambled order
select * from (
    select 'c' || i as a, null as a2, 'c' || i as b, timestamp '2026-01-01' + to_seconds(hash(i) % 1000000) as ts
    from range(${CHAIN}) t(i)
    union all
    select 'c' || (i + 1), null, 'c' || i, timestamp '2026-01-01' + to_seconds(hash(i + 7) % 1000000)
    from range(${CHAIN - 1}) t(i)
)
union all
-- a hub (one a-id) joined to thousands of small clusters (b - a - b triangles' paths)
select 'hub', null, 'h' || i, timestamp '2026-02-01' + to_seconds(i) from range(${HUB_CLUSTERS}) t(i)
union all
select 'ha' || i, null, 'h' || i, timestamp '2026-02-02' + to_seconds(i) from range(${HUB_CLUSTERS}) t(i)
union all
select 'ha' || i, null, 'hb' || i, timestamp '2026-02-03' + to_seconds(i) from range(${HUB_CLUSTERS}) t(i)
union all
-- 200 stars of 50 leaves
select 's' || (i // 50), null, 'sl' || i, timestamp '2026-03-01' + to_seconds(i) from range(10000) t(i)
union all
-- self links: the same a-id in both a-columns, plus one b
select 'self' || i, 'self' || i, 'selfb' || (i // 2), timestamp '2026-04-01' + to_seconds(i) from range(2000) t(i)
union all
-- duplicate rows
select 'c' || i, null, 'c' || i, timestamp '2026-05-01' from range(0, ${CHAIN}, 97) t(i)
union all
-- singletons: one identifier, nothing to link
select 'solo' || i, null, null, timestamp '2026-06-01' + to_seconds(i) from range(5000) t(i)
union all
select null, null, 'bsolo' || i, timestamp '2026-06-02' + to_seconds(i) from range(5000) t(i)
union all
-- two a-ids in one row link each other
select 'pa' || i, 'pb' || i, null, timestamp '2026-07-01' + to_seconds(i) from range(1000) t(i);
`;

describe('adversarial graphs through the generated identity models', () => {
  let built: BuiltProject;
  beforeAll(async () => {
    built = await buildProject({ specText: SPEC, load: (db) => execSql(db, DATA), args: ['run'] });
  });

  it('agree exactly with union-find over the raw rows', async () => {
    const rows = await withDuckDb(built.dbPath, (c) => c.query('select a, a2, b from raw.links'));
    const keys = new Map<string, number>();
    const key = (k: string) => {
      let n = keys.get(k);
      if (n === undefined) keys.set(k, (n = keys.size));
      return n;
    };
    const uf = new UnionFind();
    for (const r of rows) {
      const ids = [r.a && `a_id:${r.a}`, r.a2 && `a_id:${r.a2}`, r.b && `b_id:${r.b}`].filter(Boolean) as string[];
      ids.forEach((i) => uf.add(key(i)));
      for (let i = 1; i < ids.length; i++) uf.union(key(ids[0]), key(ids[i]));
    }
    const graph = await withDuckDb(built.dbPath, (c) =>
      c.query(`select id_type || ':' || id_value as id, vertex_id from main.vertex_id_graph`),
    );
    expect(graph.length).toBe(keys.size);

    // same partition: two identifiers share a canonical id iff union-find puts them together
    const ourLabelOfRoot = new Map<number, unknown>();
    const rootOfOurLabel = new Map<unknown, number>();
    for (const g of graph) {
      const root = uf.find(key(g.id as string));
      const label = g.vertex_id;
      if (!ourLabelOfRoot.has(root)) ourLabelOfRoot.set(root, label);
      if (!rootOfOurLabel.has(label)) rootOfOurLabel.set(label, root);
      expect(ourLabelOfRoot.get(root), g.id as string).toBe(label);
      expect(rootOfOurLabel.get(label), g.id as string).toBe(root);
    }
    const chainIds = graph.filter((g) => /^[ab]_id:c\d+$/.test(g.id as string));
    expect(chainIds.length).toBe(2 * CHAIN);
    expect(new Set(chainIds.map((g) => g.vertex_id)).size).toBe(1);
  });

  it('takes O(log n) rounds on the 100k-node chain', async () => {
    const [r] = await withDuckDb(built.dbPath, (c) =>
      c.query(`select max(round) as rounds from main.int_vertex__components__rounds`),
    );
    const bound = 2 * Math.ceil(Math.log2(2 * CHAIN)) + 4;
    expect(r.rounds as number).toBeGreaterThan(2);
    expect(r.rounds as number).toBeLessThanOrEqual(bound);
  });
});
