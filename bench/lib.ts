// Shared bench helpers: a DuckDB session, timers, reading edges into typed arrays, union-find.

import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

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

/** Int edges: two columns that fit INTEGER (node ids), streamed chunk by chunk into Int32Arrays. */
export async function readIntPairs(db: Db, sql: string): Promise<{ a: Int32Array; b: Int32Array; n: number }> {
  const count = await db.scalar(`select count(*) from (${sql})`);
  const a = new Int32Array(count);
  const b = new Int32Array(count);
  const result = await db.conn.stream(`select cast(x as integer), cast(y as integer) from (${sql}) as q(x, y)`);
  let n = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const va = chunk.getColumnVector(0);
    const vb = chunk.getColumnVector(1);
    const m = chunk.rowCount;
    for (let i = 0; i < m; i++) {
      a[n] = va.getItem(i) as number;
      b[n] = vb.getItem(i) as number;
      n++;
    }
  }
  return { a, b, n };
}

/** String edges: two VARCHAR columns, streamed into two string arrays. */
export async function readStringPairs(db: Db, sql: string): Promise<{ a: string[]; b: string[]; n: number }> {
  const a: string[] = [];
  const b: string[] = [];
  const result = await db.conn.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const va = chunk.getColumnVector(0);
    const vb = chunk.getColumnVector(1);
    const m = chunk.rowCount;
    for (let i = 0; i < m; i++) {
      a.push(va.getItem(i) as string);
      b.push(vb.getItem(i) as string);
    }
  }
  return { a, b, n: a.length };
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

/** Components of string edges: strings interned to ints first. */
export function unionFindStrings(a: string[], b: string[], n: number): { index: Map<string, number>; root: Int32Array; components: number } {
  const index = new Map<string, number>();
  const ia = new Int32Array(n);
  const ib = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let x = index.get(a[i]);
    if (x === undefined) index.set(a[i], (x = index.size));
    let y = index.get(b[i]);
    if (y === undefined) index.set(b[i], (y = index.size));
    ia[i] = x;
    ib[i] = y;
  }
  const uf = new UnionFind(index.size);
  for (let i = 0; i < n; i++) uf.union(ia[i], ib[i]);
  const root = new Int32Array(index.size);
  let components = 0;
  for (let v = 0; v < index.size; v++) {
    root[v] = uf.find(v);
    if (root[v] === v) components++;
  }
  return { index, root, components };
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
