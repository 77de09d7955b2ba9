// Synthetic raw data for the demo: five RudderStack-/shop-like tables in schema `raw` whose
// identifiers have the mess of real data (case and whitespace in emails, five spellings of one
// phone number, junk values), plus the ground truth the identity graph must recover.
//
// Deterministic: a seeded PRNG (mulberry32) and a fixed "now" (2026-11-01T00:00:00Z); the same
// seed and customer count give byte-identical tables.
//
// Guarantees (checked by generator/test/demo/data.test.ts):
//   - no normalised, non-junk identifier belongs to two persons: every value embeds a per-person or
//     global counter (anonymous ids, devices) or a bijection of the person index (phones, payments
//     ids, user ids);
//   - each person's identifiers are connected by co-occurrence in rows ("link rows": every
//     identifier shares a row with the person's first email, or with a device/phone that does),
//     so the ground-truth clusters are exactly the persons;
//   - every row carries at least one real identifier of its person, or only junk/nulls
//     (a few "junk-only" rows that must not link or be attributed to anyone).
//
// Person 0 is the brief's person: rob@rudderstack.com buys on the website (100.00), uses the
// mobile app with phone 650-672-5618, and subscribes with payments id 8967-1324-5126-0897 (30.00).

import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export type DemoIdType = 'email' | 'phone' | 'user_id' | 'anonymous_id' | 'device_id' | 'payments_id';

export interface DemoGroundTruthIdentifier {
  personIndex: number;
  idType: DemoIdType;
  /** Normalised: email trim+lower; phone international digits ('16506725618'); others trimmed. */
  value: string;
}

export interface DemoGroundTruth {
  persons: number;
  identifiers: DemoGroundTruthIdentifier[];
  /** Per person: sum of paid order amounts + payment amounts (rounded to cents). */
  revenueByPerson: number[];
  /** Rows written per table, keyed `raw.<table>`. */
  rowCounts: Record<string, number>;
}

export interface DemoDataOptions {
  /** Number of synthetic persons (default 2000, at least 1; person 0 is the brief's person). */
  customers?: number;
  /** PRNG seed (default 42). */
  seed?: number;
}

/** The fixed "now" of the demo data: every timestamp is in the 365 days before it. */
export const DEMO_NOW = Date.UTC(2026, 10, 1, 0, 0, 0); // 2026-11-01T00:00:00Z (ms)
export const DEMO_DEFAULT_CUSTOMERS = 2000;
export const DEMO_DEFAULT_SEED = 42;

/** Junk values written into id columns; all are in c360's built-in junk list (or all zeros). */
export const DEMO_JUNK_VALUES = ['', 'unknown', 'null', 'N/A', 'undefined', '0', 'test@test.com', '0000000000'] as const;

/** The brief's person (person 0), normalised. */
export const DEMO_ROB = {
  personIndex: 0,
  email: 'rob@rudderstack.com',
  phone: '16506725618',
  paymentsId: '8967-1324-5126-0897',
  revenue: 130,
} as const;

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: a small, fast, seedable 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1)); // inclusive
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

// ---------------------------------------------------------------------------------------------
// Tables

type ColType = 'varchar' | 'timestamp' | 'decimal' | 'integer';
type Cell = string | number | null; // timestamp: epoch seconds; decimal: cents

interface TableDef {
  name: string;
  columns: ReadonlyArray<readonly [string, ColType]>;
}

