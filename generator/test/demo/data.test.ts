import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDemoData, DEMO_JUNK_VALUES, DEMO_ROB, type DemoGroundTruth } from '../../src/demo/data.js';
import { tempDir } from '../support/tmp.js';

type Row = Record<string, unknown>;

const tmp = tempDir('demo-data');

const DATA_TABLES = ['web_events', 'app_events', 'orders', 'payments', 'support_tickets'];
const ALL_TABLES = [...DATA_TABLES, 'ground_truth_identifiers', 'ground_truth_persons'];

/** Open read-only, run the queries, close (createDemoData must have released the file). */
async function query(dbPath: string, ...sqls: string[]): Promise<Row[][]> {
  const instance = await DuckDBInstance.create(dbPath, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    const out: Row[][] = [];
    for (const sql of sqls) out.push((await conn.runAndReadAll(sql)).getRowObjectsJS() as Row[]);
    return out;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

async function tableHashes(dbPath: string): Promise<Record<string, string>> {
  const sqls = ALL_TABLES.map(
    // in insertion (rowid) order: same rows in the same order
    (t) => `select md5(coalesce(string_agg(cast(x as varchar), chr(10) order by x.rowid), '')) || ':' || count(*) as h from raw.${t} x`,
  );
  const results = await query(dbPath, ...sqls);
  return Object.fromEntries(ALL_TABLES.map((t, i) => [t, String(results[i]![0]!.h)]));
}

// The same normalisation and junk rules as macros/identity (clean_id, normalize_email/phone/trim).
const JUNK = `('', 'null', 'none', 'nil', 'unknown', 'undefined', 'n/a', 'na', '0', '-1', 'test', 'test@test.com',
  'test@example.com', 'noemail@noemail.com', 'no@email.com', 'email@email.com', 'anonymous', 'guest', 'default',
  'true', 'false', '[object object]')`;
const norm = {
  email: (c: string) => `lower(trim(${c}))`,
  trim: (c: string) => `nullif(trim(${c}), '')`,
  phone: (c: string) => `(case
      when trim(${c}) like '+%' then case when length(regexp_replace(trim(${c}), '[^0-9]', '', 'g')) >= 7 then regexp_replace(trim(${c}), '[^0-9]', '', 'g') end
      when regexp_replace(trim(${c}), '[^0-9]', '', 'g') like '00%' then case when length(regexp_replace(trim(${c}), '[^0-9]', '', 'g')) >= 9 then regexp_replace(trim(${c}), '[^0-9]', '', 'g')[3:] end
      when length(regexp_replace(trim(${c}), '[^0-9]', '', 'g')) < 7 then null
      when length(regexp_replace(trim(${c}), '[^0-9]', '', 'g')) <= 10 then '1' || regexp_replace(trim(${c}), '[^0-9]', '', 'g')
      else regexp_replace(trim(${c}), '[^0-9]', '', 'g') end)`,
};
const clean = (c: string, n: keyof typeof norm) => {
  const v = norm[n](c);
  const phoneZeros = n === 'phone' ? ` or (regexp_replace(${c}, '[^0-9]', '', 'g') <> '' and replace(regexp_replace(${c}, '[^0-9]', '', 'g'), '0', '') = '')` : '';
  return `case when ${v} is null or ${v} = '' or lower(${v}) in ${JUNK} or replace(${v}, '0', '') = ''${phoneZeros} then null else ${v} end`;
};

/** Every (row, id type, clean value) observed in the raw tables. */
const OBSERVED = `
  with obs(tbl, row_key, id_type, id_value) as (
    select 'web_events', event_id, 'anonymous_id', ${clean('anonymous_id', 'trim')} from raw.web_events
    union all select 'web_events', event_id, 'user_id', ${clean('user_id', 'trim')} from raw.web_events
    union all select 'web_events', event_id, 'email', ${clean('context_traits_email', 'email')} from raw.web_events
    union all select 'app_events', event_id, 'device_id', ${clean('device_id', 'trim')} from raw.app_events
    union all select 'app_events', event_id, 'user_id', ${clean('user_id', 'trim')} from raw.app_events
    union all select 'app_events', event_id, 'phone', ${clean('phone', 'phone')} from raw.app_events
    union all select 'app_events', event_id, 'email', ${clean('email', 'email')} from raw.app_events
    union all select 'orders', order_id, 'email', ${clean('email', 'email')} from raw.orders
    union all select 'payments', payment_id, 'payments_id', ${clean('payments_id', 'trim')} from raw.payments
    union all select 'payments', payment_id, 'phone', ${clean('phone', 'phone')} from raw.payments
    union all select 'support_tickets', ticket_id, 'email', ${clean('email', 'email')} from raw.support_tickets
  )`;

class UnionFind {
  private parent = new Map<string, string>();
  find(x: string): string {
    if (!this.parent.has(x)) this.parent.set(x, x);
    let r = x;
    while (this.parent.get(r) !== r) r = this.parent.get(r)!;
    while (this.parent.get(x) !== r) {
      const n = this.parent.get(x)!;
      this.parent.set(x, r);
      x = n;
    }
    return r;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

describe('createDemoData: determinism', () => {
  it('the same seed gives identical tables; another seed gives different ones', async () => {
    const a = join(tmp, 'det-a.duckdb');
    const b = join(tmp, 'det-b.duckdb');
    const c = join(tmp, 'det-c.duckdb');
    const ta = await createDemoData(a, { customers: 500, seed: 7 });
    const tb = await createDemoData(b, { customers: 500, seed: 7 });
    const tc = await createDemoData(c, { customers: 500, seed: 8 });
    expect(tb).toEqual(ta);
    const [ha, hb, hc] = [await tableHashes(a), await tableHashes(b), await tableHashes(c)];
    expect(hb).toEqual(ha);
    expect(hc.web_events).not.toEqual(ha.web_events);
    expect(tc.identifiers).not.toEqual(ta.identifiers);
  });

  it('rerunning on the same file replaces the tables (drop if exists)', async () => {
    const a = join(tmp, 'rerun.duckdb');
    await createDemoData(a, { customers: 300, seed: 1 });
    const h1 = await tableHashes(a);
    await createDemoData(a, { customers: 50, seed: 2 });
    await createDemoData(a, { customers: 300, seed: 1 });
    expect(await tableHashes(a)).toEqual(h1);
  });
});

describe('createDemoData: ground truth (2000 customers, default seed)', () => {
  const db = join(tmp, 'truth.duckdb');
  let truth: DemoGroundTruth;
  let seconds = 0;

  beforeAll(async () => {
    const t = performance.now();
    truth = await createDemoData(db);
    seconds = (performance.now() - t) / 1000;
  });

  it('has the requested size and is fast', async () => {
    expect(truth.persons).toBe(2000);
    expect(truth.revenueByPerson).toHaveLength(2000);
    expect(new Set(truth.identifiers.map((i) => i.personIndex)).size).toBe(2000);
    expect(seconds).toBeLessThan(5); // target < 3 s; slack for a loaded CI box
    const counts = await query(db, ...ALL_TABLES.map((t) => `select count(*) as n from raw.${t}`));
    ALL_TABLES.forEach((t, i) => {
      expect(truth.rowCounts[`raw.${t}`], t).toBe(Number(counts[i]![0]!.n));
      expect(truth.rowCounts[`raw.${t}`], t).toBeGreaterThan(0);
    });
    expect(truth.rowCounts['raw.ground_truth_identifiers']).toBe(truth.identifiers.length);
  });

  it('the schema is as documented', async () => {
    const [cols] = await query(
      db,
      `select table_name, string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position) as cols
       from information_schema.columns where table_schema = 'raw' group by 1 order by 1`,
    );
    expect(Object.fromEntries(cols!.map((r) => [r.table_name, r.cols]))).toEqual({
      app_events: 'event_id VARCHAR, device_id VARCHAR, user_id VARCHAR, phone VARCHAR, email VARCHAR, event VARCHAR, sent_at TIMESTAMP',
      ground_truth_identifiers: 'person_index INTEGER, id_type VARCHAR, id_value VARCHAR',
      ground_truth_persons: 'person_index INTEGER, revenue DECIMAL(12,2)',
      orders: 'order_id VARCHAR, email VARCHAR, amount DECIMAL(12,2), status VARCHAR, created_at TIMESTAMP',
      payments: 'payment_id VARCHAR, payments_id VARCHAR, phone VARCHAR, amount DECIMAL(12,2), paid_at TIMESTAMP',
      support_tickets: 'ticket_id VARCHAR, email VARCHAR, priority VARCHAR, opened_at TIMESTAMP',
      web_events: 'event_id VARCHAR, anonymous_id VARCHAR, user_id VARCHAR, context_traits_email VARCHAR, event VARCHAR, timestamp TIMESTAMP',
    });
  });

  it('timestamps are in the 365 days before 2026-11-01', async () => {
    const [r] = await query(
      db,
      `select min(ts) as lo, max(ts) as hi from (
         select "timestamp" as ts from raw.web_events union all select sent_at from raw.app_events
         union all select created_at from raw.orders union all select paid_at from raw.payments
         union all select opened_at from raw.support_tickets)`,
    );
    expect(new Date(r![0]!.lo as string).getTime()).toBeGreaterThanOrEqual(Date.UTC(2025, 10, 1));
    expect(new Date(r![0]!.hi as string).getTime()).toBeLessThan(Date.UTC(2026, 10, 1));
  });

  it('no normalised identifier belongs to two persons, and none is junk', () => {
    const owner = new Map<string, number>();
    const junk = new Set<string>(DEMO_JUNK_VALUES.map((v) => v.toLowerCase()));
    for (const g of truth.identifiers) {
      const key = `${g.idType}:${g.value}`;
      expect(owner.get(key) ?? g.personIndex, key).toBe(g.personIndex);
      owner.set(key, g.personIndex);
      expect(junk.has(g.value.toLowerCase()), key).toBe(false);
      expect(g.value, key).toBe(g.value.trim());
      if (g.idType === 'email') expect(g.value).toBe(g.value.toLowerCase());
      if (g.idType === 'phone') expect(g.value).toMatch(/^1\d{10}$/);
    }
  });

  it('every ground-truth identifier appears in the raw data, and every clean raw identifier is in the ground truth', async () => {
    const [missing, stray, dup, perType] = await query(
      db,
      `${OBSERVED} select g.* from raw.ground_truth_identifiers g
         anti join (select distinct id_type, id_value from obs where id_value is not null) o using (id_type, id_value)`,
      `${OBSERVED} select o.* from obs o where id_value is not null
         and not exists (select 1 from raw.ground_truth_identifiers g where g.id_type = o.id_type and g.id_value = o.id_value) limit 10`,
      `select id_type, id_value from raw.ground_truth_identifiers group by all having count(distinct person_index) > 1`,
      `select id_type, count(*) as n from raw.ground_truth_identifiers group by 1 order by 1`,
    );
    expect(missing).toEqual([]);
    expect(stray).toEqual([]);
    expect(dup).toEqual([]);
    expect(perType!.map((r) => r.id_type)).toEqual(['anonymous_id', 'device_id', 'email', 'payments_id', 'phone', 'user_id']);
  });

  it('has the identifier mess: case, whitespace, phone spellings, junk and junk-only rows', async () => {
    const [[m]] = await query(
      db,
      `${OBSERVED}, keyed as (
         select tbl, row_key, count(id_value) as clean_ids from obs group by all)
       select
         (select count(*) from raw.orders where email <> lower(trim(email))) as messy_order_emails,
         (select count(*) from raw.web_events where context_traits_email <> trim(context_traits_email)) as padded_web_emails,
         (select count(distinct regexp_replace(phone, '[0-9]', '9', 'g')) from raw.app_events where phone is not null) as phone_shapes,
         (select count(*) from raw.web_events where lower(user_id) in ${JUNK} or lower(context_traits_email) in ${JUNK}) as junk_web_values,
         (select count(*) from raw.payments where replace(regexp_replace(phone, '[^0-9]', '', 'g'), '0', '') = '' and phone <> '') as zero_phones,
         (select count(*) from keyed where clean_ids = 0) as junk_only_rows,
         (select count(*) from keyed) as rows`,
    );
    expect(Number(m!.messy_order_emails)).toBeGreaterThan(0);
    expect(Number(m!.padded_web_emails)).toBeGreaterThan(0);
    expect(Number(m!.phone_shapes)).toBeGreaterThanOrEqual(5);
    expect(Number(m!.junk_web_values)).toBeGreaterThan(0);
    const junkOnly = Number(m!.junk_only_rows);
    expect(junkOnly).toBeGreaterThan(0);
    expect(junkOnly / Number(m!.rows)).toBeLessThan(0.02);
  });

  it('co-occurrence in rows connects exactly each person (clusters == persons)', async () => {
    const [rows] = await query(db, `${OBSERVED} select tbl || ':' || row_key as r, id_type || ':' || id_value as v from obs where id_value is not null order by all`);
    const person = new Map(truth.identifiers.map((g) => [`${g.idType}:${g.value}`, g.personIndex]));
    const uf = new UnionFind();
    const firstOfRow = new Map<string, string>();
    for (const { r, v } of rows! as { r: string; v: string }[]) {
      uf.find(v);
      const f = firstOfRow.get(r);
      if (f === undefined) firstOfRow.set(r, v);
      else {
        expect(person.get(v), `${r} mixes persons`).toBe(person.get(f));
        uf.union(f, v);
      }
    }
    const rootsByPerson = new Map<number, Set<string>>();
    for (const g of truth.identifiers) {
      const k = `${g.idType}:${g.value}`;
      if (!rootsByPerson.has(g.personIndex)) rootsByPerson.set(g.personIndex, new Set());
      rootsByPerson.get(g.personIndex)!.add(uf.find(k));
    }
    expect(rootsByPerson.size).toBe(2000);
    const split = [...rootsByPerson].filter(([, s]) => s.size !== 1).map(([p]) => p);
    expect(split).toEqual([]);
    // and different persons never share a root
    const roots = new Set([...rootsByPerson.values()].map((s) => [...s][0]));
    expect(roots.size).toBe(2000);
  });

  it("the brief's person: website order 100.00, app with phone and email, subscription 30.00", async () => {
    expect(truth.revenueByPerson[0]).toBe(130);
    const rob = truth.identifiers.filter((g) => g.personIndex === 0);
    expect(rob).toEqual(
      expect.arrayContaining([
        { personIndex: 0, idType: 'email', value: DEMO_ROB.email },
        { personIndex: 0, idType: 'phone', value: DEMO_ROB.phone },
        { personIndex: 0, idType: 'payments_id', value: DEMO_ROB.paymentsId },
      ]),
    );
    const [web, orders, app, pay] = await query(
      db,
      `select * from raw.web_events where lower(trim(context_traits_email)) = 'rob@rudderstack.com'`,
      `select amount::double as amount, status from raw.orders where lower(trim(email)) = 'rob@rudderstack.com'`,
      `select * from raw.app_events where phone = '650-672-5618' and lower(trim(email)) = 'rob@rudderstack.com'`,
      `select amount::double as amount, phone from raw.payments where payments_id = '8967-1324-5126-0897'`,
    );
    expect(web!.length).toBeGreaterThan(0);
    expect(orders).toEqual([{ amount: 100, status: 'paid' }]);
    expect(app).toHaveLength(1);
    expect(pay).toHaveLength(1);
    expect(pay![0]!.amount).toBe(30);
    expect(String(pay![0]!.phone).replace(/\D/g, '')).toBe('6506725618');
  });

  it('revenueByPerson matches the raw rows joined through the ground truth', async () => {
    const [rows] = await query(
      db,
      `${OBSERVED},
       row_person as (select distinct o.tbl, o.row_key, g.person_index from obs o
                      join raw.ground_truth_identifiers g using (id_type, id_value)),
       rev as (
         select rp.person_index, o.amount from raw.orders o join row_person rp on rp.tbl = 'orders' and rp.row_key = o.order_id where o.status = 'paid'
         union all
         select rp.person_index, p.amount from raw.payments p join row_person rp on rp.tbl = 'payments' and rp.row_key = p.payment_id)
       select p.person_index, coalesce(sum(rev.amount), 0)::double as raw_revenue, p.revenue::double as truth_revenue
       from raw.ground_truth_persons p left join rev using (person_index) group by all order by 1`,
    );
    expect(rows).toHaveLength(2000);
    for (const r of rows!) {
      const i = Number(r.person_index);
      expect(r.raw_revenue, `person ${i}`).toBeCloseTo(truth.revenueByPerson[i]!, 2);
      expect(r.truth_revenue, `person ${i}`).toBeCloseTo(truth.revenueByPerson[i]!, 2);
    }
    expect(truth.revenueByPerson.filter((r) => r > 0).length).toBeGreaterThan(1000);
  });
});

describe('createDemoData: sizes', () => {
  it('honours customers (1 = just the brief person)', async () => {
    const one = await createDemoData(join(tmp, 'one.duckdb'), { customers: 1 });
    expect(one.persons).toBe(1);
    expect(one.revenueByPerson).toEqual([130]);
    const n = await createDemoData(join(tmp, 'n.duckdb'), { customers: 321, seed: 3 });
    expect(n.persons).toBe(321);
    expect(new Set(n.identifiers.map((g) => g.personIndex)).size).toBe(321);
  });

  it('rejects bad options', async () => {
    await expect(createDemoData(join(tmp, 'bad.duckdb'), { customers: 0 })).rejects.toThrow(/customers/);
    await expect(createDemoData(join(tmp, 'bad.duckdb'), { customers: 1.5 })).rejects.toThrow(/customers/);
  });

  // opt-in (slow): the generator holds at 100k customers; its speed is not a test's business
  it.runIf(process.env.C360_DEMO_BIG === '1')('100k customers: every person has ground truth', async () => {
    const big = await createDemoData(join(tmp, 'big.duckdb'), { customers: 100_000 });
    expect(big.persons).toBe(100_000);
    const [[r]] = await query(join(tmp, 'big.duckdb'), `select count(distinct person_index) as n from raw.ground_truth_identifiers`);
    expect(Number(r!.n)).toBe(100_000);
  });
});
