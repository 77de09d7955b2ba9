// A small DuckDB client for reading what a build produced (summaries, explain, tests).

import { DuckDBInstance } from '@duckdb/node-api';

export type Row = Record<string, unknown>;

export interface DuckDbClient {
  query(sql: string): Promise<Row[]>;
}

/** Open the database, run `fn`, and always close it again (dbt needs the file lock back). */
export async function withDuckDb<T>(path: string, fn: (db: DuckDbClient) => Promise<T>, readOnly = true): Promise<T> {
  const instance = await DuckDBInstance.create(path, readOnly ? { access_mode: 'READ_ONLY' } : {});
  const conn = await instance.connect();
  try {
    return await fn({
      async query(sql: string) {
        const reader = await conn.runAndReadAll(sql);
        return (reader.getRowObjectsJS() as Row[]).map(toPlainNumbers);
      },
    });
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** BIGINT comes back as bigint; counts and ids that fit are easier to use as numbers. */
function toPlainNumbers(row: Row): Row {
  for (const [k, v] of Object.entries(row)) {
    if (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)) {
      row[k] = Number(v);
    }
  }
  return row;
}
