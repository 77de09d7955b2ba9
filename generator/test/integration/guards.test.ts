// Over-stitching guards through real dbt on DuckDB, on a junk-heavy dataset: a kiosk device used
// by 300 people, test@test.com and 'unknown' on many orders, a household email on two accounts,
// two user_ids reached through a chain (user_id limit 1), and two user_ids merged in one row.

import { beforeAll, describe, expect, it } from 'vitest';
import { runDbt } from '../../src/dbt/run.js';
import { DATA, PEOPLE, SPEC } from '../fixtures/junk-heavy.js';
import { checkKeptLinks } from '../helpers/kept-links.js';
import { buildProject, execSql, type BuiltProject } from '../support/build.js';

describe('over-stitching guards on a junk-heavy dataset', () => {
  let built: BuiltProject;
  beforeAll(async () => {
    built = await buildProject({ specText: SPEC, load: (db) => execSql(db, DATA) });
  });

  it('puts no two different people in one cluster', async () => {
    const rows = await built.query(`
      select g.customer_id, count(distinct t.person) as people
      from main.customer_id_graph g join truth.ids t on t.id_type = g.id_type and t.id_value = g.id_value
      group by g.customer_id having count(distinct t.person) > 1`);
    expect(rows).toEqual([]);
  });

  it('still stitches every regular person whole: user_id, email and own device', async () => {
    const rows = await built.query(`
      select t.person, count(distinct g.customer_id) as clusters, count(*) as ids
      from truth.ids t join main.customer_id_graph g on g.id_type = t.id_type and g.id_value = t.id_value
      where t.person like 'p%' or t.person in ('a', 'b', 'c', 'd')
      group by t.person`);
    expect(rows.length).toBe(PEOPLE + 4);
    expect(rows.filter((r) => Number(r.clusters) !== 1)).toEqual([]);
    expect(rows.filter((r) => String(r.person).startsWith('p')).every((r) => Number(r.ids) === 3)).toBe(true);
    // a person's cluster holds nothing but their own identifiers (no kiosk, no junk)
    const [sizes] = await built.query(`
      select max(n) as largest from (select customer_id, count(*) as n from main.customer_id_graph group by customer_id) s`);
    expect(Number(sizes.largest)).toBe(3);
  });

  it('keeps shared identifiers and the chain phone as clusters of their own', async () => {
    const rows = await built.query(`
      select g.id_type, g.id_value, (select count(*) from main.customer_id_graph o where o.customer_id = g.customer_id) as size
      from main.customer_id_graph g
      where g.id_value in ('kiosk-1', 'family@home.com') or g.id_type = 'phone'
      order by g.id_value`);
    expect(rows.map((r) => [r.id_type, Number(r.size)])).toEqual([
      ['phone', 1],
      ['email', 1],
      ['device_id', 1],
    ]);
    const junk = await built.query(
      `select id_value from main.customer_id_graph where id_value in ('test@test.com', 'unknown', 'nobody@nowhere.com', 'x@example.com')`,
    );
    expect(junk).toEqual([]);
  });

  it('cuts the newer of two user_ids merged in one row loose, keeping the older', async () => {
    const rows = await built.query(`
      select g.id_value, (select count(*) from main.customer_id_graph o where o.customer_id = g.customer_id) as size
      from main.customer_id_graph g where g.id_value in ('ue1', 'ue2', 'e1@x.com', 'e2@x.com') order by g.id_value`);
    expect(rows.map((r) => [r.id_value, Number(r.size)])).toEqual([
      ['e1@x.com', 1],
      ['e2@x.com', 1],
      ['ue1', 1],
      ['ue2', 1],
    ]);
  });

  it('audits every dropped link and every junk or excluded value with its reason', async () => {
    const byReason = await built.query(`
      select reason, id_type, other_id_type, count(*) as n
      from main.customer_identity_audit group by reason, id_type, other_id_type order by reason, id_type, other_id_type`);
    const counts = Object.fromEntries(byReason.map((r) => [`${r.reason} ${r.id_type}-${r.other_id_type ?? ''}`, Number(r.n)]));
    expect(counts).toMatchObject({
      'shared_identifier device_id-user_id': PEOPLE,
      'shared_identifier email-user_id': 2,
      'limit:user_id phone-email': 2,
      'limit:user_id email-user_id': 2,
      'limit:user_id user_id-user_id': 1,
    });
    const shared = await built.query(
      `select distinct id_value, detail from main.customer_identity_audit where reason = 'shared_identifier' order by id_value`,
    );
    expect(shared).toEqual([
      { id_value: 'family@home.com', detail: 'linked to 2 user_id identifiers (limit 1)' },
      { id_value: 'kiosk-1', detail: `linked to ${PEOPLE} user_id identifiers (limit 1)` },
    ]);
    const chain = await built.query(
      `select other_id_value, detail from main.customer_identity_audit where reason = 'limit:user_id' and id_type = 'phone' order by other_id_value`,
    );
    expect(chain).toEqual([
      { other_id_value: 'a@chain.com', detail: 'cluster had 2 user_id identifiers (limit 1); level 2 dropped its links touching phone' },
      { other_id_value: 'b@chain.com', detail: 'cluster had 2 user_id identifiers (limit 1); level 2 dropped its links touching phone' },
    ]);
    const cut = await built.query(
      `select id_value, other_id_value from main.customer_identity_audit where reason = 'limit:user_id' and id_type = 'user_id' and other_id_type = 'user_id'`,
    );
    expect(cut).toEqual([{ id_value: 'ue2', other_id_value: 'ue1' }]);
    const values = await built.query(
      `select id_type, id_value, reason, detail from main.customer_identity_audit where node_id is null order by id_value, detail`,
    );
    expect(values).toEqual([
      { id_type: 'email', id_value: ' UNKNOWN ', reason: 'junk', detail: `input orders, column email: ${PEOPLE / 3} rows` },
      { id_type: 'email', id_value: 'nobody@nowhere.com', reason: 'junk', detail: 'input orders, column email: 2 rows' },
      { id_type: 'email', id_value: 'test@test.com', reason: 'junk', detail: `input orders, column email: ${PEOPLE / 3} rows` },
      { id_type: 'email', id_value: 'x@example.com', reason: 'excluded', detail: 'input orders, column email: 1 rows' },
    ]);
  });

  it('makes every final cluster exactly a connected component of the kept links (union-find oracle)', async () => {
    const r = await checkKeptLinks(built.query, built.plan);
    expect(r.disconnected).toEqual([]);
    expect(r.crossing).toEqual([]);
    expect(r.identifiers).toBeGreaterThan(3 * PEOPLE);
    expect(r.keptLinks).toBeGreaterThanOrEqual(2 * PEOPLE);
  });

  it('ran the graph-health tests (limits, shared identifiers isolated, edges within clusters) and they passed', () => {
    const out = built.dbt.output;
    for (const t of ['assert_cluster_limits', 'assert_shared_identifiers_isolated', 'assert_edges_within_one_cluster']) {
      expect(out).toContain(t);
    }
    expect(built.dbt.counts!.fail + built.dbt.counts!.error).toBe(0);
  });

  // Last: it adds rows. The first pass is incremental and never splits a cluster, so a device
  // that becomes shared after it stitched is cut loose by the resolved components.
  it('summarises the graph (stitch ratio, largest clusters by type) in bigint counts', async () => {
    const [summary] = await built.query(`select *, typeof(identifiers) as t1, typeof(stitched_customers) as t2,
      typeof(stitched_identifiers) as t3 from main.customer_identity_summary`);
    const [recount] = await built.query(`
      select count(*) as identifiers, count(distinct customer_id) as customers from main.customer_id_graph`);
    const [stitched] = await built.query(`
      select count(*) as clusters, sum(n) as ids
      from (select customer_id, count(*) as n from main.customer_id_graph group by customer_id having count(*) > 1) s`);
    expect([summary.identifiers, summary.customers, summary.stitched_customers, summary.stitched_identifiers].map(Number)).toEqual(
      [recount.identifiers, recount.customers, stitched.clusters, stitched.ids].map(Number),
    );
    // every regular person is one cluster of their user_id, email and own device; nothing is larger
    expect(Number(summary.largest_cluster)).toBe(3);
    expect(Number(summary.stitched_customers)).toBeGreaterThanOrEqual(PEOPLE);
    expect([summary.t1, summary.t2, summary.t3]).toEqual(['BIGINT', 'BIGINT', 'BIGINT']);
    const largest = await built.query(`
      select identifiers, user_id_count, email_count, phone_count, device_id_count, typeof(email_count) as t
      from main.customer_largest_clusters order by size_rank`);
    expect(largest.length).toBe(100);
    expect(
      largest.filter((r) => [r.identifiers, r.user_id_count, r.email_count, r.phone_count, r.device_id_count].map(Number).join() !== '3,1,1,0,1'),
    ).toEqual([]);
    expect(largest[0].t).toBe('BIGINT');
  });

  it('keeps the guards on incremental runs: a device that becomes shared is cut loose', async () => {
    const build = async () => {
      const r = await runDbt({ projectDir: built.dir, args: ['build'], stream: false });
      expect(r.exitCode, r.output.slice(-3000)).toBe(0);
      expect(r.counts!.fail + r.counts!.error).toBe(0);
    };
    const sizeOf = async (value: string) => {
      const [r] = await built.query(`
        select count(*) as n from main.customer_id_graph o
        where o.customer_id = (select customer_id from main.customer_id_graph where id_value = '${value}')`);
      return Number(r.n);
    };
    await execSql(built.dbPath, `insert into shop.sessions values ('kiosk-2', 'u5', timestamp '2026-04-01')`);
    await build();
    expect(await sizeOf('kiosk-2')).toBe(4);
    await execSql(built.dbPath, `insert into shop.sessions values ('kiosk-2', 'u6', timestamp '2026-04-02')`);
    await build();
    expect(await sizeOf('kiosk-2')).toBe(1);
    expect(await sizeOf('u5')).toBe(3);
    expect(await sizeOf('u6')).toBe(3);
    const rows = await built.query(
      `select other_id_value from main.customer_identity_audit where id_value = 'kiosk-2' and reason = 'shared_identifier' order by 1`,
    );
    expect(rows.map((r) => r.other_id_value)).toEqual(['u5', 'u6']);
    const kept = await checkKeptLinks(built.query, built.plan);
    expect([kept.disconnected, kept.crossing]).toEqual([[], []]);
  });
});
