// The commented starter spec that `c360-gen init` writes. It must validate with no errors and no
// warnings (generator/test/spec/starter.test.ts).

export const STARTER_SPEC = `# yaml-language-server: $schema=https://unpkg.com/c360-gen/schema/c360.schema.json
#
# c360.yml: one file describes your Customer 360. Full grammar: docs/spec-v1.md.
#   c360-gen validate   check this file and report every problem
#   c360-gen generate   turn it into a dbt project (./c360_project)

# The spec format version. Required; must be 1.
version: 1

# What you are building a 360 of (snake_case). The canonical id column is customer_id and the marts
# are customer_360, customer_id_graph and customer_feature_registry.
entity: customer

# Where the generated project runs. Optional; this is the default.
warehouse:
  type: duckdb        # the default dbt target: duckdb or postgres (profiles.yml has both)
  path: c360.duckdb   # the DuckDB file, relative to the generated project
  schema: c360        # the schema the postgres target builds into (connection: C360_PG_* env vars)

# Where each source('name', 'table') used below lives. Optional: by default a source's schema is its
# name and the database is the default one.
sources:
  rudder: { schema: rudder, database: null }
  shop: { schema: raw_shop }

# The kinds of identifier that link rows to one customer. At least one; names are snake_case.
id_types:
  email:
    normalize: email  # email | phone | trim | none (default: email for "email", phone for "phone", else trim)
    junk: true        # drop the built-in junk values ('', 'null', 'unknown', ...); default true
    exclude:
      values: [test@test.com]         # dropped, compared after normalisation
      regex: '.*@example\\.com$'        # a regular expression or a list of them, after normalisation
  phone:
    normalize: phone
    default_country: '1'  # calling code added to national numbers (digits, quoted)
  user_id: {}             # {} = all defaults (normalize: trim, junk: true)
  anonymous_id: {}

# The tables that carry identifiers and events. At least one; names are snake_case.
inputs:
  web_events:
    relation: source('rudder', 'tracks')  # or ref('model'), schema.table or table
    occurred_at: timestamp                # required: the row's event timestamp column
    ids:                                  # id type -> column (or a list of columns)
      anonymous_id: anonymous_id
      user_id: user_id
      email: context_traits_email
    description: Website events from RudderStack.
  orders:
    relation: source('shop', 'orders')
    occurred_at: created_at
    ids:
      email: email
      phone: [phone, billing_phone]       # several columns of one id type
      user_id: customer_user_id
    where: status <> 'test'               # optional SQL filter applied in staging
    description: Orders from the shop.

# Features: one column each in customer_360. Optional.
features:
  order_count:
    from: orders                # an input or a list of inputs
    agg: count(*)               # count(...) | count(distinct ...) | sum | avg | min | max
    description: Number of orders.
  total_revenue:
    from: orders
    agg: sum(amount)
    where: status = 'paid'      # optional SQL filter on the input's rows
    description: Revenue from paid orders.
  revenue_30d:
    from: orders
    agg: sum(amount)
    where: status = 'paid'
    window: 30 days             # optional: only the last N hours|days|weeks|months|years
    description: Revenue from paid orders in the last 30 days.
  last_seen_at:
    from: [web_events, orders]  # several inputs: count, sum, min and max combine across them
    agg: max(occurred_at)       # occurred_at is every input's timestamp
    description: When the customer was last active anywhere.
  avg_order_value:
    expr: total_revenue / nullif(order_count, 0)  # derived: SQL over other features
    description: Average value of an order.
`;
