// A spec with shared_identifier_max_links and no other guard, through real dbt on DuckDB: when an
// identifier crosses the threshold on an incremental run after it stitched two people, the
// incremental result is exactly a --full-refresh over the same data (every identifier's canonical
// id) and exactly the connected components of the kept links (union-find in memory over the raw
// rows, minus every link of an identifier linked to more than the threshold).
//
// The first pass only merges (decision 0004), so it still holds the cluster the identifier joined;
// the shared re-split runs those clusters again over today's stitch edges (decision 0005). With a
// limit as well, the levels must see the re-split clusters, not the stale one (second describe).

import { beforeAll, describe, expect, it } from 'vitest';
import { explain } from '../../src/explain/explain.js';
import { renderText } from '../../src/explain/command.js';
import { generate } from '../../src/pipeline.js';
import type { ProjectPlan } from '../../src/plan/types.js';
import { withDuckDb } from '../../src/warehouse/duckdb.js';
import { checkKeptLinks } from '../helpers/kept-links.js';
import { UnionFind } from '../helpers/union-find.js';
import { buildPair, projectPair } from '../support/build.js';

const MAX_LINKS = 3;

const SPEC = `version: 1
entity: person
id_types:
  email: { normalize: email }
  device_id: {}
  user_id: {}
identity:
  shared_identifier_max_links: ${MAX_LINKS}
inputs:
  events:
    relation: source('raw', 'events')
    occurred_at: ts
    ids: { email: email, device_id: device_id, user_id: user_id }
features:
  event_count: { from: events, agg: count(*) }
`;

type Row = { email?: string; device_id?: string; user_id?: string };

// Run 1: device d1 links a@x and b@x (2 links, under the threshold of 3): one person with their
// user ids. Device d2 (the oldest identifier of its cluster) links g@x, h@x and k@x (3 links);
// g@x and h@x also share user uh. c@x has u3 and d3.
// Run 2: d1 is seen with e@x and f@x, d2 with i@x: both cross the threshold (4 links), so a@x and
// b@x are two people again, k@x is on its own, and g@x, h@x, uh stay together through uh. u3 gets
// device d4, and a new person n@x / un arrives.
// Run 3: device d9 joins ub (b's half of the old d1 cluster) to u3 (c's cluster), and the shared
// d1 is seen with z@x: the stale first-pass cluster of d1 grows, the cut still re-splits it.
const BATCHES: Row[][] = [
  [
    { email: 'g@x.com', device_id: 'd2' },
    { email: 'h@x.com', device_id: 'd2' },
    { email: 'k@x.com', device_id: 'd2' },
    { email: 'g@x.com', user_id: 'uh' },
    { email: 'h@x.com', user_id: 'uh' },
    { email: 'a@x.com', device_id: 'd1' },
    { email: 'b@x.com', device_id: 'd1' },
    { email: 'a@x.com', user_id: 'ua' },
    { email: 'b@x.com', user_id: 'ub' },
    { email: 'c@x.com', user_id: 'u3' },
    { email: 'c@x.com', device_id: 'd3' },
  ],
  [
    { email: 'e@x.com', device_id: 'd1' },
    { email: 'f@x.com', device_id: 'd1' },
    { email: 'i@x.com', device_id: 'd2' },
    { device_id: 'd4', user_id: 'u3' },
    { email: 'n@x.com', user_id: 'un' },
  ],
  [
    { device_id: 'd9', user_id: 'ub' },
    { device_id: 'd9', user_id: 'u3' },
    { email: 'z@x.com', device_id: 'd1' },
  ],
];

// The expected people after runs 2 and 3, as sorted groups of identifiers.
const EXPECTED: Record<number, string[][]> = {
  1: [
    ['device_id:d1'], ['device_id:d2'], ['device_id:d3', 'device_id:d4', 'email:c@x.com', 'user_id:u3'],
    ['email:a@x.com', 'user_id:ua'], ['email:b@x.com', 'user_id:ub'], ['email:e@x.com'], ['email:f@x.com'],
    ['email:g@x.com', 'email:h@x.com', 'user_id:uh'], ['email:i@x.com'], ['email:k@x.com'], ['email:n@x.com', 'user_id:un'],
  ],
  2: [
    ['device_id:d1'], ['device_id:d2'],
    ['device_id:d3', 'device_id:d4', 'device_id:d9', 'email:b@x.com', 'email:c@x.com', 'user_id:u3', 'user_id:ub'],
    ['email:a@x.com', 'user_id:ua'], ['email:e@x.com'], ['email:f@x.com'],
    ['email:g@x.com', 'email:h@x.com', 'user_id:uh'], ['email:i@x.com'], ['email:k@x.com'], ['email:n@x.com', 'user_id:un'],
    ['email:z@x.com'],
  ],
};

