// The final cut of the over-stitching guards, through real dbt on DuckDB: what is left of a
// cluster after identifiers are cut loose is split into the connected components of the links
// that remain, so no customer holds identifiers that only a cut-loose identifier linked.
//
// user_id and anon_id share the highest priority, so no level drops the links between them and
// the final cut is what resolves these clusters (the only level drops email).

import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDbt } from '../../src/dbt/run.js';
import { checkKeptLinks } from '../helpers/kept-links.js';
import { buildProject, execSql, type BuiltProject } from '../support/build.js';

const SPEC = `
version: 1
entity: customer
id_types:
  user_id: { limit: 1 }
  anon_id: { priority: 1 }
  email: {}
identity:
  max_cluster_size: 6
  shared_identifier_max_links: 3
inputs:
  visits:
    relation: source('shop', 'visits')
    occurred_at: visited_at
    ids: { anon_id: anon_id, user_id: user_id }
  anon_links:
    relation: source('shop', 'anon_links')
    occurred_at: linked_at
    ids: { anon_id: [anon_a, anon_b] }
  account_merges:
    relation: source('shop', 'account_merges')
    occurred_at: merged_at
    ids: { user_id: [old_user_id, new_user_id] }
  signups:
    relation: source('shop', 'signups')
    occurred_at: signed_up_at
    ids: { anon_id: anon_id, email: email }
`;

// Every identifier is first seen in the order of its number (visits without a link), so node ids
// follow the names: the oldest identifier of each group comes first.
//
// cat / kit / a-9: cat and kit merged in one row, kit owns anon a-9. Kit (newer) is cut loose;
// nothing else links cat and a-9.
// Chain: u1 - a1 - a2 - a3 - u2 - a4 - a5. u2 (newer) is cut loose: {u1, a1, a2, a3} and {a4, a5}.
// Stays whole: u3 - b1 - b2 - b3, and u4 - b2 (added on the second run). u4 is cut loose, the
// rest stays connected through b1 - b2 and keeps its canonical id.
// Max size: m1 - m7 - m2 - m3 - m4 - m5 - m6 - m8, eight anon_ids over max_cluster_size 6: the
// six oldest stay (m7, m8 are cut), and m1 only reached the others through m7.
// Hub: email hub@x.com signed up with c1, c2, c3 (3 links, not shared); a fourth on the second
// run makes it shared while the cluster breaks no limit.
const SEEN = [
  'cat', 'kit', 'a-9',
  'u1', 'a1', 'a2', 'a3', 'u2', 'a4', 'a5',
  'u3', 'b1', 'b2', 'b3', 'u4',
  'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8',
  'c1', 'c2', 'c3', 'c4',
];
const isUser = (v: string) => ['cat', 'kit'].includes(v) || /^u\d$/.test(v);
const seenRows = SEEN.map((v, i) => {
  const col = isUser(v) ? `null, '${v}'` : `'${v}', null`;
  return `(${col}, timestamp '2025-01-01' + to_minutes(${i}))`;
}).join(',\n    ');

const DATA = `
create schema if not exists shop;
create table shop.visits as
select * from (values
    ${seenRows},
    ('a-9', 'kit', timestamp '2025-03-01'),
    ('a1', 'u1', timestamp '2025-03-01'),
    ('a3', 'u2', timestamp '2025-03-01'),
    ('a4', 'u2', timestamp '2025-03-01'),
    ('b1', 'u3', timestamp '2025-03-01')
) as t(anon_id, user_id, visited_at);
create table shop.anon_links as
select * from (values
    ('a1', 'a2', timestamp '2025-03-02'),
    ('a2', 'a3', timestamp '2025-03-02'),
    ('a4', 'a5', timestamp '2025-03-02'),
    ('b1', 'b2', timestamp '2025-03-02'),
    ('b2', 'b3', timestamp '2025-03-02'),
    ('m1', 'm7', timestamp '2025-03-02'),
    ('m7', 'm2', timestamp '2025-03-02'),
    ('m2', 'm3', timestamp '2025-03-02'),
    ('m3', 'm4', timestamp '2025-03-02'),
    ('m4', 'm5', timestamp '2025-03-02'),
    ('m5', 'm6', timestamp '2025-03-02'),
    ('m6', 'm8', timestamp '2025-03-02')
) as t(anon_a, anon_b, linked_at);
create table shop.account_merges as
select 'cat' as old_user_id, 'kit' as new_user_id, timestamp '2025-03-03' as merged_at;
create table shop.signups as
select * from (values
    ('c1', 'hub@x.com', timestamp '2025-03-04'),
    ('c2', 'hub@x.com', timestamp '2025-03-04'),
    ('c3', 'hub@x.com', timestamp '2025-03-04')
) as t(anon_id, email, signed_up_at);
`;

