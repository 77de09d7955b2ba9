// Valid specs resolve to exactly these Spec objects, defaults filled in.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/load.js';
import type { Spec } from '../../src/spec/types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function ok(text: string): Spec {
  const { spec, diagnostics } = loadSpec(text, 'c360.yml');
  expect(diagnostics).toEqual([]);
  expect(spec).not.toBeNull();
  return spec!;
}

describe('loadSpec: valid specs', () => {
  it('fills every default into a minimal spec', () => {
    const spec = ok(`version: 1
entity: customer
id_types:
  email: {}
  phone: {}
  user_id: {}
inputs:
  events:
    relation: events
    occurred_at: ts
    ids: { email: email, phone: phone, user_id: uid }
`);
    expect(spec).toEqual({
      version: 1,
      entity: 'customer',
      warehouse: { type: 'duckdb', path: 'c360.duckdb', schema: 'c360' },
      sources: [],
      idTypes: [
        { name: 'email', normalize: 'email', junk: true, junkValues: [], excludeValues: [], excludeRegex: [], limit: null, priority: 1, defaultCountry: '', pos: { line: 4, col: 3 } },
        { name: 'phone', normalize: 'phone', junk: true, junkValues: [], excludeValues: [], excludeRegex: [], limit: null, priority: 2, defaultCountry: '1', pos: { line: 5, col: 3 } },
        { name: 'user_id', normalize: 'trim', junk: true, junkValues: [], excludeValues: [], excludeRegex: [], limit: null, priority: 3, defaultCountry: '', pos: { line: 6, col: 3 } },
      ],
      identity: { maxClusterSize: null, sharedIdentifierMaxLinks: null },
      inputs: [
        {
          name: 'events',
          relation: { kind: 'table', schema: null, table: 'events' },
          occurredAt: 'ts',
          ids: [
            { idType: 'email', column: 'email' },
            { idType: 'phone', column: 'phone' },
            { idType: 'user_id', column: 'uid' },
          ],
          where: null,
          description: null,
          pos: { line: 8, col: 3 },
        },
      ],
      features: [],
    } satisfies Spec);
  });

  it('resolves every key of a full spec', () => {
    const spec = ok(`version: 1
entity: account
warehouse: { type: postgres, path: out/wh.duckdb, schema: analytics }
sources:
  shop: { schema: raw_shop, database: lake }
  crm: {}
id_types:
  email:
    normalize: none
    junk: false
    exclude:
      values: [test@test.com, a@b.c]
      regex: ['.*@example\\.com$', '^x']
  phone: { normalize: phone, default_country: '44' }
  crm_id: { exclude: { regex: '^0+$' } }
inputs:
  orders:
    relation: source('shop', "orders")
    occurred_at: created_at
    ids:
      email: [email, billing_email]
      phone: phone
    where: status <> 'test'
    description: Shop orders
  contacts:
    relation: source( "crm" , 'contacts' )
    occurred_at: updated_at
    ids: { crm_id: id, email: email }
  events:
    relation: ref('stg_events')
    occurred_at: ts
    ids: { email: email }
  legacy:
    relation: old_schema.Legacy_Table
    occurred_at: ts
    ids: { crm_id: crm_ref }
features:
  total_revenue:
    from: orders
    agg: SUM(amount)
    where: status = 'paid'
    window: 30 days
    description: Revenue
  order_count:
    from: [orders]
    agg: count(*)
  emails:
    from: orders
    agg: " count ( DISTINCT email)"
  avg_amount:
    from: orders
    agg: avg(amount)
    window: 1 year
  first_seen_at:
    from: [orders, contacts, events, orders]
    agg: min(occurred_at)
    window: 12 hours
  aov:
    expr: total_revenue / nullif(order_count, 0)
    description: Average order value
  aov_label:
    expr: "case when aov > 100 then 'total_revenue high' else \\"order_count\\" end"
`);
    expect(spec.warehouse).toEqual({ type: 'postgres', path: 'out/wh.duckdb', schema: 'analytics' });
    expect(spec.sources).toEqual([
      { name: 'shop', schema: 'raw_shop', database: 'lake' },
      { name: 'crm', schema: 'crm', database: null },
    ]);
    expect(spec.idTypes.map(({ pos, ...t }) => t)).toEqual([
      { name: 'email', normalize: 'none', junk: false, junkValues: [], excludeValues: ['test@test.com', 'a@b.c'], excludeRegex: ['.*@example\\.com$', '^x'], limit: null, priority: 1, defaultCountry: '' },
      { name: 'phone', normalize: 'phone', junk: true, junkValues: [], excludeValues: [], excludeRegex: [], limit: null, priority: 2, defaultCountry: '44' },
      { name: 'crm_id', normalize: 'trim', junk: true, junkValues: [], excludeValues: [], excludeRegex: ['^0+$'], limit: null, priority: 3, defaultCountry: '' },
    ]);
    expect(spec.inputs.map((i) => [i.name, i.relation])).toEqual([
      ['orders', { kind: 'source', source: 'shop', table: 'orders' }],
      ['contacts', { kind: 'source', source: 'crm', table: 'contacts' }],
      ['events', { kind: 'ref', model: 'stg_events' }],
      ['legacy', { kind: 'table', schema: 'old_schema', table: 'Legacy_Table' }],
    ]);
    expect(spec.inputs[0]).toEqual({
      name: 'orders',
      relation: { kind: 'source', source: 'shop', table: 'orders' },
      occurredAt: 'created_at',
      ids: [
        { idType: 'email', column: 'email' },
        { idType: 'email', column: 'billing_email' },
        { idType: 'phone', column: 'phone' },
      ],
      where: "status <> 'test'",
      description: 'Shop orders',
      pos: { line: 17, col: 3 },
    });
    expect(spec.features).toEqual([
      { kind: 'aggregate', name: 'total_revenue', from: ['orders'], agg: 'SUM(amount)', aggFunction: 'sum', where: "status = 'paid'", window: { amount: 30, unit: 'day', text: '30 days' }, description: 'Revenue', pos: { line: 38, col: 3 } },
      { kind: 'aggregate', name: 'order_count', from: ['orders'], agg: 'count(*)', aggFunction: 'count', where: null, window: null, description: null, pos: { line: 44, col: 3 } },
      { kind: 'aggregate', name: 'emails', from: ['orders'], agg: ' count ( DISTINCT email)', aggFunction: 'count_distinct', where: null, window: null, description: null, pos: { line: 47, col: 3 } },
      { kind: 'aggregate', name: 'avg_amount', from: ['orders'], agg: 'avg(amount)', aggFunction: 'avg', where: null, window: { amount: 1, unit: 'year', text: '1 year' }, description: null, pos: { line: 50, col: 3 } },
      { kind: 'aggregate', name: 'first_seen_at', from: ['orders', 'contacts', 'events'], agg: 'min(occurred_at)', aggFunction: 'min', where: null, window: { amount: 12, unit: 'hour', text: '12 hours' }, description: null, pos: { line: 54, col: 3 } },
      { kind: 'derived', name: 'aov', expr: 'total_revenue / nullif(order_count, 0)', dependsOn: ['order_count', 'total_revenue'], description: 'Average order value', pos: { line: 58, col: 3 } },
      { kind: 'derived', name: 'aov_label', expr: `case when aov > 100 then 'total_revenue high' else "order_count" end`, dependsOn: ['aov', 'order_count'], description: null, pos: { line: 61, col: 3 } },
    ]);
  });

  it('accepts every window unit, singular and plural', () => {
    for (const [text, amount, unit] of [
      ['1 hour', 1, 'hour'], ['12 hours', 12, 'hour'], ['1 day', 1, 'day'], ['7 days', 7, 'day'],
      ['2 weeks', 2, 'week'], ['3 months', 3, 'month'], ['1 year', 1, 'year'], ['5 years', 5, 'year'],
    ] as const) {
      const spec = ok(`version: 1\nentity: c\nid_types: { email: {} }\ninputs: { i: { relation: t, occurred_at: ts, ids: { email: e } } }\nfeatures: { f: { from: i, agg: 'count(*)', window: '${text}' } }\n`);
      expect((spec.features[0] as any).window).toEqual({ amount, unit, text });
    }
  });

  it('defaults `from` to the only input, and accepts an empty features section', () => {
    const spec = ok(`version: 1\nentity: c\nid_types: { email: {} }\ninputs: { i: { relation: t, occurred_at: ts, ids: { email: e } } }\nfeatures: { n: { agg: 'count(*)' } }\n`);
    expect((spec.features[0] as any).from).toEqual(['i']);
    const empty = ok(`version: 1\nentity: c\nid_types: { email: {} }\ninputs: { i: { relation: t, occurred_at: ts, ids: { email: e } } }\nfeatures:\nsources:\n`);
    expect(empty.features).toEqual([]);
    expect(empty.sources).toEqual([]);
  });

  it('resolves the brief example', () => {
    const spec = ok(readFileSync(join(ROOT, 'examples', 'brief', 'c360.yml'), 'utf8'));
    expect(spec.idTypes.map((t) => [t.name, t.normalize, t.defaultCountry])).toEqual([
      ['email', 'email', ''],
      ['phone', 'phone', '1'],
      ['payments_id', 'trim', ''],
    ]);
    expect(spec.features.map((f) => [f.name, f.kind === 'aggregate' ? f.aggFunction : f.dependsOn.join(',')])).toEqual([
      ['total_revenue', 'sum'],
      ['purchase_count', 'count'],
      ['first_purchase_at', 'min'],
      ['web_revenue', 'sum'],
      ['avg_purchase_value', 'purchase_count,total_revenue'],
    ]);
    expect(spec.inputs[1]!.ids).toEqual([
      { idType: 'phone', column: 'phone' },
      { idType: 'email', column: 'email' },
    ]);
  });
});

