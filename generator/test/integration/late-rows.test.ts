// Incremental identity runs read id rows by load time, not event time (decision 0007): a new
// input's history and rows older than the newest row already loaded are linked by the next plain
// run, exactly as a full refresh links them (they used to wait for --full-refresh). Every run is
// compared with an oracle computed in memory from the raw rows (union-find clusters, each
// identifier's first seen time and canonical id), and the last one with a --full-refresh over the
// same data. Also: a selection that would make the edges lose rows is refused, tables of older
// versions (no loaded_at) stop with the fix, and tables that were empty do not stay empty.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDbt, type DbtRunResult } from '../../src/dbt/run.js';
import { withDuckDb } from '../../src/warehouse/duckdb.js';
import { UnionFind } from '../helpers/union-find.js';
import { execSql, generateInto } from '../support/build.js';
import { tempDir } from '../support/tmp.js';

const INPUTS = {
  web: { email: 'email', device_id: 'device_id' },
  orders: { email: 'email', user_id: 'user_id' },
  payments: { user_id: 'user_id', device_id: 'device_id' },
} as const;
type Input = keyof typeof INPUTS;

const spec = (inputs: Input[]) => `version: 1
entity: person
id_types:
  email: { normalize: email }
  device_id: {}
  user_id: {}
inputs:
${inputs
  .map((i) => `  ${i}:\n    relation: source('raw', '${i}')\n    occurred_at: ts\n    ids: { ${Object.entries(INPUTS[i]).map(([t, c]) => `${t}: ${c}`).join(', ')} }\n`)
  .join('')}`;

/** A raw row: its input, its timestamp and its two id values (in the order of INPUTS[input]). */
type Row = [input: Input, ts: string, a: string | null, b: string | null];

/** 10 people: web rows in February (an email with a device), orders in March (that email with a user id). */
const HISTORY: Row[] = [];
for (let p = 0; p < 10; p++) {
  const day = String(p + 1).padStart(2, '0');
  HISTORY.push(['web', `2026-02-${day} 10:00:00`, `p${p}@example.org`, `dev-${p}`]);
  HISTORY.push(['orders', `2026-03-${day} 10:00:00`, `p${p}@example.org`, `u${p}`]);
}

const sqlValue = (v: string | null) => (v === null ? 'null' : `'${v.replace(/'/g, "''")}'`);

/** Creates the raw tables of `inputs` (if missing) and inserts `rows`. */
function loadSql(inputs: Input[], rows: Row[]): string {
  const statements = ['create schema if not exists raw;'];
  for (const i of inputs) {
    const [a, b] = Object.values(INPUTS[i]);
    statements.push(`create table if not exists raw.${i} (ts timestamp, ${a} varchar, ${b} varchar);`);
    const values = rows.filter((r) => r[0] === i).map((r) => `(timestamp '${r[1]}', ${sqlValue(r[2])}, ${sqlValue(r[3])})`);
    if (values.length) statements.push(`insert into raw.${i} values ${values.join(', ')};`);
  }
  return statements.join('\n');
}

interface GraphRow {
  id: string;
  person_id: string;
  first_seen_at: string;
}

/**
 * What any build over `rows` must give, computed without dbt: clusters by union-find over the
 * normalised ids of each row; an identifier's first seen time is its earliest row; a cluster's id is
 * the md5 of `type:value` of its oldest identifier by (first seen, type, value).
 */
