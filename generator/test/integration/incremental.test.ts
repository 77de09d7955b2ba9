// Incremental stitching gives exactly the ids a full refresh gives, increment after increment,
// including merges of old clusters; both agree with an in-memory union-find over the raw rows.

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDbt } from '../../src/dbt/run.js';
import { mulberry32 } from '../../src/demo/data.js';
import { withDuckDb } from '../../src/warehouse/duckdb.js';
import { UnionFind } from '../helpers/union-find.js';
import { execSql, generateInto } from '../support/build.js';
import { tempDir } from '../support/tmp.js';

const SPEC = `version: 1
entity: person
id_types:
  email: { normalize: email }
  device_id: {}
  user_id: {}
inputs:
  events:
    relation: source('raw', 'events')
    occurred_at: ts
    ids: { email: email, device_id: device_id, user_id: user_id }
features:
  event_count: { from: events, agg: count(*) }
  spend: { from: events, agg: sum(amount) }
`;

interface Row {
  ts: string;
  email: string | null;
  device_id: string | null;
  user_id: string | null;
  amount: number;
}

/**
 * Batches of event rows. Each batch's rows are later than the previous batch's. Later batches
 * reuse old identifiers (clusters grow), add new people, and bridge old clusters (merges).
 */
function makeBatches(): Row[][] {
  const rand = mulberry32(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const emails: string[] = [];
  const devices: string[] = [];
  const users: string[] = [];
  const batches: Row[][] = [];
  let clock = Date.UTC(2026, 0, 1);
  const ts = () => new Date((clock += 60_000)).toISOString().replace('T', ' ').slice(0, 19);
  for (let b = 0; b < 4; b++) {
    const rows: Row[] = [];
    // new people: an email with a device, sometimes a user id, sometimes a second device
    for (let p = 0; p < 60; p++) {
      const n = emails.length;
      const email = `person${n}@example.org`;
      const device = `dev-${n}`;
      emails.push(email);
      devices.push(device);
      rows.push({ ts: ts(), email: rand() < 0.5 ? ` ${email.toUpperCase()}` : email, device_id: device, user_id: null, amount: 10 });
      if (rand() < 0.6) {
        const user = `u${n}`;
        users.push(user);
        rows.push({ ts: ts(), email: null, device_id: device, user_id: user, amount: 5 });
      }
      if (rand() < 0.3) rows.push({ ts: ts(), email: null, device_id: `dev-${n}-b`, user_id: users.at(-1) ?? null, amount: 1 });
    }
    if (b > 0) {
      // old clusters grow: a new device for an old email
      for (let k = 0; k < 20; k++) rows.push({ ts: ts(), email: pick(emails.slice(0, 60 * b)), device_id: `new-dev-${b}-${k}`, user_id: null, amount: 2 });
      // old clusters merge: a device of one old person seen with the email of another
      for (let k = 0; k < 8; k++) rows.push({ ts: ts(), email: pick(emails.slice(0, 60 * b)), device_id: pick(devices.slice(0, 60 * b)), user_id: null, amount: 3 });
      // a chain bridging three old clusters through one new device
      rows.push({ ts: ts(), email: pick(emails), device_id: `bridge-${b}`, user_id: null, amount: 0 });
      rows.push({ ts: ts(), email: null, device_id: `bridge-${b}`, user_id: pick(users), amount: 0 });
      // rows that only repeat known links change nothing
      rows.push({ ts: ts(), email: emails[0], device_id: devices[0], user_id: null, amount: 1 });
    }
    // junk never links
    rows.push({ ts: ts(), email: 'unknown', device_id: pick(devices), user_id: '', amount: 0 });
    batches.push(rows);
  }
  return batches;
}

const lit = (v: string | null) => (v === null ? 'null' : `'${v.replace(/'/g, "''")}'`);
const insertSql = (rows: Row[]) =>
  `create schema if not exists raw;
   create table if not exists raw.events (ts timestamp, email varchar, device_id varchar, user_id varchar, amount decimal(10,2));
   insert into raw.events values ${rows.map((r) => `(timestamp '${r.ts}', ${lit(r.email)}, ${lit(r.device_id)}, ${lit(r.user_id)}, ${r.amount})`).join(',\n')};`;

/** The oracle: union-find over normalised identifiers of the raw rows; groups as sorted id lists. */
function oracleClusters(rows: Row[]): string[][] {
  const keys = new Map<string, number>();
  const key = (k: string) => {
    if (!keys.has(k)) keys.set(k, keys.size);
    return keys.get(k)!;
  };
  const uf = new UnionFind();
  for (const r of rows) {
    const ids = [
      r.email && r.email.trim().toLowerCase() !== 'unknown' ? `email:${r.email.trim().toLowerCase()}` : null,
      r.device_id ? `device_id:${r.device_id}` : null,
      r.user_id ? `user_id:${r.user_id}` : null,
    ].filter((x): x is string => x !== null && x !== 'email:' && x !== 'user_id:');
    ids.forEach((i) => uf.add(key(i)));
    for (let i = 1; i < ids.length; i++) uf.union(key(ids[0]), key(ids[i]));
  }
  const byRoot = new Map<number, string[]>();
  for (const [k, n] of keys) {
    const root = uf.find(n);
    if (!byRoot.has(root)) byRoot.set(root, []);
    byRoot.get(root)!.push(k);
  }
  return [...byRoot.values()].map((g) => g.sort()).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

async function idGraph(db: string) {
  return withDuckDb(db, (c) =>
    c.query(`select id_type || ':' || id_value as id, person_id from main.person_id_graph order by id`),
  );
}

function clustersOf(rows: Record<string, unknown>[]): string[][] {
  const by = new Map<string, string[]>();
  for (const r of rows) {
    const k = r.person_id as string;
    if (!by.has(k)) by.set(k, []);
    by.get(k)!.push(r.id as string);
  }
  return [...by.values()].map((g) => g.sort()).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

describe('incremental stitching equals a full refresh', () => {
  const batches = makeBatches();
  const incDir = tempDir('inc');
  const fullDir = tempDir('full');
  const incDb = join(incDir, 'c360.duckdb');
  const fullDb = join(fullDir, 'c360.duckdb');

  beforeAll(() => {
    generateInto(SPEC, incDir);
    generateInto(SPEC, fullDir);
  });

  it('after every increment, including merges of old clusters', async () => {
    const seen: Row[] = [];
    let previousGraph: Record<string, unknown>[] = [];
    let previousRows: Record<string, unknown>[] = [];
    // rows of grown or merged clusters that kept their canonical id (and were not rewritten)
    let keptInChangedClusters = 0;
    for (const [b, rows] of batches.entries()) {
      seen.push(...rows);
      await execSql(incDb, insertSql(rows));
      await execSql(fullDb, insertSql(rows));
      const inc = await runDbt({ projectDir: incDir, args: ['build'], stream: false });
      expect(inc.exitCode, inc.output.slice(-4000)).toBe(0);
      const full = await runDbt({ projectDir: fullDir, args: ['run', '--full-refresh'], stream: false });
      expect(full.exitCode, full.output.slice(-4000)).toBe(0);
      if (b > 0) expect(inc.output).toContain('incremental: edges between previous components');

      const incGraph = await idGraph(incDb);
      const fullGraph = await idGraph(fullDb);
      // the same canonical id for every identifier, not merely the same partition
      expect(incGraph, `batch ${b}`).toEqual(fullGraph);
      expect(clustersOf(incGraph), `batch ${b}`).toEqual(oracleClusters(seen));

      const rewritten = await withDuckDb(incDb, (c) =>
        c.query(`select g.id_type || ':' || g.id_value as id,
                        g.person_id,
                        cast(g.first_seen_at as varchar) as first_seen_at,
                        g.updated_at = (select max(updated_at) from main.person_id_graph) as graph_rewritten,
                        c.updated_at = (select max(updated_at) from main.int_person__components) as component_rewritten
                 from main.person_id_graph g
                 left join main.int_person__components c on c.node_id = g.node_id`),
      );
      if (b > 0) {
        // the increment rewrote exactly the rows that changed: new identifiers, a moved first seen,
        // a new canonical id (the members of absorbed clusters); every other row, and the
        // component rows of untouched clusters, keep the run that wrote them before
        const before = new Set(clustersOf(previousGraph).map((g) => g.join(' ')));
        const previous = new Map(previousRows.map((r) => [r.id as string, r]));
        const byId = new Map(rewritten.map((r) => [r.id as string, r]));
        let unchanged = 0;
        for (const cluster of clustersOf(incGraph)) {
          const changed = !before.has(cluster.join(' '));
          if (!changed) unchanged += cluster.length;
          for (const id of cluster) {
            const now = byId.get(id)!;
            const then = previous.get(id);
            const rowChanged = !then || then.person_id !== now.person_id || then.first_seen_at !== now.first_seen_at;
            if (rowChanged) expect(changed, `batch ${b}: ${id} changed in an unchanged cluster`).toBe(true);
            expect(now.graph_rewritten, `batch ${b}: ${id} (row ${rowChanged ? 'changed' : 'unchanged'})`).toBe(rowChanged);
            if (changed && !rowChanged) keptInChangedClusters++;
            if (!changed && now.component_rewritten !== null) expect(now.component_rewritten, `batch ${b}: ${id}`).toBe(false);
          }
        }
        expect(unchanged, `batch ${b}: some clusters are untouched`).toBeGreaterThan(0);
      }
      previousRows = rewritten;
      previousGraph = incGraph;

      const feats = (db: string) =>
        withDuckDb(db, (c) => c.query('select person_id, event_count, spend from main.person_360 order by person_id'));
      expect(await feats(incDb)).toEqual(await feats(fullDb));
    }
    expect(keptInChangedClusters, 'some rows of changed clusters were left as they were').toBeGreaterThan(0);
    // the increments really merged old clusters: some canonical ids disappeared between batches
    const merges = await withDuckDb(incDb, (c) => c.query('select count(*) as n from main.person_id_merges'));
    expect(merges[0].n as number).toBeGreaterThan(0);
  });

  it('records merges: every absorbed canonical id is gone and its survivor is older', async () => {
    const rows = await withDuckDb(incDb, (c) =>
      c.query(`select m.absorbed_person_id, m.into_person_id,
                      (select count(*) from main.person_id_graph g where g.person_id = m.absorbed_person_id) as still_present,
                      (select count(*) from main.person_id_graph g where g.person_id = m.into_person_id) as survivor_present
               from main.person_id_merges m`),
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.absorbed_person_id).not.toBe(r.into_person_id);
      expect(r.still_present).toBe(0);
    }
    expect(rows.some((r) => (r.survivor_present as number) > 0)).toBe(true);
  });
});
