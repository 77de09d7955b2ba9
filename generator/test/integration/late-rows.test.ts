// Incremental identity runs read id rows by load time, not event time: a new input's history and a
// row older than another input's newest row are linked by the next incremental run, exactly as a
// full refresh links them (they used to wait for --full-refresh).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDbt } from '../../src/dbt/run.js';
import { withDuckDb } from '../../src/warehouse/duckdb.js';
import { UnionFind } from '../helpers/union-find.js';
import { execSql, generateInto } from '../support/build.js';
import { tempDir } from '../support/tmp.js';

const BASE = `version: 1
entity: person
id_types:
  email: { normalize: email }
  device_id: {}
  user_id: {}
inputs:
  events:
    relation: source('raw', 'events')
    occurred_at: ts
    ids: { email: email, device_id: device_id }
  orders:
    relation: source('raw', 'orders')
    occurred_at: ts
    ids: { email: email, user_id: user_id }
`;

// run 2 adds an input whose whole history is older than every row already loaded
const WITH_PAYMENTS = `${BASE}  payments:
    relation: source('raw', 'payments')
    occurred_at: ts
    ids: { user_id: user_id, device_id: device_id }
`;

type Link = [string, string | null, string | null]; // ts, first id, second id
const events1: Link[] = [];
const orders1: Link[] = [];
for (let p = 0; p < 12; p++) {
  // events in February, orders in March: the orders are the newest rows of run 1
  events1.push([`2026-02-${String(p + 1).padStart(2, '0')} 10:00:00`, `p${p}@example.org`, `dev-${p}`]);
  orders1.push([`2026-03-${String(p + 1).padStart(2, '0')} 10:00:00`, `p${p}@example.org`, `u${p}`]);
}
// run 2: an event of late February (after every event, before the newest order) that merges p0 and p1
const events2: Link[] = [['2026-02-20 10:00:00', 'P0@example.org', 'dev-1']];
// run 2: the new input's January history merges p2 with p3 and p4 with a new device
const payments2: Link[] = [
  ['2026-01-05 09:00:00', 'u2', 'dev-3'],
  ['2026-01-06 09:00:00', 'u4', 'dev-new'],
];

const q = (v: string | null) => (v === null ? 'null' : `'${v.replace(/'/g, "''")}'`);
const load = (table: string, a: string, b: string, rows: Link[]) =>
  `create schema if not exists raw;
   create table if not exists raw.${table} (ts timestamp, ${a} varchar, ${b} varchar);
   ${rows.length ? `insert into raw.${table} values ${rows.map((r) => `(timestamp '${r[0]}', ${q(r[1])}, ${q(r[2])})`).join(', ')};` : ''}`;

/** Union-find over the normalised ids of every row: the expected clusters as sorted id lists. */
function oracle(): string[][] {
  const keys = new Map<string, number>();
  const key = (k: string) => (keys.has(k) ? keys.get(k)! : (keys.set(k, keys.size), keys.size - 1));
  const uf = new UnionFind();
  const link = (a: string, b: string) => {
    uf.add(key(a));
    uf.add(key(b));
    uf.union(key(a), key(b));
  };
  for (const [, e, d] of [...events1, ...events2]) link(`email:${e!.toLowerCase()}`, `device_id:${d}`);
  for (const [, e, u] of orders1) link(`email:${e}`, `user_id:${u}`);
  for (const [, u, d] of payments2) link(`user_id:${u}`, `device_id:${d}`);
  const groups = new Map<number, string[]>();
  for (const [k, n] of keys) {
    const r = uf.find(n);
    groups.set(r, [...(groups.get(r) ?? []), k]);
  }
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

const graph = (db: string) =>
  withDuckDb(db, (c) =>
    c.query(`select id_type || ':' || id_value as id, person_id, cast(first_seen_at as varchar) as first_seen_at
             from main.person_id_graph order by id`),
  );

function clusters(rows: Record<string, unknown>[]): string[][] {
  const by = new Map<string, string[]>();
  for (const r of rows) by.set(r.person_id as string, [...(by.get(r.person_id as string) ?? []), r.id as string]);
  return [...by.values()].map((g) => g.sort()).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

describe('incremental identity runs read id rows by load time', () => {
  it('links a new input\'s older history and a row older than another input\'s newest, like a full refresh', async () => {
    const incDir = tempDir('late-inc');
    const fullDir = tempDir('late-full');
    const incDb = join(incDir, 'c360.duckdb');
    const fullDb = join(fullDir, 'c360.duckdb');

    // run 1: events and orders
    generateInto(BASE, incDir);
    await execSql(incDb, load('events', 'email', 'device_id', events1) + load('orders', 'email', 'user_id', orders1));
    const first = await runDbt({ projectDir: incDir, args: ['build'], stream: false });
    expect(first.exitCode, first.output.slice(-4000)).toBe(0);
    const before = clusters(await graph(incDb));
    expect(before).toHaveLength(12);

    // run 2, incremental: a late event and a new input with older rows
    generateInto(WITH_PAYMENTS, incDir);
    await execSql(incDb, load('events', 'email', 'device_id', events2) + load('payments', 'user_id', 'device_id', payments2));
    const second = await runDbt({ projectDir: incDir, args: ['build'], stream: false });
    expect(second.exitCode, second.output.slice(-4000)).toBe(0);
    expect(second.output).toContain('incremental: edges between previous components');

    // the same data, built from scratch
    generateInto(WITH_PAYMENTS, fullDir);
    await execSql(
      fullDb,
      load('events', 'email', 'device_id', [...events1, ...events2]) +
        load('orders', 'email', 'user_id', orders1) +
        load('payments', 'user_id', 'device_id', payments2),
    );
    const full = await runDbt({ projectDir: fullDir, args: ['build', '--full-refresh'], stream: false });
    expect(full.exitCode, full.output.slice(-4000)).toBe(0);

    const inc = await graph(incDb);
    // every identifier has the canonical id and first seen of a full refresh
    expect(inc).toEqual(await graph(fullDb));
    expect(clusters(inc)).toEqual(oracle());
    // the late event merged p0 and p1; the January payments merged p2 and p3 and named them
    const of = (id: string) => inc.find((r) => r.id === id)?.person_id;
    expect(of('email:p0@example.org')).toBe(of('device_id:dev-1'));
    expect(of('email:p2@example.org')).toBe(of('email:p3@example.org'));
    expect(of('device_id:dev-new')).toBe(of('email:p4@example.org'));
    expect(inc.find((r) => r.id === 'user_id:u2')?.first_seen_at).toBe('2026-01-05 09:00:00');
    expect(clusters(inc)).toHaveLength(10);
  });
});
