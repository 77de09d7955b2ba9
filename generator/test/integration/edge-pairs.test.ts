// The edges through real dbt on DuckDB when inputs carry the same two id types in different
// column orders: one row per pair of identifiers (node_a < node_b), first/last seen over every row
// and input that links them, on the full build and on incremental runs. No input has two columns
// of one id type, so the edges skip the final group by over node pairs (only such columns can
// give one pair twice); the generated test assert_edges_unique checks the same on every dbt build
// (and runs in every other real-dbt test, several with two columns of one type).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runDbt } from '../../src/dbt/run.js';
import { buildProject, execSql, type BuiltProject } from '../support/build.js';

const SPEC = `
version: 1
entity: customer
id_types:
  email: {}
  phone: { normalize: none }
inputs:
  web:
    relation: source('shop', 'web')
    occurred_at: seen_at
    ids: { email: email, phone: phone }
  app:
    relation: source('shop', 'app')
    occurred_at: seen_at
    ids: { phone: phone, email: email }
`;

const DATA = `
create schema if not exists shop;
create table shop.web as select * from (values
    ('x@a.com', '+15550001', timestamp '2025-01-03'),
    ('x@a.com', '+15550001', timestamp '2025-01-05')
) as t(email, phone, seen_at);
create table shop.app as select * from (values
    ('+15550001', 'x@a.com', timestamp '2025-01-01'),
    ('+15550002', 'z@a.com', timestamp '2025-01-02')
) as t(phone, email, seen_at);
`;

type Link = { a: string; b: string; first_seen_at: string; last_seen_at: string };

async function links(built: BuiltProject): Promise<Link[]> {
  const rows = await built.query(`
    select least(a.id_value, b.id_value) as a, greatest(a.id_value, b.id_value) as b,
           cast(e.first_seen_at as varchar) as first_seen_at, cast(e.last_seen_at as varchar) as last_seen_at
    from main.int_customer__edges e
    join main.int_customer__identifiers a on a.node_id = e.node_a
    join main.int_customer__identifiers b on b.node_id = e.node_b
    order by 1, 2`);
  return rows as Link[];
}

describe('edges: one row per pair of identifiers, whatever the column order', () => {
  let built: BuiltProject;
  beforeAll(async () => {
    built = await buildProject({ specText: SPEC, load: (db) => execSql(db, DATA) });
  }, 180_000);

  it('the full build links each pair once, with first/last seen over every input', async () => {
    expect(await links(built)).toEqual([
      { a: '+15550001', b: 'x@a.com', first_seen_at: '2025-01-01 00:00:00', last_seen_at: '2025-01-05 00:00:00' },
      { a: '+15550002', b: 'z@a.com', first_seen_at: '2025-01-02 00:00:00', last_seen_at: '2025-01-02 00:00:00' },
    ]);
    const [{ n }] = await built.query('select count(*)::int as n from main.int_customer__edges where node_a >= node_b');
    expect(n).toBe(0);
    expect(built.dbt.output).toMatch(/PASS assert_edges_unique/);
    const sql = readFileSync(join(built.dir, 'models', 'identity', 'int_customer__edges.sql'), 'utf8');
    expect(sql).not.toMatch(/group by node_a, node_b/);
  });

  it('an incremental run with the same pairs in the other orders widens the times and adds no row', async () => {
    await execSql(
      built.dbPath,
      `insert into shop.app values ('+15550001', 'x@a.com', timestamp '2025-02-01');
       insert into shop.web values ('z@a.com', '+15550002', timestamp '2025-02-04');`,
    );
    const inc = await runDbt({ projectDir: built.dir, args: ['build'], stream: false });
    expect(inc.exitCode, inc.output.slice(-4000)).toBe(0);
    const incremental = await links(built);
    expect(incremental).toEqual([
      { a: '+15550001', b: 'x@a.com', first_seen_at: '2025-01-01 00:00:00', last_seen_at: '2025-02-01 00:00:00' },
      { a: '+15550002', b: 'z@a.com', first_seen_at: '2025-01-02 00:00:00', last_seen_at: '2025-02-04 00:00:00' },
    ]);
    const full = await runDbt({ projectDir: built.dir, args: ['build', '--full-refresh'], stream: false });
    expect(full.exitCode, full.output.slice(-4000)).toBe(0);
    expect(await links(built)).toEqual(incremental);
  });
});