const TABLES = {
  web_events: {
    name: 'web_events',
    columns: [
      ['event_id', 'varchar'],
      ['anonymous_id', 'varchar'],
      ['user_id', 'varchar'],
      ['context_traits_email', 'varchar'],
      ['event', 'varchar'],
      ['timestamp', 'timestamp'],
    ],
  },
  app_events: {
    name: 'app_events',
    columns: [
      ['event_id', 'varchar'],
      ['device_id', 'varchar'],
      ['user_id', 'varchar'],
      ['phone', 'varchar'],
      ['email', 'varchar'],
      ['event', 'varchar'],
      ['sent_at', 'timestamp'],
    ],
  },
  orders: {
    name: 'orders',
    columns: [
      ['order_id', 'varchar'],
      ['email', 'varchar'],
      ['amount', 'decimal'],
      ['status', 'varchar'],
      ['created_at', 'timestamp'],
    ],
  },
  payments: {
    name: 'payments',
    columns: [
      ['payment_id', 'varchar'],
      ['payments_id', 'varchar'],
      ['phone', 'varchar'],
      ['amount', 'decimal'],
      ['paid_at', 'timestamp'],
    ],
  },
  support_tickets: {
    name: 'support_tickets',
    columns: [
      ['ticket_id', 'varchar'],
      ['email', 'varchar'],
      ['priority', 'varchar'],
      ['opened_at', 'timestamp'],
    ],
  },
  ground_truth_identifiers: {
    name: 'ground_truth_identifiers',
    columns: [
      ['person_index', 'integer'],
      ['id_type', 'varchar'],
      ['id_value', 'varchar'],
    ],
  },
  ground_truth_persons: {
    name: 'ground_truth_persons',
    columns: [
      ['person_index', 'integer'],
      ['revenue', 'decimal'],
    ],
  },
} as const satisfies Record<string, TableDef>;

type TableName = keyof typeof TABLES;

const SQL_TYPES: Record<ColType, string> = {
  varchar: 'varchar',
  timestamp: 'timestamp',
  decimal: 'decimal(12,2)',
  integer: 'integer',
};

// ---------------------------------------------------------------------------------------------
// Identifier spelling

const FIRST = ['ana', 'ben', 'carla', 'dev', 'elena', 'femi', 'grace', 'hiro', 'ines', 'jonas', 'kim', 'lea', 'marco', 'nina', 'omar', 'priya', 'quinn', 'rosa', 'sam', 'tariq', 'uma', 'victor', 'wen', 'yara', 'zoe'];
const LAST = ['silva', 'meyer', 'okafor', 'tanaka', 'novak', 'garcia', 'smith', 'kowalski', 'rossi', 'haddad', 'nguyen', 'larsen', 'dubois', 'ivanova', 'patel', 'cohen'];
const DOMAINS = ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'proton.me', 'fastmail.com'];
const WORK_DOMAINS = ['acme.io', 'globex.com', 'initech.net', 'umbrella.co', 'hooli.com'];

