// `explain` on a project with limit guards, through real dbt on DuckDB: it walks only the links the
// final resolution kept, names the identifiers cut loose when the final cut separated two
// identifiers, and names the models to build when the warehouse lacks one it reads.

import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explain, type ExplainResult } from '../../src/explain/explain.js';
import { renderText, runExplainCommand } from '../../src/explain/command.js';
import { shortestPath } from '../../src/explain/graph.js';
import { generate } from '../../src/pipeline.js';
import type { ProjectPlan } from '../../src/plan/types.js';
import type { Spec } from '../../src/spec/types.js';
import { buildProject, execSql, tempDir, type BuiltProject } from '../support/build.js';

// Priorities: user_id and anon_id 1, email 3, phone 4. Level 1 drops phone links, level 2 email
// links, in the clusters still over the user_id limit.
const SPEC = `
version: 1
entity: customer
id_types:
  user_id: { limit: 1 }
  anon_id: { priority: 1 }
  email: {}
  phone: {}
inputs:
  orders:
    relation: source('shop', 'orders')
    occurred_at: created_at
    ids: { user_id: user_id, email: email, phone: phone }
  visits:
    relation: source('shop', 'visits')
    occurred_at: visited_at
    ids: { anon_id: anon_id, user_id: user_id }
  account_merges:
    relation: source('shop', 'account_merges')
    occurred_at: merged_at
    ids: { user_id: [old_user_id, new_user_id] }
`;

// Ann's two emails share a phone with Bob: the first pass puts ann and bob (two user_ids) in one
// cluster, level 1 drops the phone's links. ann@home.com and ann@work.com stay together through
// user_id ann; over the stitch edges their shortest chain runs through the phone (older node).
// Cat and kit are merged in one row, kit owns anon a-9: still two user_ids after the last level,
// so kit is cut loose; only kit linked cat and a-9, so they are different customers.
// Dan and eve both visited from the kiosk anon_id: linked to two user_ids (limit 1), it is shared
// and stitches nothing. Fay and gus share kiosk-b, gus and hal kiosk-c: no shared identifier is
// linked to both fay and hal, the chain between them runs through two; fay also has an email.
const DATA = `
create schema if not exists shop;
create table shop.orders as
select * from (values
    (1, null, 'ann@home.com', '+1 650 555 0101', 10.00, timestamp '2025-01-01'),
    (2, null, 'ann@work.com', '+1 650 555 0101', 20.00, timestamp '2025-01-02'),
    (3, 'ann', 'ann@home.com', null, 30.00, timestamp '2025-01-03'),
    (4, 'ann', 'ann@work.com', null, 40.00, timestamp '2025-01-04'),
    (5, 'bob', 'bob@mail.com', '+1 650 555 0101', 50.00, timestamp '2025-01-05'),
    (6, 'fay', 'fay@mail.com', null, 60.00, timestamp '2025-02-10')
) as t(order_id, user_id, email, phone, amount, created_at);
create table shop.visits as
select * from (values
    (1, null, 'cat', timestamp '2025-02-01'),
    (2, 'a-9', 'kit', timestamp '2025-02-03'),
    (3, 'kiosk', 'dan', timestamp '2025-02-04'),
    (4, 'kiosk', 'eve', timestamp '2025-02-05'),
    (5, 'kiosk-b', 'fay', timestamp '2025-02-06'),
    (6, 'kiosk-b', 'gus', timestamp '2025-02-07'),
    (7, 'kiosk-c', 'gus', timestamp '2025-02-08'),
    (8, 'kiosk-c', 'hal', timestamp '2025-02-09')
) as t(visit_id, anon_id, user_id, visited_at);
create table shop.account_merges as
select 'cat' as old_user_id, 'kit' as new_user_id, timestamp '2025-02-02' as merged_at;
`;

const PHONE = '16505550101';

