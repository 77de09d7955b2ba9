// `explain` on the brief, built through real dbt on DuckDB: the logic, then the built CLI.

import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/dbt/locate.js';
import { explain, type ExplainResult } from '../../src/explain/explain.js';
import { renderText, runExplainCommand } from '../../src/explain/command.js';
import { generate } from '../../src/pipeline.js';
import type { ProjectPlan } from '../../src/plan/types.js';
import type { Spec } from '../../src/spec/types.js';
import { buildProject, execSql, tempDir, type BuiltProject } from '../support/build.js';

const example = (f: string) => readFileSync(join(PACKAGE_ROOT, 'examples', 'brief', f), 'utf8');
const ROB_PAYMENTS = '8967-1324-5126-0897';

describe('explain on the brief', () => {
  let built: BuiltProject;
  let spec: Spec;
  let plan: ProjectPlan;
  const run = (value: string, o: { type?: string; to?: string } = {}) => explain(spec, plan, built.dir, { value, ...o }, {});

  beforeAll(async () => {
    built = await buildProject({
      specText: example('c360.yml'),
      load: (db) => execSql(db, example('data.sql')),
      vars: { c360_as_of: "cast('2026-06-01' as timestamp)" },
    });
    const g = generate(example('c360.yml'), 'c360.yml');
    spec = g.spec!;
    plan = g.plan!;
    writeFileSync(join(built.dir, 'c360.yml'), example('c360.yml'));
  });

  it('normalises the value, finds the cluster oldest first and the chain email → phone → payments_id', async () => {
    const r = await run(' ROB@rudderstack.com', { to: ROB_PAYMENTS });
    expect(r.status).toBe('found');
    if (r.status !== 'found') return;
    expect(r.identifier).toMatchObject({ idType: 'email', idValue: 'rob@rudderstack.com' });
    const [{ customer_id }] = await built.query(`select md5('email:rob@rudderstack.com') as customer_id`);
    expect(r.cluster.entityId).toBe(customer_id);
    expect(r.cluster.identifiers.map((i) => [i.idType, i.idValue, i.firstSeenAt, i.oldest])).toEqual([
      ['email', 'rob@rudderstack.com', '2026-01-05 10:00:00', true],
      ['phone', '16506725618', '2026-03-10 18:30:00', false],
      ['payments_id', ROB_PAYMENTS, '2026-04-01 00:00:00', false],
    ]);
    expect(r.chains).toHaveLength(1);
    const links = r.chains[0].links;
    expect(links.map((l) => [l.from.idType, l.to.idType, l.evidence.map((e) => e.input)])).toEqual([
      ['email', 'phone', ['app_purchases']],
      ['phone', 'payments_id', ['payments']],
    ]);
    expect(links[0].evidence[0]).toEqual({
      input: 'app_purchases',
      occurredAt: '2026-03-10 18:30:00',
      columns: [['purchase_id', '10'], ['amount', '50.00']],
      rows: 1,
    });
    expect(links[1].evidence[0]).toMatchObject({ input: 'payments', occurredAt: '2026-04-01 00:00:00', columns: [['payment_id', '100'], ['amount', '30.00']] });
  });

  it('without --to: one shortest chain to every other identifier, nearest first', async () => {
    const r = await run('(650) 672 5618');
    expect(r.status).toBe('found');
    if (r.status !== 'found') return;
    expect(r.identifier).toMatchObject({ idType: 'phone', idValue: '16506725618' });
    expect(r.chainsTotal).toBe(2);
    expect(r.chains.map((c) => c.links.map((l) => `${l.to.idType} via ${l.evidence[0].input}`))).toEqual([
      ['email via app_purchases'],
      ['payments_id via payments'],
    ]);
    const capped = await explain(spec, plan, built.dir, { value: '(650) 672 5618', chainLimit: 1 }, {});
    expect(capped.status === 'found' && [capped.chains.length, capped.chainsTotal]).toEqual([1, 2]);
    expect(renderText(capped, 'p')).toContain('nearest 1 of 2');
    const tooBig = await explain(spec, plan, built.dir, { value: '(650) 672 5618', edgeCap: 1 }, {});
    expect(tooBig).toMatchObject({ status: 'found', edges: 2, edgeCapExceeded: true, chains: [] });
    expect(renderText(tooBig, 'p')).toContain('more than explain walks');
  });

  it('a single identifier, --type, junk, unknown values, different customers, a missing warehouse', async () => {
    const alice = await run('alice@example.org', { type: 'email' });
    expect(alice.status === 'found' && [alice.cluster.size, alice.chains.length]).toEqual([1, 0]);
    expect(renderText(alice, 'p')).toContain('not linked to any other');

    const junk = await run('Test@Test.com');
    expect(junk).toMatchObject({ status: 'not_found', which: 'value' });
    expect(renderText(junk, 'p')).toContain('junk');

    expect(await run('nobody@nowhere.com')).toMatchObject({ status: 'not_found' });
    expect(await run('rob@rudderstack.com', { type: 'phone' })).toMatchObject({ status: 'not_found' });
    expect(await run('rob@rudderstack.com', { type: 'device' })).toMatchObject({ status: 'usage' });
    expect(await run("o'brien'); drop table main.customer_id_graph; --")).toMatchObject({ status: 'not_found' });

    const apart = (await run(' Alice@Example.org ', { to: 'rob@rudderstack.com' })) as Extract<ExplainResult, { status: 'not_linked' }>;
    expect(apart.status).toBe('not_linked');
    expect(apart.identifier.entityId).not.toBe(apart.to.entityId);
    expect(renderText(apart, 'p')).toContain('different customers');

    const none = await explain(spec, plan, tempDir('explain-empty'), { value: 'rob@rudderstack.com' }, {});
    expect(none.status).toBe('no_warehouse');
    expect(renderText(none, 'c360_project')).toContain('run dbt build in c360_project first');

    // a project whose default target is postgres reads it through the C360_PG_* variables: without
    // them it says which to set; --target duckdb reads this DuckDB build
    const onPostgres = { ...plan, warehouse: { ...plan.warehouse, type: 'postgres' as const } };
    const unset = await explain(spec, onPostgres, built.dir, { value: 'rob@rudderstack.com' }, {});
    expect(unset.status).toBe('no_warehouse');
    expect(renderText(unset, 'p')).toContain('set C360_PG_USER and C360_PG_DATABASE');
    expect(renderText(unset, 'p')).toContain('run dbt build --target postgres in p');
    const local = await explain(spec, onPostgres, built.dir, { value: 'rob@rudderstack.com', target: 'duckdb' }, {});
    expect(local.status).toBe('found');
  });

  it('an identifier of two types is ambiguous without --type', async () => {
    const dir = tempDir('explain-ambiguous');
    const text = example('c360.yml')
      .replace('payments_id: {}', 'payments_id: {}\n  user_id: {}')
      .replace('ids: { email: email }', 'ids: { email: email, user_id: email }');
    const b = await buildProject({ specText: text, load: (db) => execSql(db, example('data.sql')), dir, args: ['run'] });
    const g = generate(text, 'c360.yml');
    const r = await explain(g.spec!, b.plan, dir, { value: 'rob@rudderstack.com' }, {});
    expect(r.status).toBe('ambiguous');
    if (r.status !== 'ambiguous') return;
    expect(r.candidates.map((c) => c.idType).sort()).toEqual(['email', 'user_id']);
    expect(renderText(r, 'p')).toContain('--type');
    const typed = await explain(g.spec!, b.plan, dir, { value: 'rob@rudderstack.com', type: 'user_id', to: ROB_PAYMENTS }, {});
    expect(typed.status === 'found' && typed.chains[0].links.map((l) => l.to.idType)).toEqual(['email', 'phone', 'payments_id']);
  });

  it('the command renders text and JSON with exit codes', async () => {
    const opts = { spec: join(built.dir, 'c360.yml'), project: built.dir };
    const text = await runExplainCommand(' ROB@rudderstack.com', { ...opts, to: ROB_PAYMENTS }, {});
    expect(text.code).toBe(0);
    const json = await runExplainCommand(' ROB@rudderstack.com', { ...opts, to: ROB_PAYMENTS, json: true }, {});
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'found', exitCode: 0, cluster: { size: 3 } });
    const apart = await runExplainCommand('alice@example.org', { ...opts, to: 'rob@rudderstack.com', json: true }, {});
    expect([apart.code, JSON.parse(apart.stdout).status]).toEqual([1, 'not_linked']);
  });

  it('the built CLI: chain with inputs, different customers exit 1, usage exit 2', async () => {
    const tsc = await execa('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: PACKAGE_ROOT, reject: false });
    expect(tsc.exitCode, tsc.stdout).toBe(0);
    const bin = join(PACKAGE_ROOT, 'bin', 'c360-gen.js');
    const cli = (args: string[]) =>
      execa('node', [bin, 'explain', ...args, '--spec', 'c360.yml', '--project', '.'], { cwd: built.dir, reject: false, env: { NO_COLOR: '1' } });

    const ok = await cli([' ROB@rudderstack.com', '--to', ROB_PAYMENTS]);
    expect(ok.stderr).toBe('');
    expect(ok.exitCode).toBe(0);
    const out = ok.stdout;
    const chainStart = out.indexOf('\n', out.indexOf('shortest chain to'));
    expect(chainStart).toBeGreaterThan(0);
    const at = (s: string) => {
      const i = out.indexOf(s, chainStart);
      expect(i, `${s} in\n${out}`).toBeGreaterThan(0);
      return i;
    };
    const order = [
      at('email rob@rudderstack.com'),
      at('via app_purchases'),
      at('phone 16506725618'),
      at('via payments'),
      at(`payments_id ${ROB_PAYMENTS}`),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(out).toContain('(oldest: the customer_id is named after it)');
    console.log(out);

    const apart = await cli(['alice@example.org', '--to', 'rob']);
    expect(apart.exitCode).toBe(1);
    const apart2 = await cli(['alice@example.org', '--to', 'rob@rudderstack.com']);
    expect(apart2.exitCode).toBe(1);
    expect(apart2.stderr).toContain('different customers');
    console.log(apart2.stderr);

    const usage = await cli(['rob@rudderstack.com', '--type', 'nope']);
    expect(usage.exitCode).toBe(2);
    const missingArg = await execa('node', [bin, 'explain'], { cwd: built.dir, reject: false });
    expect(missingArg.exitCode).toBe(2);
  });
});