/** Random case and surrounding spaces; lower(trim(x)) is the original (lowercase) email. */
function messEmail(rng: Rng, email: string): string {
  let s = email;
  const r = rng();
  if (r < 0.15) s = s.toUpperCase();
  else if (r < 0.35) s = s.replace(/(^|[.@])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
  else if (r < 0.45) s = Array.from(s, (c) => (rng() < 0.5 ? c.toUpperCase() : c)).join('');
  const w = rng();
  if (w < 0.1) s = ` ${s} `;
  else if (w < 0.15) s = `${s}  `;
  else if (w < 0.2) s = `  ${s}`;
  return s;
}

/** One of five spellings of a 10-digit US number; all normalise to '1' + digits. */
function messPhone(rng: Rng, d10: string): string {
  const a = d10.slice(0, 3);
  const b = d10.slice(3, 6);
  const c = d10.slice(6);
  switch (int(rng, 0, 5)) {
    case 0:
      return `${a}-${b}-${c}`;
    case 1:
      return `(${a}) ${b}-${c}`;
    case 2:
      return `+1 ${a} ${b} ${c}`;
    case 3:
      return d10;
    case 4:
      return `1-${a}-${b}-${c}`;
    default:
      return ` ${a}.${b}.${c} `;
  }
}

/** Trim-normalised ids: occasionally surrounded by spaces. */
function messTrim(rng: Rng, v: string): string {
  return rng() < 0.04 ? ` ${v} ` : v;
}

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex8 = (n: number): string => HEX2[(n >>> 24) & 255]! + HEX2[(n >>> 16) & 255]! + HEX2[(n >>> 8) & 255]! + HEX2[n & 255]!;
const hex4 = (n: number): string => HEX2[(n >>> 8) & 255]! + HEX2[n & 255]!;

/** A UUID-shaped id whose last 12 hex digits are a global counter, so it is unique. */
function uuidLike(rng: Rng, counter: number): string {
  const r1 = Math.floor(rng() * 4294967296);
  const r2 = Math.floor(rng() * 4294967296);
  const hi = Math.floor(counter / 4294967296);
  return `${hex8(r1)}-${hex4(r2 >>> 16)}-4${hex4(r2).slice(1)}-${hex4(0x8000 | (r1 & 0x3fff))}-${hex4(hi)}${hex8(counter)}`;
}

// ---------------------------------------------------------------------------------------------
// Generation

const DAY = 86_400;
const NOW_S = Math.floor(DEMO_NOW / 1000);
const START_S = NOW_S - 365 * DAY;

interface Person {
  emails: string[]; // normalised
  phone: string | null; // 10 national digits
  userId: string | null;
  anonIds: string[];
  devices: string[];
  paymentsId: string | null;
}

const WEB_EVENTS = ['page', 'page', 'page', 'Product Viewed', 'Product Added', 'Checkout Started', 'Products Searched'];
const APP_EVENTS = ['Application Opened', 'Application Backgrounded', 'Product Viewed', 'Screen Viewed', 'Cart Viewed'];
const PRIORITIES = ['low', 'normal', 'normal', 'high', 'urgent'];
const PLANS = [999, 1999, 3000, 4999];

/** Streams one table's rows to a CSV file (strings always quoted, so '' and NULL stay apart). */
class CsvSink {
  count = 0;
  // Lines are encoded into a fixed buffer at once, so they die young (no old-generation GC churn).
  private readonly buf = Buffer.allocUnsafe(1 << 20);
  private off = 0;
  private readonly fd: number;
  private readonly types: readonly ColType[];

  constructor(
    readonly def: TableDef,
    readonly path: string,
  ) {
    this.fd = openSync(path, 'w');
    this.types = def.columns.map(([, t]) => t);
  }

  push(row: readonly Cell[]): void {
    let line = '';
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (c > 0) line += ',';
      if (v === null || v === undefined) continue;
      switch (this.types[c]) {
        case 'varchar': {
          const s = v as string;
          line += s.includes('"') ? `"${s.replace(/"/g, '""')}"` : `"${s}"`;
          break;
        }
        case 'decimal': {
          const cents = v as number;
          line += `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
          break;
        }
        default:
          line += String(v);
      }
    }
    line += '\n';
    if (this.off + 3 * line.length > this.buf.length) this.flush();
    if (3 * line.length > this.buf.length) writeSync(this.fd, line);
    else this.off += this.buf.write(line, this.off, 'utf8');
    this.count++;
  }

  flush(): void {
    if (this.off > 0) writeSync(this.fd, this.buf, 0, this.off);
    this.off = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

class Writer {
  readonly sinks: Record<TableName, CsvSink>;
  private counters = { web: 0, app: 0, order: 0, payment: 0, ticket: 0, anon: 0, device: 0 };

  constructor(
    private readonly rng: Rng,
    dir: string,
  ) {
    this.sinks = Object.fromEntries(
      (Object.keys(TABLES) as TableName[]).map((t) => [t, new CsvSink(TABLES[t], join(dir, `${t}.csv`))]),
    ) as Record<TableName, CsvSink>;
  }

  nextAnon(): string {
    return uuidLike(this.rng, ++this.counters.anon);
  }
  nextDevice(): string {
    return uuidLike(this.rng, 0x10000000 + ++this.counters.device).toUpperCase();
  }
  web(anon: string | null, userId: string | null, email: string | null, event: string, ts: number): void {
    this.sinks.web_events.push([uuidLike(this.rng, ++this.counters.web), anon, userId, email, event, ts]);
  }
  app(device: string | null, userId: string | null, phone: string | null, email: string | null, event: string, ts: number): void {
    this.sinks.app_events.push([uuidLike(this.rng, ++this.counters.app), device, userId, phone, email, event, ts]);
  }
  order(email: string | null, cents: number, status: 'paid' | 'refunded', ts: number): void {
    this.sinks.orders.push([`ord_${String(++this.counters.order).padStart(7, '0')}`, email, cents, status, ts]);
  }
  payment(paymentsId: string | null, phone: string | null, cents: number, ts: number): void {
    this.sinks.payments.push([`pay_${String(++this.counters.payment).padStart(7, '0')}`, paymentsId, phone, cents, ts]);
  }
  ticket(email: string | null, priority: string, ts: number): void {
    this.sinks.support_tickets.push([`tkt_${String(++this.counters.ticket).padStart(6, '0')}`, email, priority, ts]);
  }
}

function makePerson(p: number, rng: Rng, w: Writer): Person {
  const first = pick(rng, FIRST);
  const last = pick(rng, LAST);
  const emails = [`${first}.${last}.${p}@${pick(rng, DOMAINS)}`];
  if (rng() < 0.3) emails.push(`${first[0]}${last}${p}@${pick(rng, WORK_DOMAINS)}`);
  const hasPhone = rng() < 0.45;
  // A bijection of p mod 1e9 (104729 is coprime to 10) behind a first digit other than 6: unique,
  // never all zeros, never the brief's 650-672-5618.
  const phone = hasPhone ? `${pick(rng, ['2', '3', '4', '5', '7', '8', '9'])}${String((p * 104729 + 12345) % 1e9).padStart(9, '0')}` : null;
  const userId = rng() < 0.7 ? `usr_${(Math.imul(p, 0x9e3779b1) >>> 0).toString(36).padStart(7, '0')}` : null;
  const anonIds = Array.from({ length: int(rng, 1, 3) }, () => w.nextAnon());
  const nDevices = hasPhone ? int(rng, 1, 2) : rng() < 0.25 ? 1 : 0;
  const devices = Array.from({ length: nDevices }, () => w.nextDevice());
  // Payments only with a phone: payments rows carry payments_id and phone, nothing else.
  const paymentsId = hasPhone && rng() < 0.5 ? `4${String((p * 1000003 + 777) % 1e15).padStart(15, '0')}`.replace(/(\d{4})(?=\d)/g, '$1-') : null;
  return { emails, phone, userId, anonIds, devices, paymentsId };
}

/** Maybe replace a null (or, for noise, optional) column with a junk value. */
function junkOr<T>(rng: Rng, v: T, rate = 0.03): T | string {
  return rng() < rate ? pick(rng, DEMO_JUNK_VALUES) : v;
}

/** Rows of one ordinary person; returns revenue in cents. */
function writePerson(p: Person, rng: Rng, w: Writer): number {
  const t0 = int(rng, START_S, NOW_S - 3 * DAY);
  const at = (): number => int(rng, t0, NOW_S - 1);
  const email = (): string => messEmail(rng, pick(rng, p.emails));
  let cents = 0;

  // Link rows: each anonymous id with the first email (the first also with the user id).
  p.anonIds.forEach((a, i) => {
    w.web(messTrim(rng, a), i === 0 && p.userId ? messTrim(rng, p.userId) : null, messEmail(rng, p.emails[0]!), pick(rng, ['Signed In', 'Signed Up', 'Identify']), at());
  });
  if (p.emails[1]) w.web(p.anonIds[0]!, null, messEmail(rng, p.emails[1]), 'Newsletter Subscribed', at());
  // Link rows: each device with the first email (the first also with user id and phone).
  p.devices.forEach((d, i) => {
    w.app(d, i === 0 && p.userId ? p.userId : null, i === 0 && p.phone ? messPhone(rng, p.phone) : null, messEmail(rng, p.emails[0]!), 'Signed In', at());
  });

  // Noise rows: one real identifier (sometimes two), a few % with junk in the other columns.
  for (let k = int(rng, 1, 12); k > 0; k--) {
    const hasUser = p.userId !== null && rng() < 0.3;
    w.web(pick(rng, p.anonIds), hasUser ? p.userId : junkOr(rng, null), rng() < 0.08 ? email() : junkOr(rng, null), pick(rng, WEB_EVENTS), at());
  }
  if (p.devices.length > 0) {
    for (let k = int(rng, 0, 8); k > 0; k--) {
      const phone = p.phone && rng() < 0.2 ? messPhone(rng, p.phone) : junkOr(rng, null);
      w.app(pick(rng, p.devices), p.userId && rng() < 0.3 ? p.userId : null, phone, rng() < 0.1 ? email() : junkOr(rng, null), pick(rng, APP_EVENTS), at());
    }
  }
  const nOrders = rng() < 0.6 ? int(rng, 1, 4) : 0;
  for (let k = 0; k < nOrders; k++) {
    const amount = int(rng, 500, 30000);
    const status = rng() < 0.9 ? 'paid' : 'refunded';
    if (status === 'paid') cents += amount;
    const ts = at();
    w.order(email(), amount, status, ts);
    w.web(pick(rng, p.anonIds), p.userId && rng() < 0.5 ? p.userId : null, rng() < 0.5 ? email() : null, 'Order Completed', ts);
  }
  if (p.paymentsId && p.phone) {
    const plan = pick(rng, PLANS);
    const months = int(rng, 1, 6);
    const first = Math.max(t0, NOW_S - months * 30 * DAY);
    for (let m = 0; m < months; m++) {
      // the first payment links payments_id and phone; later ones sometimes omit or junk the phone
      const phone = m === 0 || rng() < 0.5 ? messPhone(rng, p.phone) : junkOr(rng, null, 0.1);
      w.payment(messTrim(rng, p.paymentsId), phone, plan, Math.min(first + m * 30 * DAY + int(rng, 0, 3600), NOW_S - 1));
      cents += plan;
    }
  }
  if (rng() < 0.2) {
    for (let k = int(rng, 1, 2); k > 0; k--) w.ticket(email(), pick(rng, PRIORITIES), at());
  }
  return cents;
}

/** Rows that carry only junk (or nulls) in every id column: they must link nobody. */
function writeJunkRows(rng: Rng, w: Writer, n: number): void {
  const j = (): string => pick(rng, DEMO_JUNK_VALUES);
  for (let i = 0; i < n; i++) {
    const ts = int(rng, START_S, NOW_S - 1);
    switch (i % 5) {
      case 0:
        w.web(j(), rng() < 0.5 ? j() : null, rng() < 0.5 ? j() : null, 'page', ts);
        break;
      case 1:
        w.app(j(), null, rng() < 0.5 ? j() : null, rng() < 0.5 ? j() : null, 'Application Opened', ts);
        break;
      case 2:
        w.order(j(), int(rng, 500, 5000), 'paid', ts);
        break;
      case 3:
        w.payment(j(), rng() < 0.5 ? j() : null, 999, ts);
        break;
      default:
        w.ticket(j(), 'low', ts);
    }
  }
}

/** The brief's person (person 0): website purchase, then the app with a phone, then a subscription. */
function writeRob(w: Writer): { person: Person; cents: number } {
  const anon = w.nextAnon();
  const device = w.nextDevice();
  const ts = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
  w.web(anon, null, null, 'page', ts('2026-03-14T09:58:12Z'));
  w.web(anon, null, null, 'Product Viewed', ts('2026-03-14T10:01:40Z'));
  w.web(anon, null, ' Rob@RudderStack.com ', 'Order Completed', ts('2026-03-14T10:04:05Z'));
  w.order(' Rob@RudderStack.com ', 10000, 'paid', ts('2026-03-14T10:04:03Z'));
  w.app(device, null, null, null, 'Application Installed', ts('2026-06-02T18:20:00Z'));
  w.app(device, null, '650-672-5618', 'rob@rudderstack.com', 'Signed In', ts('2026-06-02T18:21:30Z'));
  w.app(device, null, null, null, 'Application Opened', ts('2026-10-20T07:45:00Z'));
  w.payment('8967-1324-5126-0897', '(650) 672-5618', 3000, ts('2026-07-01T00:00:05Z'));
  return {
    person: { emails: [DEMO_ROB.email], phone: '6506725618', userId: null, anonIds: [anon], devices: [device], paymentsId: DEMO_ROB.paymentsId },
    cents: 13000,
  };
}

function groundTruthOf(personIndex: number, p: Person): DemoGroundTruthIdentifier[] {
  const out: DemoGroundTruthIdentifier[] = p.emails.map((value) => ({ personIndex, idType: 'email', value }));
  if (p.phone) out.push({ personIndex, idType: 'phone', value: `1${p.phone}` });
  if (p.userId) out.push({ personIndex, idType: 'user_id', value: p.userId });
  for (const a of p.anonIds) out.push({ personIndex, idType: 'anonymous_id', value: a });
  for (const d of p.devices) out.push({ personIndex, idType: 'device_id', value: d });
  if (p.paymentsId) out.push({ personIndex, idType: 'payments_id', value: p.paymentsId });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing to DuckDB

const CSV_TYPES: Record<ColType, string> = { varchar: 'VARCHAR', timestamp: 'BIGINT', decimal: 'DECIMAL(12,2)', integer: 'INTEGER' };

/** SQL that creates raw.<table> from its CSV (timestamps are written as epoch seconds). */
function loadSql(def: TableDef, csvPath: string): string {
  const columns = def.columns.map(([, t], i) => `'c${i}': '${CSV_TYPES[t]}'`).join(', ');
  const select = def.columns
    .map(([n, t], i) => (t === 'timestamp' ? `make_timestamp(c${i} * 1000000) as "${n}"` : `c${i} as "${n}"`))
    .join(', ');
  const ddl = def.columns.map(([n, t]) => `"${n}" ${SQL_TYPES[t]}`).join(', ');
  const file = csvPath.replace(/'/g, "''");
  return `drop table if exists raw.${def.name};
    create table raw.${def.name} (${ddl});
    insert into raw.${def.name}
    select ${select}
    from read_csv('${file}', header = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false,
                  auto_detect = false, columns = {${columns}})`;
}

/**
 * Create (or replace) the demo tables in schema `raw` of the DuckDB file at `dbPath`, and return the
 * ground truth. The database is closed (unlocked) when the promise resolves.
 */
export async function createDemoData(dbPath: string, opts: DemoDataOptions = {}): Promise<DemoGroundTruth> {
  const customers = opts.customers ?? DEMO_DEFAULT_CUSTOMERS;
  const seed = opts.seed ?? DEMO_DEFAULT_SEED;
  if (!Number.isInteger(customers) || customers < 1) throw new Error(`createDemoData: customers must be a positive integer, got ${customers}`);
  if (customers > 100_000_000) throw new Error(`createDemoData: at most 100,000,000 customers, got ${customers}`);
  if (!Number.isInteger(seed)) throw new Error(`createDemoData: seed must be an integer, got ${seed}`);

  const rng = mulberry32(seed);
  const dir = mkdtempSync(join(tmpdir(), 'c360-demo-'));
  try {
    const w = new Writer(rng, dir);
    const identifiers: DemoGroundTruthIdentifier[] = [];
    const revenueCents: number[] = new Array<number>(customers);

    const rob = writeRob(w);
    identifiers.push(...groundTruthOf(0, rob.person));
    revenueCents[0] = rob.cents;
    for (let i = 1; i < customers; i++) {
      const person = makePerson(i, rng, w);
      revenueCents[i] = writePerson(person, rng, w);
      identifiers.push(...groundTruthOf(i, person));
    }
    writeJunkRows(rng, w, Math.max(5, Math.round(customers * 0.02)));
    for (const g of identifiers) w.sinks.ground_truth_identifiers.push([g.personIndex, g.idType, g.value]);
    revenueCents.forEach((c, i) => w.sinks.ground_truth_persons.push([i, c]));

    const rowCounts: Record<string, number> = {};
    for (const sink of Object.values(w.sinks)) {
      sink.close();
      rowCounts[`raw.${sink.def.name}`] = sink.count;
    }

    mkdirSync(dirname(dbPath), { recursive: true });
    const instance = await DuckDBInstance.create(dbPath);
    try {
      const conn = await instance.connect();
      try {
        await conn.run('create schema if not exists raw');
        for (const sink of Object.values(w.sinks)) await conn.run(loadSql(sink.def, sink.path));
        await conn.run('checkpoint');
      } finally {
        conn.closeSync();
      }
    } finally {
      instance.closeSync();
    }

    return {
      persons: customers,
      identifiers,
      revenueByPerson: revenueCents.map((c) => c / 100),
      rowCounts,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
