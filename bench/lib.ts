// Shared bench helpers: a DuckDB session, timers, reading edges into typed arrays, interning
// identifiers, union-find, generating the graph database, appending results.

import { DuckDBConnection, DuckDBDataChunk, DuckDBInstance } from '@duckdb/node-api';
// the C-API bindings under @duckdb/node-api (same version, always installed with it): raw vector
// memory, so VARCHARs can be read without a JS string per value
import duckdb from '@duckdb/node-bindings';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { type GraphSize, graphSql, parseSizesArg } from './graph.js';

export interface Db {
  conn: DuckDBConnection;
  run(sql: string): Promise<void>;
  rows(sql: string): Promise<Record<string, unknown>[]>;
  scalar(sql: string): Promise<number>;
  close(): void;
}

export async function openDb(path: string, options: Record<string, string> = {}): Promise<Db> {
  const instance = await DuckDBInstance.create(path, options);
  const conn = await instance.connect();
  return {
    conn,
    async run(sql) {
      await conn.run(sql);
    },
    async rows(sql) {
      const r = await conn.runAndReadAll(sql);
      return r.getRowObjectsJS() as Record<string, unknown>[];
    },
    async scalar(sql) {
      const r = await conn.runAndReadAll(sql);
      const v = r.getRows()[0]?.[0];
      return Number(v);
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Copies a database file and waits until the copy is on disk: a timed run right after a plain copy
 * shares the machine with the kernel writing the copy back (~1.4 GB at 10M), which no user's run does
 * (on this machine that added ~0.1 s to a ~6.7 s incremental run).
 */
export function copyDurably(from: string, to: string): void {
  copyFileSync(from, to);
  const fd = openSync(to, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Restores a database file from a copy (durably) and drops a stale WAL. */
export function restoreDb(copy: string, dbPath: string): void {
  rmSync(`${dbPath}.wal`, { force: true });
  copyDurably(copy, dbPath);
}

export function now(): number {
  return performance.now() / 1000;
}

export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = now();
  const v = await fn();
  return [v, now() - t];
}

export function fmtS(s: number): string {
  return s >= 100 ? s.toFixed(0) : s >= 10 ? s.toFixed(1) : s.toFixed(2);
}

export function fmtN(n: number): string {
  return n.toLocaleString('en-US');
}

export function fmtMiB(kib: number | null): string {
  if (kib === null || !Number.isFinite(kib)) return '—';
  return kib >= 1024 * 1024 ? `${(kib / 1024 / 1024).toFixed(2)} GiB` : `${(kib / 1024).toFixed(0)} MiB`;
}

/** This process's peak RSS in KiB (Linux VmHWM). */
export function selfPeakKiB(): number {
  return process.resourceUsage().maxRSS;
}

// ---------------------------------------------------------------------------------------------
// Reading edges

/**
 * Int edges: two columns that fit INTEGER (node ids, no nulls), streamed chunk by chunk and copied
 * from DuckDB's vectors into Int32Arrays in bulk.
 */
export async function readIntPairs(db: Db, sql: string): Promise<{ a: Int32Array; b: Int32Array; n: number }> {
  const pairs = new IntPairs();
  const result = await db.conn.stream(`select cast(x as integer), cast(y as integer) from (${sql}) as q(x, y)`);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const m = chunk.rowCount;
    pairs.reserve(m);
    for (let col = 0; col < 2; col++) {
      const vector = duckdb.data_chunk_get_vector(chunk.chunk, col);
      const validity = duckdb.vector_get_validity(vector, Math.ceil(m / 64) * 8);
      if (validity) for (let r = 0; r < m; r++) if (!(validity[r >> 3] & (1 << (r & 7)))) throw new Error(`readIntPairs: null in column ${col} of ${sql}`);
      const data = duckdb.vector_get_data(vector, m * 4);
      (col === 0 ? pairs.a : pairs.b).set(new Int32Array(data.buffer, data.byteOffset, m), pairs.n);
    }
    pairs.n += m;
  }
  return pairs;
}

/** Growable pair of Int32Arrays. */
class IntPairs {
  a = new Int32Array(1 << 16);
  b = new Int32Array(1 << 16);
  n = 0;
  reserve(m: number): void {
    if (this.n + m <= this.a.length) return;
    const cap = Math.max(this.a.length * 2, this.n + m);
    const a = new Int32Array(cap);
    a.set(this.a.subarray(0, this.n));
    this.a = a;
    const b = new Int32Array(cap);
    b.set(this.b.subarray(0, this.n));
    this.b = b;
  }
}

// ---------------------------------------------------------------------------------------------
// Identifiers as bytes: interned straight from DuckDB's string vectors, no JS string per value

/**
 * Exact interning of byte strings (UTF-8, as DuckDB stores VARCHAR) tagged with a small type code,
 * to dense ids 0..size-1: open addressing on a 32-bit hash, keys compared byte for byte against an
 * arena. A JS `Map<string, number>` over the same keys costs a string per value (decoded from
 * DuckDB's bytes) plus ~1 µs per lookup at a million keys; this takes about half the CPU time
 * (bench/README.md) and holds no JS object per key.
 */
export class ByteInterner {
  size = 0;
  private arena = new Uint8Array(1 << 22);
  private used = 0;
  private starts = new Int32Array(1 << 16); // id's key is arena[starts[id] .. starts[id + 1])
  private table = new Int32Array(2 << 17); // slot i: [2i] hash, [2i + 1] id + 1 (0 = empty)
  private mask = (1 << 17) - 1;

  /** The id of (tag, buf[off .. off + len)); a new id when absent and `insert`, else -1. */
  id(tag: number, buf: Uint8Array, off: number, len: number, insert = true): number {
    // FNV-1a over tag and bytes, then murmur3's finaliser
    let h = Math.imul(0x811c9dc5 ^ tag, 0x01000193);
    for (let k = 0; k < len; k++) h = Math.imul(h ^ buf[off + k], 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const table = this.table;
    const arena = this.arena;
    let i = h & this.mask;
    for (;;) {
      const s = table[2 * i + 1];
      if (s === 0) break;
      if (table[2 * i] === h) {
        const start = this.starts[s - 1];
        if (this.starts[s] - start === len + 1 && arena[start] === tag) {
          let k = 0;
          while (k < len && arena[start + 1 + k] === buf[off + k]) k++;
          if (k === len) return s - 1;
        }
      }
      i = (i + 1) & this.mask;
    }
    if (!insert) return -1;
    const id = this.size++;
    if (this.used + len + 1 > this.arena.length) {
      const a = new Uint8Array(Math.max(this.arena.length * 2, this.used + len + 1));
      a.set(this.arena.subarray(0, this.used));
      this.arena = a;
    }
    if (id + 2 > this.starts.length) {
      const st = new Int32Array(this.starts.length * 2);
      st.set(this.starts);
      this.starts = st;
    }
    this.arena[this.used] = tag;
    this.arena.set(buf.subarray(off, off + len), this.used + 1);
    this.used += len + 1;
    this.starts[id + 1] = this.used;
    table[2 * i] = h;
    table[2 * i + 1] = id + 1;
    if (4 * this.size > table.length) this.grow(); // load factor 1/2
    return id;
  }

  private grow(): void {
    const old = this.table;
    const table = new Int32Array(old.length * 2);
    const mask = table.length / 2 - 1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j + 1] === 0) continue;
      let i = old[j] & mask;
      while (table[2 * i + 1] !== 0) i = (i + 1) & mask;
      table[2 * i] = old[j];
      table[2 * i + 1] = old[j + 1];
    }
    this.table = table;
    this.mask = mask;
  }

  /** The key of `id` as (tag, string). */
  key(id: number): [number, string] {
    const start = this.starts[id];
    return [this.arena[start], new TextDecoder().decode(this.arena.subarray(start + 1, this.starts[id + 1]))];
  }
}

/**
 * The ids of a chunk's (type code UTINYINT, value VARCHAR) column pair, row by row into
 * `out[at ..]` (inserted when `insert`, else -1 when absent); values must not be null. A string of up to 12 bytes is inlined in DuckDB's 16-byte string_t (read in
 * place); a longer one is copied out with one call.
 */
function internColumns(ids: ByteInterner, chunk: DuckDBDataChunk, typeCol: number, valueCol: number, out: Int32Array, at: number, insert: boolean): void {
  const m = chunk.rowCount;
  const types = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, typeCol), m);
  const values = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, valueCol), m * 16);
  const lens = new Uint32Array(values.buffer, values.byteOffset, m * 4);
  for (let r = 0; r < m; r++) {
    const len = lens[r * 4];
    out[at + r] =
      len <= 12
        ? ids.id(types[r], values, r * 16 + 4, len, insert)
        : ids.id(types[r], duckdb.get_data_from_pointer(values.buffer as ArrayBuffer, values.byteOffset + r * 16 + 8, len), 0, len, insert);
  }
}

