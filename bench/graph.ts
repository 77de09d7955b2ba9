// Deterministic synthetic identity data, generated inside DuckDB (no JS loops over rows).
//
// raw.events(event_id, anonymous_id, device_id, email, phone, user_id, ts): every row carries
// exactly two identifiers of one person, so one row = one edge (edges repeat over 1-3 rows).
//
//   customers   U people, each 3-7 ids: 1-3 anonymous ids, 1-2 emails, 0-1 phone, 70% user_id
//               (a device id is added when fewer than 3); linked as a random tree of
//               different-type pairs (diameter 2-5) plus some extra anonymous_id-phone rows
//   chains      50 chains of 1000 links, alternating anonymous_id / device_id rows, each attached
//               by its first anonymous id to one customer's email
//   hubs        20 device ids, each shared with 5000 customers' first anonymous id
//
// Everything is a function of the customer number and hash(), so the same U gives the same rows.

export interface GraphSize {
  /** label used on the command line and in folder names */
  label: string;
  customers: number;
}

/** About 4 distinct edges per customer: 1m ≈ 1M edges, 10m ≈ 10M edges (counts are measured). */
export const SIZES: Record<string, GraphSize> = {
  '10k': { label: '10k', customers: 2_500 },
  '100k': { label: '100k', customers: 25_000 },
  '1m': { label: '1m', customers: 250_000 },
  '3m': { label: '3m', customers: 750_000 },
  '10m': { label: '10m', customers: 2_500_000 },
};

export function parseSize(s: string): GraphSize {
  const known = SIZES[s];
  if (known) return known;
  const n = Number(s.replace(/_/g, ''));
  if (Number.isInteger(n) && n > 0) return { label: `u${n}`, customers: n };
  throw new Error(`unknown size '${s}' (use ${Object.keys(SIZES).join(', ')} or a customer count)`);
}

export const CHAINS = 50;
export const CHAIN_LINKS = 1000;
export const HUBS = 20;
export const HUB_CUSTOMERS = 5000;

