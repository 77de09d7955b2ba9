// The stitching-rule guard (docs/decisions/0006) through real dbt on DuckDB: after a regeneration
// with rules that can split clusters, a plain `dbt build` stops at the identity models and changes
// nothing; `--full-refresh` applies and records the new rules; a new input passes; a partial full
// refresh cannot make a model claim rules its upstream tables were not built with.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDbt, type DbtRunResult } from '../../src/dbt/run.js';
import type { IdentityRules } from '../../src/plan/identity-rules.js';
import { withDuckDb } from '../../src/warehouse/duckdb.js';
import { execSql, generateInto } from '../support/build.js';
import { tempDir } from '../support/tmp.js';

const SPEC = `version: 1
entity: person
id_types:
  email: { normalize: email }
  device_id: {}
  user_id: {}
inputs:
  web:
    relation: source('raw', 'web')
    occurred_at: ts
    ids: { email: email, device_id: device_id }
  app:
    relation: source('raw', 'app')
    occurred_at: ts
    ids: { device_id: device_id, user_id: user_id }
features:
  events: { from: [web, app], agg: count(*) }
`;
const EXCLUDED = SPEC.replace('email: { normalize: email }', 'email: { normalize: email, exclude: { values: [family@home.com] } }');
const APP_WHERE = EXCLUDED.replace('    ids: { device_id: device_id, user_id: user_id }', "    ids: { device_id: device_id, user_id: user_id }\n    where: user_id <> 'u5'");
const WITH_CRM = SPEC.replace(
  '\nfeatures:',
  "\n  crm:\n    relation: source('raw', 'crm')\n    occurred_at: ts\n    ids: { email: email, user_id: user_id }\n\nfeatures:",
);

const GUARDED = ['int_web__ids', 'int_app__ids', 'int_person__identifiers', 'int_person__edges', 'int_person__components'];
const FIX = 'fix: dbt build --full-refresh --select int_web__ids+ int_app__ids+';

/** 20 people, each an email with a device (web) and that device with a user id (app); a household
 * email seen on the devices of p1 and p2 merges those two. */
const DATA = `
create schema if not exists raw;
create table raw.web as
select timestamp '2026-01-01' + to_minutes(p) as ts, 'P' || p || '@Mail.com ' as email, 'dev-' || p as device_id
from range(1, 21) as t(p)
union all select timestamp '2026-01-02', 'family@home.com', 'dev-1'
union all select timestamp '2026-01-02 00:01:00', 'family@home.com', 'dev-2';
create table raw.app as
select timestamp '2026-01-01 12:00:00' + to_minutes(p) as ts, 'dev-' || p as device_id, 'u' || p as user_id
from range(1, 21) as t(p);
`;

function project(spec: string) {
  const dir = tempDir('rules-guard');
  const rules = generateInto(spec, dir).identityRules;
  const db = join(dir, 'c360.duckdb');
  const query = (sql: string) => withDuckDb(db, (c) => c.query(sql));
  const dbt = (...args: string[]) => runDbt({ projectDir: dir, args, stream: false });
  return { dir, db, rules, query, dbt };
}
type Project = ReturnType<typeof project>;

const ok = (r: DbtRunResult) => expect(r.exitCode, r.output.slice(-5000)).toBe(0);

/** Everything identity built, to compare before and after a refused run. */
async function snapshot(p: Project) {
  return {
    idGraph: await p.query(`select id_type || ':' || id_value as id, person_id from main.person_id_graph order by id`),
    webIds: await p.query('select count(*) as n from main.int_web__ids'),
    identifiers: await p.query('select node_id, id_type, id_value from main.int_person__identifiers order by node_id'),
    edges: await p.query('select node_a, node_b from main.int_person__edges order by node_a, node_b'),
    components: await p.query('select node_id, component_id from main.int_person__components order by node_id'),
    mart: await p.query('select person_id, events from main.person_360 order by person_id'),
  };
}

/** The recorded rules, per guarded model. */
async function recorded(p: Project): Promise<Record<string, IdentityRules>> {
  const rows = await p.query('select model_name, id_types, inputs from main.int_person__identity_rules');
  return Object.fromEntries(rows.map((r) => [r.model_name as string, { id_types: r.id_types as string, inputs: JSON.parse(r.inputs as string) }]));
}
const allRecorded = (rules: IdentityRules) => Object.fromEntries(GUARDED.map((m) => [m, rules]));

/** The cluster (person_id) of an identifier. */
async function personOf(p: Project, id: string) {
  const rows = await p.query(`select person_id from main.person_id_graph where id_type || ':' || id_value = '${id}'`);
  return rows.length ? (rows[0].person_id as string) : null;
}
const clusterCount = async (p: Project) => Number((await p.query('select count(distinct person_id) as n from main.person_id_graph'))[0].n);