function oracle(rows: Row[]): GraphRow[] {
  const keys = new Map<string, number>();
  const firstSeen = new Map<string, string>();
  const uf = new UnionFind();
  const node = (type: string, raw: string | null, ts: string): number | null => {
    if (raw === null) return null;
    const id = `${type}:${type === 'email' ? raw.trim().toLowerCase() : raw.trim()}`;
    if (!keys.has(id)) keys.set(id, keys.size);
    if (!firstSeen.has(id) || ts < firstSeen.get(id)!) firstSeen.set(id, ts);
    uf.add(keys.get(id)!);
    return keys.get(id)!;
  };
  for (const [input, ts, a, b] of rows) {
    const [typeA, typeB] = Object.keys(INPUTS[input]);
    const na = node(typeA, a, ts);
    const nb = node(typeB, b, ts);
    if (na !== null && nb !== null) uf.union(na, nb);
  }
  const oldest = new Map<number, string>();
  const older = (x: string, y: string) => {
    const [fx, fy] = [firstSeen.get(x)!, firstSeen.get(y)!];
    return fx !== fy ? fx < fy : x < y; // type then value: `type:value` sorts the same way here
  };
  for (const [id, n] of keys) {
    const c = uf.find(n);
    if (!oldest.has(c) || older(id, oldest.get(c)!)) oldest.set(c, id);
  }
  return [...keys]
    .map(([id, n]) => ({
      id,
      person_id: createHash('md5').update(oldest.get(uf.find(n))!).digest('hex'),
      first_seen_at: firstSeen.get(id)!,
    }))
    .sort((x, y) => (x.id < y.id ? -1 : 1));
}

function project(prefix: string) {
  const dir = tempDir(prefix);
  const db = join(dir, 'c360.duckdb');
  const query = (sql: string) => withDuckDb(db, (c) => c.query(sql));
  return {
    dir,
    db,
    generate: (inputs: Input[]) => generateInto(spec(inputs), dir),
    load: (inputs: Input[], rows: Row[]) => execSql(db, loadSql(inputs, rows)),
    dbt: (...args: string[]) => runDbt({ projectDir: dir, args, stream: false }),
    query,
    graph: async () =>
      (await query(`select id_type || ':' || id_value as id, person_id, cast(first_seen_at as varchar) as first_seen_at
                    from main.person_id_graph order by id`)) as unknown as GraphRow[],
  };
}
type Project = ReturnType<typeof project>;

const ok = (r: DbtRunResult) => expect(r.exitCode, r.output.slice(-5000)).toBe(0);

/** The id graph after a --full-refresh over the same data is the incremental one. */
async function expectFullRefreshSame(p: Project) {
  const incremental = await p.graph();
  ok(await p.dbt('run', '--full-refresh'));
  expect(await p.graph()).toEqual(incremental);
}

const personOf = (graph: GraphRow[], id: string) => graph.find((r) => r.id === id)?.person_id;