describe('the final cut re-splits what it leaves of a cluster', () => {
  let built: BuiltProject;
  /** Final clusters of the given identifiers, as groups of values (each sorted, groups by first value). */
  const clustersOf = async (values: string[]) => {
    const rows = await built.query(`
      select customer_id, list(id_value order by node_id) as ids
      from main.customer_id_graph
      where id_value in (${values.map((v) => `'${v}'`).join(', ')})
      group by customer_id order by min(node_id)`);
    return rows.map((r) => r.ids as string[]);
  };
  const resolved = async (values: string[]) =>
    built.query(`
      select ids.id_value, r.cut_reason, r.component_id = r.stitched_component_id as kept_name
      from main.int_customer__resolved_components r
      join main.int_customer__identifiers ids using (node_id)
      where ids.id_value in (${values.map((v) => `'${v}'`).join(', ')})
      order by r.node_id`);
  const customerOf = async (value: string) => {
    const [r] = await built.query(`select customer_id from main.customer_id_graph where id_value = '${value}'`);
    return String(r.customer_id);
  };
  let u3Customer: string;

  beforeAll(async () => {
    built = await buildProject({ specText: SPEC, load: (db) => execSql(db, DATA) });
    u3Customer = await customerOf('u3');
  });

  it('cat / kit / a-9: kit is cut loose, and cat and a-9, linked only through kit, are different customers', async () => {
    expect(await clustersOf(['cat', 'kit', 'a-9'])).toEqual([['cat'], ['kit'], ['a-9']]);
    expect(await resolved(['cat', 'kit', 'a-9'])).toEqual([
      { id_value: 'cat', cut_reason: null, kept_name: true },
      { id_value: 'kit', cut_reason: 'limit:user_id', kept_name: false },
      { id_value: 'a-9', cut_reason: null, kept_name: false },
    ]);
    const audit = await built.query(`
      select id_value, other_id_value, reason from main.customer_identity_audit where id_value = 'kit' order by other_id_value`);
    expect(audit).toEqual([
      { id_value: 'kit', other_id_value: 'a-9', reason: 'limit:user_id' },
      { id_value: 'kit', other_id_value: 'cat', reason: 'limit:user_id' },
    ]);
  });

  it('a chain joined only through the cut identifier splits into two customers, the older part keeping the name', async () => {
    expect(await clustersOf(['u1', 'a1', 'a2', 'a3', 'u2', 'a4', 'a5'])).toEqual([['u1', 'a1', 'a2', 'a3'], ['u2'], ['a4', 'a5']]);
    const rows = await resolved(['u1', 'a1', 'a2', 'a3', 'u2', 'a4', 'a5']);
    expect(rows.map((r) => [r.id_value, r.cut_reason, r.kept_name])).toEqual([
      ['u1', null, true],
      ['a1', null, true],
      ['a2', null, true],
      ['a3', null, true],
      ['u2', 'limit:user_id', false],
      ['a4', null, false],
      ['a5', null, false],
    ]);
    // named after its oldest identifier, as every cluster
    const [{ named }] = await built.query(`
      select count(*) as named from main.int_customer__issued_ids where id_value in ('u1', 'a4') and customer_id in
        (select customer_id from main.customer_id_graph where id_value in ('u1', 'a4'))`);
    expect(Number(named)).toBe(2);
  });

  it('over max_cluster_size: the six oldest stay, split where only a cut identifier joined them', async () => {
    expect(await clustersOf(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8'])).toEqual([
      ['m1'],
      ['m2', 'm3', 'm4', 'm5', 'm6'],
      ['m7'],
      ['m8'],
    ]);
    const cut = await built.query(`
      select id_value, other_id_value, reason from main.customer_identity_audit
      where reason = 'max_cluster_size' order by id_value, other_id_value`);
    expect(cut.map((c) => [c.id_value, c.other_id_value])).toEqual([
      ['m7', 'm1'],
      ['m7', 'm2'],
      ['m8', 'm6'],
    ]);
  });

  it('a cluster whose remainder stays connected is untouched: one customer under the same name', async () => {
    expect(await clustersOf(['u3', 'b1', 'b2', 'b3'])).toEqual([['u3', 'b1', 'b2', 'b3']]);
    expect(await clustersOf(['c1', 'c2', 'c3', 'hub@x.com'])).toEqual([['c1', 'c2', 'c3', 'hub@x.com']]);
  });

  it('final clusters are exactly the connected components of the kept links; the graph-health tests passed', async () => {
    const r = await checkKeptLinks(built.query, built.plan);
    expect([r.disconnected, r.crossing]).toEqual([[], []]);
    for (const t of ['assert_cluster_limits', 'assert_shared_identifiers_isolated', 'assert_edges_within_one_cluster']) {
      expect(built.dbt.output).toContain(t);
    }
    expect(built.dbt.counts!.fail + built.dbt.counts!.error).toBe(0);
  });

  // Last: it adds rows.
  it('on an incremental run: a cut that leaves the rest connected keeps its canonical id; a newly shared identifier splits its cluster', async () => {
    await execSql(
      built.dbPath,
      `insert into shop.visits values ('b2', 'u4', timestamp '2025-04-01');
       insert into shop.signups values ('c4', 'hub@x.com', timestamp '2025-04-01');`,
    );
    const r = await runDbt({ projectDir: built.dir, args: ['build'], stream: false });
    expect(r.exitCode, r.output.slice(-3000)).toBe(0);
    expect(r.counts!.fail + r.counts!.error).toBe(0);

    // u4 joined u3's cluster with a second user_id: cut loose; the rest keeps its name
    expect(await clustersOf(['u3', 'b1', 'b2', 'b3', 'u4'])).toEqual([['u3', 'b1', 'b2', 'b3'], ['u4']]);
    expect(await customerOf('u3')).toBe(u3Customer);
    expect((await resolved(['u3', 'u4'])).map((x) => [x.id_value, x.cut_reason, x.kept_name])).toEqual([
      ['u3', null, true],
      ['u4', 'limit:user_id', false],
    ]);

    // hub@x.com now has 4 links (> shared_identifier_max_links 3); the incremental first pass
    // still holds it with c1..c4, breaking no limit; the cut makes it a singleton and the rest
    // splits: nothing else links c1..c4
    const [first] = await built.query(`
      select count(distinct component_id) as clusters from main.int_customer__components
      where node_id in (select node_id from main.int_customer__identifiers where id_value in ('c1', 'c2', 'c3', 'c4', 'hub@x.com'))`);
    expect(Number(first.clusters)).toBe(1);
    expect(await clustersOf(['c1', 'c2', 'c3', 'c4', 'hub@x.com'])).toEqual([['c1'], ['c2'], ['c3'], ['c4'], ['hub@x.com']]);
    const shared = await built.query(`
      select other_id_value from main.customer_identity_audit where id_value = 'hub@x.com' and reason = 'shared_identifier' order by 1`);
    expect(shared.map((s) => s.other_id_value)).toEqual(['c1', 'c2', 'c3', 'c4']);

    const kept = await checkKeptLinks(built.query, built.plan);
    expect([kept.disconnected, kept.crossing]).toEqual([[], []]);
  });

  // Last: it adds a row, then rebuilds everything.
  it('a late row: an identifier first seen before every other, loaded only now, is kept as a full refresh keeps it', async () => {
    // u0 was first seen before every identifier of the first run, in a row loaded only now (read
    // through c360_lookback_hours: 2024-12-31 is 91 days before the newest visit), with b3 of u3's
    // cluster: the dictionary numbers it after every known identifier, but it is the oldest
    // user_id of that cluster, so u0 stays and u3, u4 are cut loose
    await execSql(built.dbPath, `insert into shop.visits values ('b3', 'u0', timestamp '2024-12-31');`);
    const r = await runDbt({ projectDir: built.dir, args: ['build'], vars: { c360_lookback_hours: '2400' }, stream: false });
    expect(r.exitCode, r.output.slice(-3000)).toBe(0);
    expect(r.counts!.fail + r.counts!.error).toBe(0);
    const [{ newest }] = await built.query(`
      select max(node_id) = (select node_id from main.int_customer__identifiers where id_value = 'u0') as newest
      from main.int_customer__identifiers`);
    expect(newest).toBe(true);

    const sorted = (groups: string[][]) => groups.map((g) => [...g].sort()).sort();
    expect(sorted(await clustersOf(['u0', 'u3', 'u4', 'b1', 'b2', 'b3']))).toEqual([['b1', 'b2', 'b3', 'u0'], ['u3'], ['u4']]);
    // named after its oldest identifier: b3 was first seen in the same late row as u0 (a tie
    // broken by type, anon_id before user_id)
    expect(await customerOf('b1')).toBe(createHash('md5').update('anon_id:b3').digest('hex'));
    const cuts = async () =>
      built.query(`
        select ids.id_type, ids.id_value, r.cut_reason
        from main.int_customer__resolved_components r
        join main.int_customer__identifiers ids using (node_id)
        order by ids.id_type, ids.id_value`);
    const graph = async () => built.query('select id_type, id_value, customer_id, first_seen_at from main.customer_id_graph order by id_type, id_value');
    const audit = async () =>
      built.query(`
        select id_type, id_value, other_id_type, other_id_value, reason, detail
        from main.customer_identity_audit order by all`);
    const incremental = { graph: await graph(), audit: await audit() };
    expect((await cuts()).filter((c) => ['u0', 'u3', 'u4'].includes(String(c.id_value)))).toEqual([
      { id_type: 'user_id', id_value: 'u0', cut_reason: null },
      { id_type: 'user_id', id_value: 'u3', cut_reason: 'limit:user_id' },
      { id_type: 'user_id', id_value: 'u4', cut_reason: 'limit:user_id' },
    ]);

    // a full refresh over the same rows gives the same customers and cuts
    const full = await runDbt({ projectDir: built.dir, args: ['build', '--full-refresh'], stream: false });
    expect(full.exitCode, full.output.slice(-3000)).toBe(0);
    expect(full.counts!.fail + full.counts!.error).toBe(0);
    // renumbered in first-seen order: b3 and u0 (the late row) first, before every other identifier
    const firstTwo = await built.query(`select id_value from main.int_customer__identifiers where node_id <= 2 order by node_id`);
    expect(firstTwo.map((x) => x.id_value)).toEqual(['b3', 'u0']);
    expect(await graph()).toEqual(incremental.graph);
    expect(await audit()).toEqual(incremental.audit);
    expect(incremental.audit.filter((a) => a.reason === 'limit:user_id').map((a) => [a.id_value, a.other_id_value])).toEqual([
      ['kit', 'a-9'],
      ['kit', 'cat'],
      ['u2', 'a3'],
      ['u2', 'a4'],
      ['u3', 'b1'],
      ['u4', 'b2'],
    ]);
  });
});