describe('explain with limit guards', () => {
  let built: BuiltProject;
  let spec: Spec;
  let plan: ProjectPlan;
  const run = (value: string, o: { to?: string } = {}, env: NodeJS.ProcessEnv = {}) => explain(spec, plan, built.dir, { value, ...o }, env);
  const node = async (idType: string, idValue: string) => {
    const [r] = await built.query(`select node_id from main.customer_id_graph where id_type = '${idType}' and id_value = '${idValue}'`);
    return Number(r.node_id);
  };

  beforeAll(async () => {
    built = await buildProject({ specText: SPEC, load: (db) => execSql(db, DATA) });
    const g = generate(SPEC, 'c360.yml');
    spec = g.spec!;
    plan = g.plan!;
    expect(plan.identity.guards.levels.map((l) => [l.model, l.dropTypes])).toEqual([
      ['int_customer__components_l1', ['phone']],
      ['int_customer__components_l2', ['email']],
    ]);
  });

  it('walks the kept links, not the links level 1 dropped (they are in the audit)', async () => {
    const [home, work, phone, ann] = await Promise.all([
      node('email', 'ann@home.com'),
      node('email', 'ann@work.com'),
      node('phone', PHONE),
      node('user_id', 'ann'),
    ]);
    // over every stitch edge, the shortest chain runs through the phone
    const stitch = (await built.query('select node_a, node_b from main.int_customer__stitch_edges')).map((r) => [Number(r.node_a), Number(r.node_b)] as const);
    expect(shortestPath(stitch, home, work)).toEqual([home, phone, work]);

    const r = await run('ann@home.com', { to: 'ann@work.com' });
    expect(r.status).toBe('found');
    if (r.status !== 'found') return;
    expect(r.cluster.identifiers.map((i) => `${i.idType} ${i.idValue}`)).toEqual(['email ann@home.com', 'email ann@work.com', 'user_id ann']);
    expect(r.unlinked).toEqual([]);
    const links = r.chains[0].links;
    expect(links.map((l) => [l.from.nodeId, l.to.nodeId])).toEqual([
      [home, ann],
      [ann, work],
    ]);
    expect(links.map((l) => [l.from.idValue, l.to.idValue, l.evidence.map((e) => [e.input, e.occurredAt, e.columns])])).toEqual([
      ['ann@home.com', 'ann', [['orders', '2025-01-03 00:00:00', [['order_id', '3'], ['amount', '30.00']]]]],
      ['ann', 'ann@work.com', [['orders', '2025-01-04 00:00:00', [['order_id', '4'], ['amount', '40.00']]]]],
    ]);
    const text = renderText(r, 'p');
    expect(text).toContain('shortest chain to email ann@work.com: 2 links');
    expect(text).not.toContain(PHONE);

    // the links through the phone are the ones level 1 dropped, audited with their reason
    const audit = await built.query(`
      select other_id_value, reason, detail from main.customer_identity_audit
      where id_type = 'phone' and id_value = '${PHONE}' order by other_id_value`);
    expect(audit.map((a) => a.other_id_value)).toEqual(['ann@home.com', 'ann@work.com', 'bob', 'bob@mail.com']);
    for (const a of audit) {
      expect(a).toMatchObject({
        reason: 'limit:user_id',
        detail: 'cluster had 2 user_id identifiers (limit 1); level 1 dropped its links touching phone',
      });
    }
    const phoneCluster = await run(PHONE);
    expect(phoneCluster.status === 'found' && [phoneCluster.cluster.size, phoneCluster.chains.length]).toEqual([1, 0]);
  });

  it('walks only the links the last level kept even when the id graph puts a dropped end in the cluster', async () => {
    // A consistent build never does (a level leaves every node of a type it drops on its own);
    // simulate an id graph older than the levels by moving the phone into Ann's cluster.
    const dir = tempDir('explain-stale');
    const copy = join(dir, 'c360.duckdb');
    copyFileSync(built.dbPath, copy);
    await execSql(
      copy,
      `update main.customer_id_graph set customer_id = (select customer_id from main.customer_id_graph where id_value = 'ann')
       where id_type = 'phone' and id_value = '${PHONE}'`,
    );
    const env = { C360_DUCKDB_PATH: copy };
    const r = await run('ann@home.com', { to: 'ann@work.com' }, env);
    expect(r.status === 'found' && r.chains[0].links.map((l) => l.to.idValue)).toEqual(['ann', 'ann@work.com']);
    const all = await run('ann@home.com', {}, env);
    expect(all.status).toBe('found');
    if (all.status !== 'found') return;
    expect(all.cluster.size).toBe(4);
    expect(all.edges).toBe(2);
    expect(all.chains.map((c) => c.target.idValue)).toEqual(['ann', 'ann@work.com']);
    expect(all.unlinked.map((i) => i.idValue)).toEqual([PHONE]);
    expect(renderText(all, 'p')).toContain(`no chain of kept links to phone ${PHONE}`);
  });

  it('without --to: chains only over kept links, every other identifier of the cluster reached', async () => {
    const r = await run('ann');
    expect(r.status).toBe('found');
    if (r.status !== 'found') return;
    expect(r.chainsTotal).toBe(2);
    expect(r.chains.map((c) => c.links.map((l) => `${l.from.idValue} -> ${l.to.idValue}`))).toEqual([['ann -> ann@home.com'], ['ann -> ann@work.com']]);
    expect(r.edges).toBe(2);
  });

  it('after the final cut: identifiers only the one cut loose linked are different customers', async () => {
    const resolved = await built.query(`
      select ids.id_value, r.cut_reason, r.component_id = r.node_id as own_cluster,
             r.stitched_component_id = (select node_id from main.int_customer__identifiers where id_value = 'cat') as stitched_with_cat
      from main.int_customer__resolved_components r
      join main.int_customer__identifiers ids using (node_id)
      where ids.id_value in ('cat', 'kit', 'a-9') order by ids.id_value`);
    expect(resolved).toEqual([
      { id_value: 'a-9', cut_reason: null, own_cluster: true, stitched_with_cat: true },
      { id_value: 'cat', cut_reason: null, own_cluster: true, stitched_with_cat: true },
      { id_value: 'kit', cut_reason: 'limit:user_id', own_cluster: true, stitched_with_cat: true },
    ]);

    const r = await run('cat', { to: 'a-9' });
    expect(r.status).toBe('not_linked');
    if (r.status !== 'not_linked') return;
    expect(r.identifier.entityId).not.toBe(r.to.entityId);
    expect(r.cutLoose.map((c) => [c.idType, c.idValue, c.cutReason])).toEqual([['user_id', 'kit', 'limit:user_id']]);
    expect([r.cutLooseTotal, r.auditModel]).toEqual([1, 'customer_identity_audit']);
    const text = renderText(r, 'p');
    expect(text).toContain('user_id cat and anon_id a-9 are different customers: the limit guards cut loose identifiers on every chain between them');
    expect(text).toContain('cut loose from the cluster that held both: user_id kit (limit:user_id)');
    expect(text).toContain('(their links are in customer_identity_audit;');

    writeFileSync(join(built.dir, 'c360.yml'), SPEC);
    const cmd = await runExplainCommand('cat', { to: 'a-9', spec: join(built.dir, 'c360.yml'), project: built.dir }, {});
    expect([cmd.code, cmd.stdout]).toEqual([1, '']);
    expect(cmd.stderr).toContain('cut loose from the cluster that held both: user_id kit (limit:user_id)');

    // each of the three is a customer of its own, with nothing left unexplained
    for (const v of ['cat', 'a-9', 'kit']) {
      const one = await run(v);
      expect(one.status === 'found' && [one.cluster.size, one.chains.length, one.unlinked.length], v).toEqual([1, 0, 0]);
    }
    // kit against cat: kit itself was cut, not something between them
    const kitCat = await run('kit', { to: 'cat' });
    expect(kitCat.status === 'not_linked' && kitCat.cutLoose.map((c) => c.idValue)).toEqual(['kit']);
    // a pair the guards never stitched together names nothing
    const other = await run('cat', { to: 'ann' });
    expect(other.status === 'not_linked' && [other.cutLoose, other.separation, renderText(other, 'p').includes('cut loose')]).toEqual([[], null, false]);
    expect(other.status === 'not_linked' && other.sharedSearch?.complete).toBe(true);
    expect(renderText(other, 'p')).toContain(
      'user_id cat and user_id ann are different customers: not linked by any chain of identifiers, not even through shared identifiers',
    );

    // the links that joined them are the ones audited for kit
    const audit = await built.query(`select other_id_value, reason from main.customer_identity_audit where id_value = 'kit' order by other_id_value`);
    expect(audit).toEqual([
      { other_id_value: 'a-9', reason: 'limit:user_id' },
      { other_id_value: 'cat', reason: 'limit:user_id' },
    ]);
  });

  it('separated by a limit level, not the final cut: names the level, the limit the cluster broke and the identifiers on every chain', async () => {
    // ann and bob: one cluster after the first pass (through the phone), two user_ids; level 1
    // dropped the links touching phone and they fell apart there
    const labels = await built.query(`
      select ids.id_value, c.component_id as first_pass, l1.component_id as level_1
      from main.int_customer__components c
      join main.int_customer__identifiers ids using (node_id)
      left join main.int_customer__components_l1 l1 using (node_id)
      where ids.id_value in ('ann', 'bob') order by ids.id_value`);
    expect(labels[0].first_pass).toBe(labels[1].first_pass);
    expect(labels[0].level_1).not.toBe(labels[1].level_1);

    const r = await run('ann@work.com', { to: 'bob' });
    expect(r.status).toBe('not_linked');
    if (r.status !== 'not_linked') return;
    expect(r.cutLoose).toEqual([]);
    expect(r.separation).toMatchObject({
      by: 'level',
      level: 1,
      model: 'int_customer__components_l1',
      dropTypes: ['phone'],
      clusterSize: 6,
      reason: 'limit:user_id',
      detail: 'it had 2 user_id identifiers (limit 1)',
      droppedTotal: 1,
    });
    expect(r.separation?.by === 'level' && r.separation.dropped.map((d) => [d.idType, d.idValue])).toEqual([['phone', PHONE]]);
    const text = renderText(r, 'p');
    expect(text).toContain('email ann@work.com and user_id bob are different customers: limit level 1 split the cluster that held both, dropping its links touching phone');
    expect(text).toContain(
      'the cluster that held both (6 identifiers) broke limit:user_id: it had 2 user_id identifiers (limit 1); int_customer__components_l1 re-ran it without those links',
    );
    expect(text).toContain(`every chain between them that the earlier passes kept touched phone: phone ${PHONE}`);
    expect(text).toContain('(the links dropped are in customer_identity_audit with reason limit:user_id)');
    expect(text).not.toContain('not linked by any chain');

    // the same from the audit: every link level 1 dropped in that cluster touches the phone
    const dropped = await built.query(`
      select distinct id_type from main.customer_identity_audit where reason = 'limit:user_id' and detail like '%level 1 dropped%'`);
    expect(dropped.map((d) => d.id_type)).toEqual(['phone']);

    // the phone itself against bob: the same level
    const phone = await run(PHONE, { to: 'bob' });
    expect(phone.status === 'not_linked' && phone.separation?.by === 'level' && phone.separation.level).toBe(1);
  });

  it('separated by a shared identifier: names it and the rule it breaks', async () => {
    const r = await run('dan', { to: 'eve' });
    expect(r.status).toBe('not_linked');
    if (r.status !== 'not_linked') return;
    expect(r.separation?.by).toBe('shared_identifier');
    expect(r.separation?.by === 'shared_identifier' && r.separation.shared.map((x) => [x.idType, x.idValue, x.detail])).toEqual([
      ['anon_id', 'kiosk', 'linked to 2 user_id identifiers (limit 1)'],
    ]);
    const text = renderText(r, 'p');
    expect(text).toContain('user_id dan and user_id eve are different customers: they are linked only through shared identifiers, whose links the guards dropped');
    expect(text).toContain('shared, in or linked to both: anon_id kiosk (linked to 2 user_id identifiers (limit 1))');
    expect(text).toContain('(their links are in customer_identity_audit with reason shared_identifier)');
    // the shared identifier itself against one of them
    const kiosk = await run('kiosk', { to: 'dan' });
    expect(kiosk.status === 'not_linked' && kiosk.separation?.by === 'shared_identifier' && kiosk.separation.shared.map((x) => x.idValue)).toEqual(['kiosk']);
    const audit = await built.query(`select other_id_value from main.customer_identity_audit where id_value = 'kiosk' and reason = 'shared_identifier' order by 1`);
    expect(audit.map((a) => a.other_id_value)).toEqual(['dan', 'eve']);
  });

  it('separated by several shared identifiers: the shortest chain through them, each dropped link with its row', async () => {
    const r = await run('fay@mail.com', { to: 'hal' });
    expect(r.status).toBe('not_linked');
    if (r.status !== 'not_linked' || r.separation?.by !== 'shared_identifier') throw new Error(`expected a shared separation, got ${JSON.stringify(r)}`);
    // no shared identifier is linked to both
    expect([r.separation.shared, r.separation.sharedTotal]).toEqual([[], 0]);
    const chain = r.separation.chain!;
    expect(chain.steps.map((s) => [s.kind, s.from.idValue, s.to.idValue])).toEqual([
      ['same_cluster', 'fay@mail.com', 'fay'],
      ['dropped_link', 'fay', 'kiosk-b'],
      ['dropped_link', 'kiosk-b', 'gus'],
      ['dropped_link', 'gus', 'kiosk-c'],
      ['dropped_link', 'kiosk-c', 'hal'],
    ]);
    expect(chain.shared.map((x) => [x.idValue, x.detail])).toEqual([
      ['kiosk-b', 'linked to 2 user_id identifiers (limit 1)'],
      ['kiosk-c', 'linked to 2 user_id identifiers (limit 1)'],
    ]);
    expect(chain.steps.map((s) => s.evidence.map((e) => [e.input, e.occurredAt, e.columns]))).toEqual([
      [],
      [['visits', '2025-02-06 00:00:00', [['visit_id', '5']]]],
      [['visits', '2025-02-07 00:00:00', [['visit_id', '6']]]],
      [['visits', '2025-02-08 00:00:00', [['visit_id', '7']]]],
      [['visits', '2025-02-09 00:00:00', [['visit_id', '8']]]],
    ]);
    // every dropped link is in the audit as a link of a shared identifier, and the chain's ends
    // are the customers asked about
    const audit = await built.query(
      `select id_value, other_id_value from main.customer_identity_audit where reason = 'shared_identifier' and id_value in ('kiosk-b', 'kiosk-c') order by 1, 2`,
    );
    expect(audit.map((x) => `${x.id_value}-${x.other_id_value}`)).toEqual(['kiosk-b-fay', 'kiosk-b-gus', 'kiosk-c-gus', 'kiosk-c-hal']);
    expect(chain.steps[0].from.entityId).toBe(r.identifier.entityId);
    expect(chain.steps.at(-1)!.to.entityId).toBe(r.to.entityId);

    const text = renderText(r, 'p');
    expect(text).toContain('email fay@mail.com and user_id hal are different customers: they are linked only through shared identifiers, whose links the guards dropped');
    expect(text).not.toContain('shared, in or linked to both');
    expect(text).toContain('shortest chain through shared identifiers: 4 dropped links, 2 shared identifiers');
    expect(text).toContain('└ same customer, through the links it kept (c360-gen explain "fay@mail.com" --to "fay" shows them)');
    expect(text).toContain('    anon_id kiosk-b  (shared: linked to 2 user_id identifiers (limit 1))');
    expect(text).toContain(`    user_id gus  (customer_id ${chain.steps[2].to.entityId})`);
    expect(text).toContain('      └ via visits at 2025-02-09 00:00:00 (visit_id=8)');

    // one hop: the chain goes through the one shared identifier
    const dan = await run('dan', { to: 'eve' });
    expect(dan.status === 'not_linked' && dan.separation?.by === 'shared_identifier' && dan.separation.chain!.steps.map((s) => [s.kind, s.from.idValue, s.to.idValue])).toEqual([
      ['dropped_link', 'dan', 'kiosk'],
      ['dropped_link', 'kiosk', 'eve'],
    ]);

    // more links of shared identifiers than the cap: no search, and it says so
    const capped = await explain(spec, plan, built.dir, { value: 'fay@mail.com', to: 'hal', sharedLinkCap: 3 }, {});
    expect(capped.status === 'not_linked' && [capped.separation, capped.sharedSearch]).toEqual([null, { links: 3, complete: false }]);
    expect(renderText(capped, 'p')).toContain(
      'no chain of identifiers links them, unless through shared identifiers: they have more than 3 links, too many for explain to search (the links are in customer_identity_audit)',
    );
  });

  it('a warehouse without a model explain reads: names it and the dbt build to run', async () => {
    const dir = tempDir('explain-partial');
    const copy = join(dir, 'c360.duckdb');
    copyFileSync(built.dbPath, copy);
    await execSql(copy, 'drop table main.int_customer__components_l2; drop view main.int_customer__resolved_components');
    const r = (await run('ann', {}, { C360_DUCKDB_PATH: copy })) as Extract<ExplainResult, { status: 'no_warehouse' }>;
    expect(r.status).toBe('no_warehouse');
    expect(r.missingModels).toEqual(['int_customer__components_l2', 'int_customer__resolved_components']);
    const text = renderText(r, 'c360_project');
    expect(text).toContain('has no int_customer__components_l2, int_customer__resolved_components');
    expect(text).toContain('dbt build --select +customer_id_graph');
  });
});