/** SQL statements that create schema `raw` and table raw.events for U customers. */
export function graphSql(customers: number, schema = 'raw'): string[] {
  const U = Math.floor(customers);
  // per-customer shape, all from hash(c, salt)
  const cust = `
    select
      c,
      cast(1 + hash(c, 1) % 3 as bigint) as na,
      cast(1 + hash(c, 2) % 2 as bigint) as ne,
      hash(c, 3) % 2 = 0 as ph,
      hash(c, 4) % 10 < 7 as us,
      timestamp '2024-01-01' + to_seconds(cast(hash(c, 5) % 31536000 as bigint)) as t0
    from range(${U}) as r(c)`;
  const anon = (c: string, k: string) => `'a' || ${c} || '-' || ${k}`;
  const email = (c: string, k: string) => `'user' || ${c} || '.' || ${k} || '@mail.test'`;
  const phone = (c: string) => `'+1555' || lpad(cast(${c} as varchar), 7, '0')`;
  const user = (c: string) => `'U' || ${c}`;
  // edges as (c, kind, k, type_a, value_a, type_b, value_b); kind/k make event ids unique
  const edges = `
    with cust as (${cust}),
    anon_k as (select cust.*, unnest(range(na)) as k from cust)
    -- user_id -> first email
    select c, t0, 0 as kind, 0 as k, 'user_id' as ta, ${user('c')} as va, 'email' as tb, ${email('c', '0')} as vb
    from cust where us
    union all
    -- every anonymous id -> the user id (half the time, when there is one) or one of the emails
    select c, t0, 1, k, 'anonymous_id', ${anon('c', 'k')},
      case when us and hash(c, k, 11) % 2 = 0 then 'user_id' else 'email' end,
      case when us and hash(c, k, 11) % 2 = 0 then ${user('c')} else ${email('c', 'hash(c, k, 12) % ne')} end
    from anon_k
    union all
    -- the second email -> the user id, else the first anonymous id
    select c, t0, 2, 0, 'email', ${email('c', '1')},
      case when us then 'user_id' else 'anonymous_id' end,
      case when us then ${user('c')} else ${anon('c', '0')} end
    from cust where ne = 2
    union all
    -- phone -> the user id or the first email
    select c, t0, 3, 0, 'phone', ${phone('c')},
      case when us and hash(c, 13) % 2 = 0 then 'user_id' else 'email' end,
      case when us and hash(c, 13) % 2 = 0 then ${user('c')} else ${email('c', '0')} end
    from cust where ph
    union all
    -- a device id for the smallest customers (keeps every cluster at 3+ ids)
    select c, t0, 4, 0, 'device_id', 'd' || c, 'anonymous_id', ${anon('c', '0')}
    from cust where na = 1 and ne = 1 and not ph and not us
    union all
    -- extra rows that close cycles: anonymous id seen with the phone
    select c, t0, 5, k, 'anonymous_id', ${anon('c', 'k')}, 'phone', ${phone('c')}
    from anon_k where ph and hash(c, k, 14) % 5 = 0
    union all
    -- chains: link i joins node i and i+1 (even nodes anonymous ids, odd nodes device ids)
    select ${U} + j, timestamp '2024-06-01' + to_seconds(cast(i as bigint) * 60), 6, i,
      case when i % 2 = 0 then 'anonymous_id' else 'device_id' end,
      case when i % 2 = 0 then 'ca' || j || '-' || i else 'cd' || j || '-' || i end,
      case when i % 2 = 0 then 'device_id' else 'anonymous_id' end,
      case when i % 2 = 0 then 'cd' || j || '-' || (i + 1) else 'ca' || j || '-' || (i + 1) end
    from range(${CHAINS}) as cj(j), range(${CHAIN_LINKS}) as ci(i)
    union all
    -- each chain's first anonymous id also seen with a customer's first email
    select ${U} + j, timestamp '2024-06-01', 7, 0, 'anonymous_id', 'ca' || j || '-0',
      'email', ${email(`((j * 7919) % ${U})`, '0')}
    from range(${CHAINS}) as cj(j)
    union all
    -- hubs: device id 'hub<h>' seen with the first anonymous id of 5000 customers each
    select ${U + CHAINS} + h, timestamp '2024-03-01' + to_seconds(cast(i as bigint)), 8, i,
      'device_id', 'hub' || h, 'anonymous_id', ${anon(`((h * ${HUB_CUSTOMERS} + i) * 7 % ${U})`, '0')}
    from range(${HUBS}) as hh(h), range(${HUB_CUSTOMERS}) as hi(i)`;
  const col = (t: string) =>
    `case when ta = '${t}' then va when tb = '${t}' then vb end as ${t}`;
  return [
    `create schema if not exists ${schema}`,
    `drop table if exists ${schema}.events`,
    `create table ${schema}.events as
     with e as (${edges}),
     rows as (select e.*, unnest(range(cast(1 + hash(c, kind, k, 21) % 3 as bigint))) as rep from e)
     select
       ${col('anonymous_id')}, ${col('device_id')},
       -- emails arrive in mixed case now and then; the spec normalises them
       case when ta = 'email' and hash(c, k, rep, 22) % 4 = 0 then upper(va)
            when ta = 'email' then va
            when tb = 'email' and hash(c, k, rep, 22) % 4 = 0 then upper(vb)
            when tb = 'email' then vb end as email,
       ${col('phone')}, ${col('user_id')},
       t0 + to_seconds(cast(rep * 86400 + hash(c, kind, k, rep) % 3600 as bigint)) as ts,
       c, kind, k, rep
     from rows`,
    // a dense, deterministic event id (order by the generating key, not by insertion)
    `create or replace table ${schema}.events as
     select row_number() over (order by c, kind, k, rep) as event_id,
       anonymous_id, device_id, email, phone, user_id, ts
     from ${schema}.events`,
  ];
}

