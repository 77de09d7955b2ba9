// The project itself refuses incremental identity runs on tables built with other stitching rules:
// a plain `dbt build` after a regeneration that can split clusters fails and changes nothing;
// `--full-refresh` rebuilds and records the new rules; a new input only adds links and runs on.

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDbt } from '../../src/dbt/run.js';
import { withDuckDb } from '../../src/warehouse/duckdb.js';
import { execSql, generateInto, tempDir } from '../support/build.js';

const spec = (opts: { exclude?: string[]; signups?: boolean }) => `version: 1
entity: person
id_types:
  email:
    normalize: email${opts.exclude ? `\n    exclude:\n      values: [${opts.exclude.map((v) => `'${v}'`).join(', ')}]` : ''}
  device_id: {}
inputs:
  events:
    relation: source('raw', 'events')
    occurred_at: ts
    ids: { email: email, device_id: device_id }${
  opts.signups
    ? `
  signups:
    relation: source('raw', 'signups')
    occurred_at: ts
    ids: { email: email, device_id: device_id }`
    : ''
}
features:
  event_count: { from: events, agg: count(*) }
`;

const DATA = `
create schema if not exists raw;
create table raw.events (ts timestamp, email varchar, device_id varchar);
insert into raw.events values
  (timestamp '2026-01-01 10:00:00', 'ann@example.org', 'd-1'),
  (timestamp '2026-01-01 11:00:00', 'shared@example.org', 'd-1'),
  (timestamp '2026-01-01 12:00:00', 'shared@example.org', 'd-2'),
  (timestamp '2026-01-01 13:00:00', 'bob@example.org', 'd-2');
create table raw.signups (ts timestamp, email varchar, device_id varchar);
insert into raw.signups values (timestamp '2026-01-02 09:00:00', 'cy@example.org', 'd-3');
`;

const clusters = (db: string) =>
  withDuckDb(db, (c) =>
    c.query(`select string_agg(id_value, ',' order by id_value) as members
             from main.person_id_graph group by person_id order by members`),
  ).then((rows) => rows.map((r) => r.members as string));

const recorded = (db: string) =>
  withDuckDb(db, (c) => c.query(`select model, rules from main.c360_identity_rules order by model`));

describe('the project refuses incremental identity runs under changed stitching rules', () => {
  const dir = tempDir('rules-guard');
  const db = join(dir, 'c360.duckdb');

  beforeAll(async () => {
    generateInto(spec({}), dir);
    await execSql(db, DATA);
    const first = await runDbt({ projectDir: dir, args: ['build'], stream: false });
    expect(first.exitCode, first.output.slice(-4000)).toBe(0);
  });

  it('records the rules of every incremental identity model on its first build', async () => {
    const rows = await recorded(db);
    expect(rows.map((r) => r.model)).toEqual([
      'int_events__ids',
      'int_person__components',
      'int_person__edges',
      'int_person__identifiers',
      'person_id_graph',
    ]);
    // everyone is joined through shared@example.org
    expect(await clusters(db)).toEqual(['ann@example.org,bob@example.org,d-1,d-2,shared@example.org']);
  });

  it('fails a plain build after an exclusion is added, names the change and the fix, and changes nothing', async () => {
    const before = await clusters(db);
    const rulesBefore = await recorded(db);
    generateInto(spec({ exclude: ['shared@example.org'] }), dir);
    const run = await runDbt({ projectDir: dir, args: ['build'], stream: false });
    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain('was built with other identity rules: id type rules changed');
    expect(run.output).toContain('dbt build --full-refresh --select +person_id_graph');
    expect(await clusters(db)).toEqual(before);
    expect(await recorded(db)).toEqual(rulesBefore);
  });

  it('rebuilds with --full-refresh (the exclusion splits the cluster) and records the new rules', async () => {
    const rulesBefore = await recorded(db);
    const run = await runDbt({ projectDir: dir, args: ['build', '--full-refresh'], stream: false });
    expect(run.exitCode, run.output.slice(-4000)).toBe(0);
    expect(await clusters(db)).toEqual(['ann@example.org,d-1', 'bob@example.org,d-2']);
    const after = await recorded(db);
    expect(after.map((r) => r.model)).toEqual(rulesBefore.map((r) => r.model));
    for (const [i, r] of after.entries()) expect(r.rules, r.model as string).not.toBe(rulesBefore[i].rules);
    const again = await runDbt({ projectDir: dir, args: ['build'], stream: false });
    expect(again.exitCode, again.output.slice(-4000)).toBe(0);
  });

  it('runs incrementally when a new input is added (it only adds links) and records the rules', async () => {
    generateInto(spec({ exclude: ['shared@example.org'], signups: true }), dir);
    const run = await runDbt({ projectDir: dir, args: ['build'], stream: false });
    expect(run.exitCode, run.output.slice(-4000)).toBe(0);
    expect(run.output).toContain('incremental: edges between previous components');
    expect(await clusters(db)).toEqual(['ann@example.org,d-1', 'bob@example.org,d-2', 'cy@example.org,d-3']);
    const rules = await recorded(db);
    expect(rules.map((r) => r.model)).toContain('int_signups__ids');
    for (const r of rules) expect(JSON.parse(r.rules as string).inputs).toHaveProperty('signups');
  });
});