let clock = Date.UTC(2026, 0, 1);
const stamped = BATCHES.map((rows) => {
  clock += 86_400_000; // every batch later than the previous one
  return rows.map((r) => ({ ...r, ts: new Date((clock += 60_000)).toISOString().replace('T', ' ').slice(0, 19) }));
});
const lit = (v: string | undefined) => (v === undefined ? 'null' : `'${v}'`);
const insertSql = (rows: (Row & { ts: string })[]) =>
  `create schema if not exists raw;
   create table if not exists raw.events (ts timestamp, email varchar, device_id varchar, user_id varchar);
   insert into raw.events values ${rows.map((r) => `(timestamp '${r.ts}', ${lit(r.email)}, ${lit(r.device_id)}, ${lit(r.user_id)})`).join(',\n')};`;

const idsOf = (r: Row) =>
  (['email', 'device_id', 'user_id'] as const).filter((t) => r[t] !== undefined).map((t) => `${t}:${r[t]}`);

/**
 * The oracle, from the raw rows alone: every pair of identifiers in one row is a link; an
 * identifier linked to more than MAX_LINKS distinct identifiers is shared and keeps none of its
 * links; people are the connected components of the links kept. Also returns the shared ones.
 */
function oracle(rows: Row[]): { clusters: string[][]; shared: string[] } {
  const neighbours = new Map<string, Set<string>>();
  const links = new Set<string>();
  for (const r of rows) {
    const ids = idsOf(r);
    for (const i of ids) if (!neighbours.has(i)) neighbours.set(i, new Set());
    for (let x = 0; x < ids.length; x++) {
      for (let y = x + 1; y < ids.length; y++) {
        neighbours.get(ids[x])!.add(ids[y]);
        neighbours.get(ids[y])!.add(ids[x]);
        links.add(JSON.stringify([ids[x], ids[y]].sort()));
      }
    }
  }
  const shared = [...neighbours].filter(([, n]) => n.size > MAX_LINKS).map(([i]) => i);
  const key = new Map([...neighbours.keys()].map((k, n) => [k, n]));
  const uf = new UnionFind();
  for (const n of key.values()) uf.add(n);
  for (const l of links) {
    const [a, b] = JSON.parse(l) as [string, string];
    if (!shared.includes(a) && !shared.includes(b)) uf.union(key.get(a)!, key.get(b)!);
  }
  const byRoot = new Map<number, string[]>();
  for (const [k, n] of key) byRoot.set(uf.find(n), [...(byRoot.get(uf.find(n)) ?? []), k]);
  return { clusters: sortGroups([...byRoot.values()]), shared: shared.sort() };
}

const sortGroups = (groups: string[][]) => groups.map((g) => [...g].sort()).sort((a, b) => (a[0] < b[0] ? -1 : 1));

async function idGraph(db: string): Promise<Record<string, string>> {
  const rows = await withDuckDb(db, (c) => c.query(`select id_type || ':' || id_value as id, person_id from main.person_id_graph order by id`));
  return Object.fromEntries(rows.map((r) => [String(r.id), String(r.person_id)]));
}

function clustersOf(graph: Record<string, string>): string[][] {
  const by = new Map<string, string[]>();
  for (const [id, person] of Object.entries(graph)) by.set(person, [...(by.get(person) ?? []), id]);
  return sortGroups([...by.values()]);
}