/**
 * SQL that packs identifier pairs `(type code, value, type code, value)` (no nulls, codes < 80)
 * into `groups` long strings, DuckDB doing the concatenation on all its threads: each id as one
 * byte `'0' + code`, its length in bytes in decimal, `:`, its bytes (length-prefixed, so any value
 * is read back exactly, separators or not).
 */
export function packedPairsSql(pairsSql: string, groups = 256): string {
  const id = (t: string, v: string) => `chr(48 + ${t}) || strlen(${v}) || ':' || ${v}`;
  return `select string_agg(${id('ta', 'va')} || ${id('tb', 'vb')}, '')
from (select ta, va, tb, vb, hash(va, vb) % ${groups} as g from (${pairsSql}) as q(ta, va, tb, vb))
group by g`;
}

/**
 * Identifier pairs `(type_a UTINYINT, value_a VARCHAR, type_b UTINYINT, value_b VARCHAR)` (no
 * nulls), fetched as `packedPairsSql`'s few long strings (one copy each instead of one call per
 * value longer than 12 bytes), parsed and interned as bytes: edges between dense node ids.
 */
export async function readPackedPairs(db: Db, pairsSql: string, groups = 256): Promise<{ ids: ByteInterner; a: Int32Array; b: Int32Array; n: number }> {
  const ids = new ByteInterner();
  const pairs = new IntPairs();
  const result = await db.conn.stream(packedPairsSql(pairsSql, groups));
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const m = chunk.rowCount;
    const vector = duckdb.data_chunk_get_vector(chunk.chunk, 0);
    const slots = duckdb.vector_get_data(vector, m * 16);
    const lens = new Uint32Array(slots.buffer, slots.byteOffset, m * 4);
    const validity = duckdb.vector_get_validity(vector, Math.ceil(m / 64) * 8);
    for (let r = 0; r < m; r++) {
      if (validity && !(validity[r >> 3] & (1 << (r & 7)))) continue; // an empty group
      const len = lens[r * 4];
      const buf = len <= 12 ? slots.subarray(r * 16 + 4, r * 16 + 4 + len) : duckdb.get_data_from_pointer(slots.buffer as ArrayBuffer, slots.byteOffset + r * 16 + 8, len);
      let p = 0;
      while (p < len) {
        pairs.reserve(1);
        for (let side = 0; side < 2; side++) {
          const tag = buf[p++] - 48;
          let n = 0;
          for (let c = buf[p++]; c !== 58; c = buf[p++]) n = n * 10 + (c - 48);
          (side === 0 ? pairs.a : pairs.b)[pairs.n] = ids.id(tag, buf, p, n);
          p += n;
        }
        pairs.n++;
      }
    }
  }
  return { ids, a: pairs.a, b: pairs.b, n: pairs.n };
}