describe('stitching-rule guard: a rule change that can split clusters', () => {
  const p = project(SPEC);
  const rulesA = p.rules;
  let rulesB: IdentityRules;

  it('records the rules of the first build', async () => {
    await execSql(p.db, DATA);
    ok(await p.dbt('build'));
    expect(await recorded(p)).toEqual(allRecorded(rulesA));
    // the household email merged p1 and p2
    expect(await personOf(p, 'device_id:dev-1')).toBe(await personOf(p, 'device_id:dev-2'));
    expect(await clusterCount(p)).toBe(19);
  });

  it('refuses a plain dbt build after a new exclusion and leaves every table as it was', async () => {
    const before = await snapshot(p);
    rulesB = generateInto(EXCLUDED, p.dir).identityRules;
    expect(rulesB.id_types).not.toBe(rulesA.id_types);
    // new rows are waiting: a refused run must not take them in either
    await execSql(p.db, "insert into raw.web values (timestamp '2026-02-01', 'p21@mail.com', 'dev-21')");

    const r = await p.dbt('build');
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toContain(
      'c360: the stitching rules changed since int_web__ids was built: id type rules (normalisation, junk, exclusions, limits or guards).',
    );
    expect(r.output).toContain(FIX);
    // the first identity models fail; everything that reads them is skipped
    expect(r.failures.map((f) => f.node).sort()).toEqual(['model.c360.int_app__ids', 'model.c360.int_web__ids']);
    expect(r.counts!.skipped).toBeGreaterThan(10);

    expect(await snapshot(p)).toEqual(before);
    expect(await recorded(p)).toEqual(allRecorded(rulesA));
    expect(await personOf(p, 'device_id:dev-21')).toBeNull();
  });

  it('dbt build --full-refresh applies the exclusion and records the new rules', async () => {
    ok(await p.dbt('build', '--full-refresh'));
    expect(await recorded(p)).toEqual(allRecorded(rulesB));
    // the household email is gone and p1, p2 are two people again; p21 arrived
    expect(await personOf(p, 'email:family@home.com')).toBeNull();
    expect(await personOf(p, 'device_id:dev-1')).not.toBe(await personOf(p, 'device_id:dev-2'));
    expect(await personOf(p, 'device_id:dev-1')).toBe(await personOf(p, 'user_id:u1'));
    expect(await clusterCount(p)).toBe(21);
  });

  it('then a plain dbt build runs incrementally again', async () => {
    await execSql(p.db, "insert into raw.web values (timestamp '2026-03-01', 'p1@mail.com', 'dev-1b')");
    const r = await p.dbt('build');
    ok(r);
    expect(r.output).toContain('c360: int_person__components incremental');
    expect(await recorded(p)).toEqual(allRecorded(rulesB));
    expect(await personOf(p, 'device_id:dev-1b')).toBe(await personOf(p, 'user_id:u1'));
    expect(await clusterCount(p)).toBe(21);
  });

  it('a partial full refresh records only what it rebuilt, and downstream models refuse stale upstream tables', async () => {
    const rulesC = generateInto(APP_WHERE, p.dir).identityRules;
    expect(rulesC.id_types).toBe(rulesB.id_types);
    // as if a full refresh had stopped after the identifier dictionary
    ok(await p.dbt('run', '--full-refresh', '--select', 'int_web__ids', 'int_app__ids', 'int_person__identifiers'));
    expect(await recorded(p)).toEqual({
      ...allRecorded(rulesB),
      int_web__ids: rulesC,
      int_app__ids: rulesC,
      int_person__identifiers: rulesC,
    });

    const components = await p.query('select node_id, component_id from main.int_person__components order by node_id');
    const alone = await p.dbt('run', '--full-refresh', '--select', 'int_person__components');
    expect(alone.exitCode).not.toBe(0);
    expect(alone.output).toContain(
      'c360: int_person__components reads int_person__edges, built with other stitching rules than the current ones: input app changed its ids, where or relation.',
    );
    expect(await p.query('select node_id, component_id from main.int_person__components order by node_id')).toEqual(components);

    const plain = await p.dbt('run');
    expect(plain.exitCode).not.toBe(0);
    expect(plain.output).toContain('c360: the stitching rules changed since int_person__edges was built: input app changed its ids, where or relation.');
    expect(plain.failures.map((f) => f.node)).toEqual(['model.c360.int_person__edges']);
    expect((await recorded(p)).int_person__edges).toEqual(rulesB);
  });
});

describe('stitching-rule guard: inputs added and removed', () => {
  const p = project(SPEC);

  it('a new input only adds links: a plain dbt build runs and records it', async () => {
    await execSql(p.db, DATA);
    ok(await p.dbt('build'));
    expect(await personOf(p, 'user_id:u3')).not.toBe(await personOf(p, 'user_id:u4'));

    const rules = generateInto(WITH_CRM, p.dir).identityRules;
    expect(Object.keys(rules.inputs)).toEqual(['web', 'app', 'crm']);
    await execSql(
      p.db,
      "create table raw.crm as select timestamp '2026-02-01' as ts, 'p3@mail.com' as email, 'u4' as user_id",
    );
    const r = await p.dbt('build');
    ok(r);
    expect(r.output).toContain('c360: int_person__components incremental');
    expect(await recorded(p)).toEqual({ ...allRecorded(rules), int_crm__ids: rules });
    // the crm row merged p3 and p4
    expect(await personOf(p, 'user_id:u3')).toBe(await personOf(p, 'user_id:u4'));
    expect(await clusterCount(p)).toBe(18);
  });

  it('removing it again can split clusters: a plain dbt build refuses', async () => {
    const before = await snapshot(p);
    generateInto(SPEC, p.dir);
    const r = await p.dbt('build');
    expect(r.exitCode).not.toBe(0);
    expect(r.output).toContain('c360: the stitching rules changed since int_web__ids was built: input crm was removed.');
    expect(r.output).toContain(FIX);
    expect(await snapshot(p)).toEqual(before);
    expect(await personOf(p, 'user_id:u3')).toBe(await personOf(p, 'user_id:u4'));
  });
});