describe('shared_identifier_max_links alone: an identifier that becomes shared on an incremental run', () => {
  let incDir: string, fullDir: string, incDb: string, fullDb: string, plan: ProjectPlan;

  beforeAll(() => {
    ({ incDir, fullDir, incDb, fullDb, plan } = projectPair(SPEC, 'shared'));
  });

  it('plans the shared re-split, without limit levels or a final cut', () => {
    const g = plan.identity.guards;
    expect([g.limited, g.levels, g.unsharedModel, g.finalCutModel, g.afterCutModel, g.resolvedModel]).toEqual([
      false,
      [],
      'int_person__components_unshared',
      null,
      null,
      'int_person__resolved_components',
    ]);
    expect(plan.identity.componentsModel).toBe('int_person__resolved_components');
  });

  it('its stale cluster is re-split: incremental == --full-refresh == union-find over the kept links, run after run', async () => {
    const seen: Row[] = [];
    for (const [b, rows] of stamped.entries()) {
      seen.push(...rows);
      const inc = await buildPair({ incDir, fullDir, incDb, fullDb, plan }, insertSql(rows));
      expect(inc.output).toContain('assert_shared_identifiers_isolated');
      if (b > 0) expect(inc.output).toContain('incremental: edges between previous components');

      const incGraph = await idGraph(incDb);
      const fullGraph = await idGraph(fullDb);
      // the same canonical id for every identifier, not merely the same partition
      expect(incGraph, `run ${b}`).toEqual(fullGraph);
      const o = oracle(seen);
      expect(clustersOf(incGraph), `run ${b}`).toEqual(o.clusters);
      if (EXPECTED[b]) expect(clustersOf(incGraph), `run ${b}`).toEqual(EXPECTED[b]);

      // the shared identifiers the warehouse found are the oracle's
      const shared = await withDuckDb(incDb, (c) =>
        c.query(`select id_type || ':' || id_value as id from main.int_person__shared_identifiers order by id`),
      );
      expect(shared.map((s) => s.id)).toEqual(o.shared);

      // every person is connected by the links the guards kept, and no kept link joins two people
      const kept = await withDuckDb(incDb, (c) => checkKeptLinks((sql) => c.query(sql), plan));
      expect([kept.disconnected, kept.crossing], `run ${b}`).toEqual([[], []]);
    }
  });

  it('the incremental first pass still holds the stale clusters: the shared re-split did the split', async () => {
    const firstPass = (db: string) =>
      withDuckDb(db, (c) =>
        c.query(`select i.id_type || ':' || i.id_value as id, c.component_id
                 from main.int_person__components c join main.int_person__identifiers i using (node_id)
                 where i.id_value in ('a@x.com', 'b@x.com', 'd1', 'c@x.com')
                 order by id`),
      );
    const inc = await firstPass(incDb);
    expect(inc.map((r) => r.id)).toEqual(['device_id:d1', 'email:a@x.com', 'email:b@x.com', 'email:c@x.com']);
    expect(new Set(inc.map((r) => r.component_id)).size).toBe(1);
    // a full refresh never stitches through d1: a@x is apart from b@x and c@x
    const full = await firstPass(fullDb);
    expect(full.map((r) => r.id)).toEqual(['email:a@x.com', 'email:b@x.com', 'email:c@x.com']);
    expect(full[0].component_id).not.toEqual(full[1].component_id);
    expect(full[1].component_id).toEqual(full[2].component_id);

    // the shared re-split re-ran exactly the two stale clusters; d1 and d2 are on their own there
    const resplit = (db: string) =>
      withDuckDb(db, (c) =>
        c.query(`select i.id_value, u.component_id = u.node_id as own_component
                 from main.int_person__components_unshared u join main.int_person__identifiers i using (node_id)
                 order by i.id_value`),
      );
    const rerun = await resplit(incDb);
    expect(rerun.map((r) => r.id_value)).toEqual([
      'a@x.com', 'b@x.com', 'c@x.com', 'd1', 'd2', 'd3', 'd4', 'd9', 'g@x.com', 'h@x.com', 'k@x.com', 'u3', 'ua', 'ub', 'uh',
    ]);
    expect(rerun.filter((r) => ['d1', 'd2'].includes(String(r.id_value))).map((r) => r.own_component)).toEqual([true, true]);
    // a full refresh has no stale cluster: nothing to re-run
    expect(await resplit(fullDb)).toEqual([]);

    // explain tells the same on both: a@x.com and b@x.com are linked only through the shared d1
    const spec = generate(SPEC, 'c360.yml').spec!;
    for (const dir of [incDir, fullDir]) {
      const r = await explain(spec, plan, dir, { value: 'a@x.com', to: 'b@x.com' }, {});
      expect(r.status).toBe('not_linked');
      if (r.status !== 'not_linked') return;
      expect(r.separation?.by === 'shared_identifier' && r.separation.shared.map((x) => [x.idValue, x.detail])).toEqual([
        ['d1', 'linked to 5 identifiers (shared_identifier_max_links 3)'],
      ]);
      expect(renderText(r, 'p')).toContain('email a@x.com and email b@x.com are different persons: they are linked only through shared identifiers');
      const b = await explain(spec, plan, dir, { value: 'b@x.com', to: 'c@x.com' }, {});
      expect(b.status === 'found' && b.chains[0].links.map((l) => l.to.idValue)).toEqual(['ub', 'd9', 'u3', 'c@x.com']);
    }

    // the links of d1 and d2 are audited, once each, as shared_identifier
    const audit = await withDuckDb(incDb, (c) =>
      c.query(`select id_value, count(*) as links from main.person_identity_audit where reason = 'shared_identifier' group by id_value order by id_value`),
    );
    expect(audit.map((a) => [a.id_value, Number(a.links)])).toEqual([
      ['d1', 5],
      ['d2', 4],
    ]);
  });
});