/**
 * Rows `(type UTINYINT, value VARCHAR, label INTEGER)` looked up in `ids` (not inserted): node id
 * (-1 when absent) and label per row.
 */
export async function readInternedLabels(db: Db, sql: string, ids: ByteInterner): Promise<{ a: Int32Array; b: Int32Array; n: number }> {
  const pairs = new IntPairs();
  const result = await db.conn.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    pairs.reserve(chunk.rowCount);
    internColumns(ids, chunk, 0, 1, pairs.a, pairs.n, false);
    const labels = duckdb.vector_get_data(duckdb.data_chunk_get_vector(chunk.chunk, 2), chunk.rowCount * 4);
    pairs.b.set(new Int32Array(labels.buffer, labels.byteOffset, chunk.rowCount), pairs.n);
    pairs.n += chunk.rowCount;
  }
  return { a: pairs.a, b: pairs.b, n: pairs.n };
}

/** Components of edges over dense node ids 0..size-1: root (= min node) of every node. */
export function unionFindDense(size: number, a: Int32Array, b: Int32Array, n: number): { root: Int32Array; components: number } {
  const uf = new UnionFind(size);
  for (let i = 0; i < n; i++) uf.union(a[i], b[i]);
  const root = new Int32Array(size);
  let components = 0;
  for (let v = 0; v < size; v++) {
    root[v] = uf.find(v);
    if (root[v] === v) components++;
  }
  return { root, components };
}