describe('loadSpec: warnings', () => {
  const base = (extra: string) =>
    `version: 1\nentity: c\nid_types:\n  email: {}\n  fax: { default_country: '1' }\ninputs: { i: { relation: t, occurred_at: ts, ids: { email: e } } }\n${extra}`;

  it('warns about unused id types, default_country without phone, unused sources; the spec still resolves', () => {
    const { spec, diagnostics } = loadSpec(base('sources: { crm: {} }\n'), 'c360.yml');
    expect(spec).not.toBeNull();
    expect(diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([
      ['C360-W401', 'warning', 5],
      ['C360-W402', 'warning', 5],
      ['C360-W403', 'warning', 7],
    ]);
  });
});

describe('loadSpec: over-stitching guards', () => {
  const base = (idTypes: string, extra = '') => `version: 1
entity: customer
id_types:
${idTypes}
${extra}
inputs:
  events: { relation: events, occurred_at: ts, ids: { user_id: uid, email: email, phone: phone } }
`;

  it('resolves limit, priority, junk_values and the identity block', () => {
    const spec = ok(base(`  user_id: { limit: 1 }\n  email: { limit: 5, priority: 3, junk_values: [nobody@nowhere.com] }\n  phone: { priority: 2 }`, 'identity: { max_cluster_size: 100, shared_identifier_max_links: 50 }'));
    expect(spec.idTypes.map((t) => [t.name, t.limit, t.priority, t.junkValues])).toEqual([
      ['user_id', 1, 1, []],
      ['email', 5, 3, ['nobody@nowhere.com']],
      ['phone', null, 2, []],
    ]);
    expect(spec.identity).toEqual({ maxClusterSize: 100, sharedIdentifierMaxLinks: 50 });
  });

  it('warns about a priority without any limit, and about shared priorities', () => {
    const noLimit = loadSpec(base(`  user_id: {}\n  email: { priority: 5 }\n  phone: {}`), 'c360.yml');
    expect(noLimit.spec).not.toBeNull();
    expect(noLimit.diagnostics.map((d) => [d.code, d.line])).toEqual([['C360-W404', 5]]);
    const tied = loadSpec(base(`  user_id: { limit: 1 }\n  email: { priority: 3 }\n  phone: {}`), 'c360.yml');
    expect(tied.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
      ['C360-W405', 5, 'id types "email", "phone" share priority 3: their links are dropped together when a cluster breaks a limit'],
    ]);
  });
});