/**
 * The bench spec: one input `events` over raw.events, five id types. With `guards`, the
 * over-stitching guards a real spec has: user_id at most 1 and email at most 5 per cluster, at
 * most 200 identifiers per cluster, an identifier linked to more than 100 is shared (the hubs);
 * priorities by position, so four limit levels.
 */
export function benchSpec(dbPath = 'c360.duckdb', guards = false): string {
  return `version: 1
entity: customer
warehouse:
  type: duckdb
  path: ${dbPath}
sources:
  raw: { schema: raw }
id_types:
  anonymous_id: { normalize: trim }
  device_id: { normalize: trim }
  email: { normalize: email${guards ? ', limit: 5' : ''} }
  phone: { normalize: none }
  user_id: { normalize: trim${guards ? ', limit: 1' : ''} }
${guards ? 'identity:\n  max_cluster_size: 200\n  shared_identifier_max_links: 100\n' : ''}inputs:
  events:
    relation: source('raw', 'events')
    occurred_at: ts
    ids:
      anonymous_id: anonymous_id
      device_id: device_id
      email: email
      phone: phone
      user_id: user_id
`;
}

/**
 * A delta of about `edges` new distinct edges appended to raw.events, all later than the base data
 * (incremental runs read rows newer than what they have seen): half new anonymous ids of existing
 * customers, a quarter brand-new customers (anonymous id + email + user id), a quarter links between
 * two existing customers (merges). `batch` 0 is the bench's 1% delta; a later batch draws other
 * values (other new ids, other customers linked) at later times, so it can follow batch 0 as a
 * second delta.
 */
export function deltaSql(customers: number, edges: number, schema = 'raw', batch = 0): string[] {
  if (!Number.isInteger(batch) || batch < 0) throw new Error(`deltaSql: batch must be an integer >= 0, got ${batch}`);
  const U = Math.floor(customers);
  const grow = Math.round(edges / 2);
  const fresh = Math.round(edges / 8); // two edges each
  const merge = Math.max(0, Math.round(edges) - grow - 2 * fresh);
  // batch 0 keeps the values and times the bench has always used
  const tag = batch === 0 ? '' : `b${batch}_`;
  const salt = (k: number) => k + 10 * batch;
  const ts = `timestamp '2025-03-01' + to_seconds(cast(i + ${batch * 10_000_000} as bigint))`;
  const rows = `
    select ${ts} as ts, 'n${tag}' || i as anonymous_id, null as device_id,
      'user' || (hash(i, ${salt(31)}) % ${U}) || '.0@mail.test' as email, null as phone, null as user_id
    from range(${grow}) as r(i)
    union all
    select ${ts}, 'nn${tag}' || i, null, 'new${tag}' || i || '@mail.test', null, null from range(${fresh}) as r(i)
    union all
    select ${ts}, null, null, 'new${tag}' || i || '@mail.test', null, 'NU${tag}' || i from range(${fresh}) as r(i)
    union all
    select ${ts}, 'a' || (hash(i, ${salt(32)}) % ${U}) || '-0', null,
      'user' || (hash(i, ${salt(33)}) % ${U}) || '.0@mail.test', null, null
    from range(${merge}) as r(i)`;
  return [
    `insert into ${schema}.events
     select (select max(event_id) from ${schema}.events) + row_number() over (order by ts, anonymous_id, email, user_id),
       anonymous_id, device_id, email, phone, user_id, ts
     from (${rows})`,
  ];
}

/** `--sizes 1m,10m` (or `--sizes=...`; default 1m): the graph sizes a bench program runs. */
export function parseSizesArg(argv: string[]): GraphSize[] {
  let sizes = '1m';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sizes') sizes = argv[++i];
    else if (a.startsWith('--sizes=')) sizes = a.slice('--sizes='.length);
    else throw new Error(`unknown argument ${a} (use --sizes 1m,10m)`);
  }
  return sizes.split(',').map((s) => parseSize(s.trim()));
}