// ---------------------------------------------------------------------------------------------
// Union-find: path halving, the smaller root wins, so every root is its component's minimum node.

export class UnionFind {
  readonly parent: Int32Array;
  constructor(size: number) {
    this.parent = new Int32Array(size);
    for (let i = 0; i < size; i++) this.parent[i] = i;
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }
  union(x: number, y: number): void {
    const rx = this.find(x);
    const ry = this.find(y);
    if (rx === ry) return;
    if (rx < ry) this.parent[ry] = rx;
    else this.parent[rx] = ry;
  }
}

/** Components of int edges: root (= min node) of every node that has an edge; -1 elsewhere. */
export function unionFindInt(a: Int32Array, b: Int32Array, n: number): { root: Int32Array; nodes: number; components: number } {
  let max = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] > max) max = a[i];
    if (b[i] > max) max = b[i];
  }
  const uf = new UnionFind(max + 1);
  const seen = new Uint8Array(max + 1);
  for (let i = 0; i < n; i++) {
    uf.union(a[i], b[i]);
    seen[a[i]] = 1;
    seen[b[i]] = 1;
  }
  const root = new Int32Array(max + 1).fill(-1);
  let nodes = 0;
  let components = 0;
  for (let v = 0; v <= max; v++) {
    if (!seen[v]) continue;
    const r = uf.find(v);
    root[v] = r;
    nodes++;
    if (r === v) components++;
  }
  return { root, nodes, components };
}

/** Does labelling `got` (node -> label) describe the same partition as union-find roots? */
export function samePartition(
  nodes: Int32Array,
  labels: Int32Array,
  n: number,
  root: Int32Array,
): { ok: boolean; mismatches: number; components: number } {
  // label -> root and root -> label must both be functions
  const l2r = new Map<number, number>();
  const r2l = new Map<number, number>();
  let mismatches = 0;
  for (let i = 0; i < n; i++) {
    const v = nodes[i];
    const r = v < root.length ? root[v] : -1;
    const l = labels[i];
    if (r < 0) {
      mismatches++;
      continue;
    }
    const a = l2r.get(l);
    if (a === undefined) l2r.set(l, r);
    else if (a !== r) mismatches++;
    const b = r2l.get(r);
    if (b === undefined) r2l.set(r, l);
    else if (b !== l) mismatches++;
  }
  return { ok: mismatches === 0, mismatches, components: l2r.size };
}

/** A fresh database file at `dbPath` holding the bench graph of `customers` (graph.ts), checkpointed;
 * returns the seconds the generating SQL took. */
export async function generateGraphDb(dbPath: string, customers: number): Promise<number> {
  for (const f of [dbPath, `${dbPath}.wal`]) rmSync(f, { force: true });
  const db = await openDb(dbPath);
  try {
    const [, s] = await timed(async () => {
      for (const sql of graphSql(customers)) await db.run(sql);
    });
    await db.run('checkpoint');
    return s;
  } finally {
    db.close();
  }
}

/** Appends a run's tables to bench/results/<date>-<kind>.md (several runs on one day accumulate
 * there) under a header with the machine and the command; returns the file. */
export function appendResults(kind: string, title: string, command: string, started: Date, parts: string[]): string {
  const header = [
    `# ${title}, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; command: \`${command}\` (bench/README.md explains the rows).`,
    '',
    '',
  ];
  const text = header.join('\n') + parts.join('\n\n') + '\n';
  const outDir = resolve('bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${started.toISOString().slice(0, 10)}-${kind}.md`);
  writeFileSync(file, existsSync(file) ? readFileSync(file, 'utf8') + '\n' + text : text);
  return file;
}

/**
 * The main of a bench program that runs each `--sizes` size through `benchSize` (which prints its
 * own markdown) and appends the parts to bench/results/<date>-<kind>.md.
 */
export async function runBenchSizes(kind: string, title: string, script: string, benchSize: (size: GraphSize) => Promise<string>): Promise<void> {
  const args = process.argv.slice(2);
  const sizes = parseSizesArg(args);
  const started = new Date();
  const parts: string[] = [];
  for (const size of sizes) parts.push(await benchSize(size));
  const file = appendResults(kind, title, `npm run ${script} -- ${args.join(' ')}`, started, parts);
  console.error(`written ${file}`);
}
