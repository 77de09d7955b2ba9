// The c360.yml that `c360-gen demo` writes: a Customer 360 over the synthetic tables of
// generator/src/demo/data.ts (schema `raw`). It must load with no diagnostics
// (generator/test/demo/spec.test.ts).

export const DEMO_SPEC = `# yaml-language-server: $schema=https://unpkg.com/c360-gen/schema/c360.schema.json
#
# c360.yml written by \`c360-gen demo\`: a Customer 360 over synthetic RudderStack-like web and app
# events, shop orders, subscription payments and support tickets (schema raw of c360.duckdb).
# Grammar: docs/spec-v1.md. Edit it and run \`c360-gen generate\` to see what changes.

version: 1
entity: customer            # canonical id column customer_id; marts customer_360, customer_id_graph, ...

warehouse:
  type: duckdb
  path: c360.duckdb         # the demo data is written here (schema raw)

# The demo tables live in schema raw: source('raw', ...) resolves there by default.

# Identifiers that stitch rows into one customer. Junk values ('', 'null', 'unknown', 'N/A',
# 'test@test.com', '0000000000', ...) are dropped by default and never link anyone.
id_types:
  email:
    normalize: email        # ' Rob@RudderStack.com ' -> rob@rudderstack.com
  phone:
    normalize: phone        # '(650) 672-5618', '+1 650 672 5618', '1-650-672-5618' -> 16506725618
    default_country: '1'    # US numbers written without a country code
  user_id: {}               # trimmed
  anonymous_id: {}          # RudderStack anonymous id (web cookie)
  device_id: {}             # mobile app device id
  payments_id: {}           # opaque payment-provider customer id, e.g. 8967-1324-5126-0897

inputs:
  web_events:
    relation: source('raw', 'web_events')
    occurred_at: timestamp
    ids:
      anonymous_id: anonymous_id
      user_id: user_id
      email: context_traits_email
    description: Website page views and tracks (RudderStack JavaScript SDK).
  app_events:
    relation: source('raw', 'app_events')
    occurred_at: sent_at
    ids:
      device_id: device_id
      user_id: user_id
      phone: phone
      email: email
    description: Mobile app events (RudderStack mobile SDK).
  orders:
    relation: source('raw', 'orders')
    occurred_at: created_at
    ids:
      email: email
    description: Web shop orders, paid or refunded.
  payments:
    relation: source('raw', 'payments')
    occurred_at: paid_at
    ids:
      payments_id: payments_id
      phone: phone
    description: Subscription payments from the payment provider.
  support_tickets:
    relation: source('raw', 'support_tickets')
    occurred_at: opened_at
    ids:
      email: email
    description: Support desk tickets.

# One column each in customer_360. A feature over several inputs must use count, sum, min or max.
features:
  # Revenue
  order_revenue:
    from: orders
    agg: sum(amount)
    where: status = 'paid'
    description: Revenue from paid web shop orders.
  payments_revenue:
    from: payments
    agg: sum(amount)
    description: Revenue from subscription payments.
  total_revenue:
    expr: coalesce(order_revenue, 0) + coalesce(payments_revenue, 0)
    description: Lifetime revenue, orders and subscription payments.

  # Orders
  order_count:
    from: orders
    agg: count(*)
    description: Number of orders, paid or refunded.
  paid_order_count:
    from: orders
    agg: count(*)
    where: status = 'paid'
    description: Number of paid orders.
  orders_last_30_days:
    from: orders
    agg: count(*)
    window: 30 days
    description: Number of orders in the last 30 days.
  avg_order_value:
    expr: order_revenue / nullif(paid_order_count, 0)
    description: Average value of a paid order.

  # Engagement
  web_sessions:
    from: web_events
    agg: count(distinct anonymous_id)
    description: Distinct web browsers (anonymous ids) seen.
  app_devices:
    from: app_events
    agg: count(distinct device_id)
    description: Distinct mobile devices seen.
  web_events_last_30_days:
    from: web_events
    agg: count(*)
    window: 30 days
    description: Website events in the last 30 days.
  first_seen_at:
    from: [web_events, app_events, orders, payments]
    agg: min(occurred_at)
    description: First time the customer was seen anywhere.
  last_seen_at:
    from: [web_events, app_events, orders, payments]
    agg: max(occurred_at)
    description: Last time the customer was seen anywhere.

  # Support
  support_tickets_count:
    from: support_tickets
    agg: count(*)
    description: Number of support tickets opened.
  high_priority_tickets:
    from: support_tickets
    agg: count(*)
    where: priority in ('high', 'urgent')
    description: Number of high or urgent priority support tickets.
`;

/** The schemas `c360-gen demo --target postgres` owns: the models, and the demo data. */
export const DEMO_PG_SCHEMA = 'c360_demo';
export const DEMO_PG_RAW_SCHEMA = 'c360_demo_raw';

const DUCKDB_WAREHOUSE = `warehouse:
  type: duckdb
  path: c360.duckdb         # the demo data is written here (schema raw)

# The demo tables live in schema raw: source('raw', ...) resolves there by default.
`;

/**
 * The demo's spec for a target: DEMO_SPEC itself on DuckDB; on PostgreSQL the same Customer 360
 * built into schema c360_demo, over the demo tables in schema c360_demo_raw (schemas of their own,
 * so the demo never touches a real project's tables).
 */
export function demoSpec(target: 'duckdb' | 'postgres'): string {
  if (target === 'duckdb') return DEMO_SPEC;
  if (!DEMO_SPEC.includes(DUCKDB_WAREHOUSE)) throw new Error('demoSpec: the warehouse section of DEMO_SPEC changed');
  return DEMO_SPEC.replace('(schema raw of c360.duckdb)', `(schema ${DEMO_PG_RAW_SCHEMA} of your PostgreSQL database)`).replace(
    DUCKDB_WAREHOUSE,
    `warehouse:
  type: postgres            # connection from C360_PG_HOST, _PORT, _USER, _PASSWORD, _DATABASE
  schema: ${DEMO_PG_SCHEMA}         # the models are built here
  path: c360.duckdb         # the duckdb target's file (the demo data is written here too)

sources:
  raw: { schema: ${DEMO_PG_RAW_SCHEMA} }   # the demo tables
`,
  );
}