// With a limit too, the limit levels must decide over the clusters a full refresh would have, not
// over the stale first-pass cluster the newly shared identifier still holds together.
const LIMITED_SPEC = `version: 1
entity: person
id_types:
  user_id: { limit: 1 }
  device_id: {}
  email: { normalize: email }
identity:
  shared_identifier_max_links: 2
inputs:
  events:
    relation: source('raw', 'events')
    occurred_at: ts
    ids: { email: email, device_id: device_id, user_id: user_id }
`;

// Run 1: u1 - e1 - d - e2 - u2: two user_ids in one cluster; level 1 drops the email links (the
// lowest priority), so all five are apart. Run 2: d gets a third link and is shared: a full
// refresh stitches u1 - e1 and e2 - u2 (no cluster breaks the limit any more).
const LIMITED_BATCHES: Row[][] = [
  [
    { user_id: 'u1', email: 'e1@x.com' },
    { email: 'e1@x.com', device_id: 'd' },
    { device_id: 'd', email: 'e2@x.com' },
    { email: 'e2@x.com', user_id: 'u2' },
  ],
  [{ device_id: 'd', email: 'e3@x.com' }],
];

describe('with a limit as well: the levels see the clusters a full refresh would', () => {
  let incDir: string, fullDir: string, incDb: string, fullDb: string, plan: ProjectPlan;

  beforeAll(() => {
    ({ incDir, fullDir, incDb, fullDb, plan } = projectPair(LIMITED_SPEC, 'shared-lim'));
  });

  it('incremental == --full-refresh after the identifier becomes shared', async () => {
    const expected = [
      [['device_id:d'], ['email:e1@x.com'], ['email:e2@x.com'], ['user_id:u1'], ['user_id:u2']],
      [['device_id:d'], ['email:e1@x.com', 'user_id:u1'], ['email:e2@x.com', 'user_id:u2'], ['email:e3@x.com']],
    ];
    let clockL = Date.UTC(2026, 5, 1);
    for (const [b, rows] of LIMITED_BATCHES.entries()) {
      clockL += 86_400_000;
      const withTs = rows.map((r) => ({ ...r, ts: new Date((clockL += 60_000)).toISOString().replace('T', ' ').slice(0, 19) }));
      await buildPair({ incDir, fullDir, incDb, fullDb, plan }, insertSql(withTs));

      const incGraph = await idGraph(incDb);
      expect(clustersOf(await idGraph(fullDb)), `run ${b}`).toEqual(expected[b]);
      expect(incGraph, `run ${b}`).toEqual(await idGraph(fullDb));
      const kept = await withDuckDb(incDb, (c) => checkKeptLinks((sql) => c.query(sql), plan));
      expect([kept.disconnected, kept.crossing], `run ${b}`).toEqual([[], []]);
    }
  });
});
