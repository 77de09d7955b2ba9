// The example from the product brief, through real dbt on DuckDB.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/dbt/locate.js';
import { buildProject, execSql, type BuiltProject } from '../support/build.js';

const example = (f: string) => readFileSync(join(PACKAGE_ROOT, 'examples', 'brief', f), 'utf8');

describe('the brief: one person across website, app and payments', () => {
  let built: BuiltProject;
  beforeAll(async () => {
    built = await buildProject({
      specText: example('c360.yml'),
      load: (db) => execSql(db, example('data.sql')),
      vars: { c360_as_of: "cast('2026-06-01' as timestamp)" },
    });
  });

  it('maps the email, the phone and the payments id to one canonical id', async () => {
    const rows = await built.query(
      `select id_type, id_value, customer_id from main.customer_id_graph order by id_type, id_value`,
    );
    const rob = rows.filter((r) => ['rob@rudderstack.com', '16506725618', '8967-1324-5126-0897'].includes(r.id_value as string));
    expect(rob.map((r) => [r.id_type, r.id_value])).toEqual([
      ['email', 'rob@rudderstack.com'],
      ['payments_id', '8967-1324-5126-0897'],
      ['phone', '16506725618'],
    ]);
    expect(new Set(rob.map((r) => r.customer_id)).size).toBe(1);
    const alice = rows.find((r) => r.id_value === 'alice@example.org');
    expect(alice).toBeDefined();
    expect(alice!.customer_id).not.toBe(rob[0].customer_id);
    expect(rows.length).toBe(4);
  });

  it('sums the three purchases into total_revenue and keeps the other person separate', async () => {
    const rows = await built.query(
      `select g.id_value, c.total_revenue, c.purchase_count, c.web_revenue, c.avg_purchase_value,
              cast(c.first_purchase_at as varchar) as first_purchase_at
       from main.customer_360 c join main.customer_id_graph g on g.customer_id = c.customer_id
       where g.id_type = 'email' order by g.id_value`,
    );
    expect(rows).toEqual([
      { id_value: 'alice@example.org', total_revenue: 42, purchase_count: 1, web_revenue: 42, avg_purchase_value: 42, first_purchase_at: '2026-02-01 09:00:00' },
      { id_value: 'rob@rudderstack.com', total_revenue: 180, purchase_count: 3, web_revenue: 100, avg_purchase_value: 60, first_purchase_at: '2026-01-05 10:00:00' },
    ]);
    const [n] = await built.query('select count(*) as n from main.customer_360');
    expect(Number(n.n)).toBe(2);
  });

  it('names the canonical id after the oldest identifier of the cluster', async () => {
    const [r] = await built.query(
      `select customer_id = md5('email:rob@rudderstack.com') as named_after_oldest
       from main.customer_id_graph where id_value = '8967-1324-5126-0897'`,
    );
    expect(r.named_after_oldest).toBe(true);
  });

  it('lists every feature in the registry with its definition', async () => {
    const rows = await built.query(
      'select feature_name, feature_kind, inputs, definition, depends_on from main.customer_feature_registry order by feature_name',
    );
    expect(rows.map((r) => r.feature_name)).toEqual([
      'avg_purchase_value', 'first_purchase_at', 'purchase_count', 'total_revenue', 'web_revenue',
    ]);
    const derived = rows.find((r) => r.feature_name === 'avg_purchase_value')!;
    expect(derived).toMatchObject({ feature_kind: 'derived', definition: 'total_revenue / nullif(purchase_count, 0)', depends_on: 'purchase_count, total_revenue' });
    expect(rows.find((r) => r.feature_name === 'total_revenue')).toMatchObject({ inputs: 'web_orders, app_purchases, payments', definition: 'sum(amount)' });
  });

  it('ran the generated data tests and they all passed', () => {
    expect(built.dbt.counts!.tests).toBeGreaterThan(10);
    expect(built.dbt.counts!.fail + built.dbt.counts!.error).toBe(0);
  });
});