describe('incremental identity runs read id rows by load time (decision 0007)', () => {
  it('a new input whose rows are all older than the newest rows already loaded links existing customers', async () => {
    const p = project('load-time-new-input');
    p.generate(['web', 'orders']);
    await p.load(['web', 'orders'], HISTORY);
    ok(await p.dbt('build'));
    expect(await p.graph()).toEqual(oracle(HISTORY));

    // run 2 adds payments, whose January history (older than every row loaded) links p2 with p3
    // through u2 and dev-3, and gives p4 a new device
    const payments: Row[] = [
      ['payments', '2026-01-05 09:00:00', 'u2', 'dev-3'],
      ['payments', '2026-01-06 09:00:00', 'u4', 'dev-new'],
    ];
    p.generate(['web', 'orders', 'payments']);
    await p.load(['payments'], payments);
    const second = await p.dbt('build');
    ok(second);
    expect(second.output).toContain('incremental: edges between previous components');
    const graph = await p.graph();
    expect(graph).toEqual(oracle([...HISTORY, ...payments]));
    expect(personOf(graph, 'email:p2@example.org')).toBe(personOf(graph, 'email:p3@example.org'));
    expect(personOf(graph, 'device_id:dev-new')).toBe(personOf(graph, 'email:p4@example.org'));
    // the merged cluster is named after dev-3, first seen in January (with u2: by type then)
    expect(graph.find((r) => r.id === 'user_id:u2')).toEqual({
      id: 'user_id:u2',
      person_id: createHash('md5').update('device_id:dev-3').digest('hex'),
      first_seen_at: '2026-01-05 09:00:00',
    });
    await expectFullRefreshSame(p);
  });

  it('a late row older than the newest row already loaded merges two clusters', async () => {
    const p = project('load-time-late-row');
    p.generate(['web', 'orders']);
    await p.load(['web', 'orders'], HISTORY);
    ok(await p.dbt('build'));

    // a web row of late February: newer than every web row, older than the orders of March; it
    // merges p0 and p1
    const late: Row[] = [['web', '2026-02-20 10:00:00', ' P0@Example.org', 'dev-1']];
    await p.load(['web'], late);
    ok(await p.dbt('build'));
    let graph = await p.graph();
    expect(graph).toEqual(oracle([...HISTORY, ...late]));
    expect(personOf(graph, 'email:p0@example.org')).toBe(personOf(graph, 'device_id:dev-1'));

    // a web row older than web's own newest (20 February) merges p2 and p3: only the per-input
    // watermark of int_web__ids decides whether it is read, and c360_lookback_hours moves it back
    const older: Row[] = [['web', '2026-02-15 10:00:00', 'p2@example.org', 'dev-3']];
    await p.load(['web'], older);
    // a var that is not a whole number of hours stops the run with the fix, before any SQL
    const bad = await p.dbt('run', '--select', 'int_web__ids', '--vars', '{c360_lookback_hours: "a week"}');
    expect(bad.exitCode).not.toBe(0);
    expect(bad.output).toContain("var c360_lookback_hours must be a whole number of hours, 0 or more; got 'a week'");
    // given as a string (JSON from a scheduler) it works as the number
    ok(await p.dbt('build', '--vars', '{"c360_lookback_hours": "168"}'));
    graph = await p.graph();
    expect(graph).toEqual(oracle([...HISTORY, ...late, ...older]));
    expect(personOf(graph, 'email:p2@example.org')).toBe(personOf(graph, 'device_id:dev-3'));
    await expectFullRefreshSame(p);
  });

  it('a cluster no longer named after its smallest node grows, merges and is renamed again', async () => {
    // the incremental id graph reads a grown cluster's own node (its component_id) as the oldest
    // of the cluster it was, and the whole cluster only when it is named after another identifier
    const p = project('load-time-renamed-survivor');
    p.generate(['web', 'orders']);
    await p.load(['web', 'orders'], HISTORY);
    ok(await p.dbt('build'));
    const md5 = (id: string) => createHash('md5').update(id).digest('hex');
    const rows = [...HISTORY];
    const step = async (late: Row[]) => {
      await p.load(['web', 'orders'], late);
      rows.push(...late);
      // the late rows are older than their input's newest: read with a lookback of 100 days
      ok(await p.dbt('build', '--vars', '{"c360_lookback_hours": 2400}'));
      const graph = await p.graph();
      expect(graph).toEqual(oracle(rows));
      return graph;
    };

    // a January order moves the first seen of p2's email and u2 before dev-2 (the cluster's
    // smallest node, first seen in February): the cluster is renamed after the email, every member
    let graph = await step([['orders', '2026-01-10 10:00:00', 'p2@example.org', 'u2']]);
    expect(personOf(graph, 'device_id:dev-2')).toBe(md5('email:p2@example.org'));

    // it grows by a new device, and absorbs p5's cluster through it: named after the email still
    graph = await step([
      ['web', '2026-04-01 10:00:00', 'p2@example.org', 'dev-2b'],
      ['web', '2026-04-02 10:00:00', 'p5@example.org', 'dev-2b'],
    ]);
    expect(personOf(graph, 'email:p5@example.org')).toBe(md5('email:p2@example.org'));
    expect(personOf(graph, 'device_id:dev-2b')).toBe(md5('email:p2@example.org'));

    // dev-2 is seen on 1 January with a new email: the oldest now (device_id before email), so
    // every member is renamed after it, the unchanged ones too
    graph = await step([['web', '2026-01-01 10:00:00', 'early@example.org', 'dev-2']]);
    for (const id of ['email:p2@example.org', 'user_id:u2', 'email:p5@example.org', 'device_id:dev-5', 'email:early@example.org']) {
      expect(personOf(graph, id), id).toBe(md5('device_id:dev-2'));
    }
    await expectFullRefreshSame(p);
  });

  it('refuses edges that would read id rows the dictionary has not read, and stops over id rows without loaded_at', async () => {
    const p = project('load-time-refusals');
    p.generate(['web', 'orders']);
    await p.load(['web', 'orders'], HISTORY);
    ok(await p.dbt('build'));
    const edges = () => p.query('select node_a, node_b, updated_at from main.int_person__edges order by node_a, node_b');
    const before = await edges();

    // new rows reach int_web__ids, then the edges run without the dictionary: a new email (not in
    // the dictionary yet) with dev-1, and a known pair p2-dev-3; writing the known pair alone would
    // move the edges' watermark past the new email's row for good
    const rows: Row[] = [
      ['web', '2026-03-20 10:00:00', 'new@example.org', 'dev-1'],
      ['web', '2026-03-20 10:00:00', 'p2@example.org', 'dev-3'],
    ];
    await p.load(['web'], rows);
    ok(await p.dbt('run', '--select', 'stg_web', 'int_web__ids'));
    const refused = await p.dbt('run', '--select', 'int_person__edges');
    expect(refused.exitCode).not.toBe(0);
    expect(refused.output).toContain('c360: int_person__edges reads id rows that int_person__identifiers has not read yet: int_web__ids (loaded at');
    expect(refused.output).toContain('fix: dbt build --select int_person__identifiers+');
    expect(await edges()).toEqual(before);
    ok(await p.dbt('build', '--select', 'int_person__identifiers+'));
    let graph = await p.graph();
    expect(graph).toEqual(oracle([...HISTORY, ...rows]));
    expect(personOf(graph, 'email:new@example.org')).toBe(personOf(graph, 'email:p1@example.org'));

    // an int_web__ids table of an older version (no loaded_at): a plain build stops at it and
    // changes nothing downstream; the fix in the message rebuilds it and what reads it
    await execSql(p.db, 'alter table main.int_web__ids drop column loaded_at');
    const more: Row[] = [['web', '2026-03-25 10:00:00', 'p5@example.org', 'dev-6']];
    await p.load(['web'], more);
    const stopped = await p.dbt('build');
    expect(stopped.exitCode).not.toBe(0);
    expect(stopped.output).toContain('c360: int_web__ids was built before id rows recorded the run that loaded them (no column loaded_at)');
    expect(stopped.output).toContain('fix: dbt build --full-refresh --select int_web__ids+ int_orders__ids+');
    expect(await p.graph()).toEqual(graph);
    ok(await p.dbt('build', '--full-refresh', '--select', 'int_web__ids+', 'int_orders__ids+'));
    graph = await p.graph();
    expect(graph).toEqual(oracle([...HISTORY, ...rows, ...more]));
    expect(personOf(graph, 'email:p5@example.org')).toBe(personOf(graph, 'device_id:dev-6'));
  });

  it('identity tables built empty fill up on the next run', async () => {
    // the first build sees no rows at all (the inputs exist, their data has not arrived)
    const p = project('load-time-empty');
    p.generate(['web', 'orders', 'payments']);
    await p.load(['web', 'orders', 'payments'], []);
    ok(await p.dbt('build'));
    expect(await p.query('select count(*) as n from main.int_person__identifiers')).toEqual([{ n: 0 }]);

    const rows: Row[] = [...HISTORY, ['payments', '2026-01-05 09:00:00', 'u2', 'dev-3']];
    await p.load(['web', 'orders', 'payments'], rows);
    ok(await p.dbt('build'));
    expect(await p.graph()).toEqual(oracle(rows));
    await expectFullRefreshSame(p);
  });
});
