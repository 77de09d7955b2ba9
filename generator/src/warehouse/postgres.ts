// A small PostgreSQL client for reading what a build produced (explain), connected the way the
// generated profiles.yml's postgres target is: C360_PG_* environment variables only.

import pg from 'pg';
import type { Row } from './duckdb.js';

export interface PgConnection {
  host: string;
  port: number;
  user: string | undefined;
  password: string;
  database: string | undefined;
  /** The schema the project built into: C360_PG_SCHEMA, else the spec's warehouse.schema. */
  schema: string;
}

/** The postgres target's connection, as profiles.yml reads it from the environment. */
export function pgConnection(env: NodeJS.ProcessEnv, defaultSchema: string): PgConnection {
  return {
    host: env.C360_PG_HOST || 'localhost',
    port: Number(env.C360_PG_PORT || '5432'),
    user: env.C360_PG_USER || undefined,
    password: env.C360_PG_PASSWORD ?? '',
    database: env.C360_PG_DATABASE || undefined,
    schema: env.C360_PG_SCHEMA || defaultSchema,
  };
}

/** The settings without a default that the connection lacks (C360_PG_USER, C360_PG_DATABASE). */
export function missingPgSettings(c: PgConnection): string[] {
  return [!c.user && 'C360_PG_USER', !c.database && 'C360_PG_DATABASE'].filter((v): v is string => Boolean(v));
}

const PG_TYPES: Record<string, string> = {
  VARCHAR: 'text',
  TIMESTAMP: 'timestamp',
  INTEGER: 'integer',
  BIGINT: 'bigint',
  DOUBLE: 'double precision',
  BOOLEAN: 'boolean',
  DATE: 'date',
};

/**
 * The PostgreSQL column type of a DuckDB one (as information_schema.columns names it), for copies;
 * `column` (table.column) names it in the error when there is none.
 */
export function postgresTypeOf(duckType: string, column: string): string {
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(duckType);
  const t = decimal ? `numeric(${decimal[1]},${decimal[2]})` : PG_TYPES[duckType];
  if (!t) throw new Error(`no PostgreSQL type for ${column} ${duckType}`);
  return t;
}

/** host:port/database (schema), for messages; never the password. */
export const describePg = (c: PgConnection) => `postgres ${c.host}:${c.port}/${c.database ?? '?'} (schema ${c.schema})`;

/**
 * Connect, run `fn`, and always disconnect. Rows come back as DuckDB's client gives them: bigint and
 * counts as numbers when they fit, timestamps and other values as their text.
 */
export async function withPostgres<T>(c: PgConnection, fn: (db: { query(sql: string, params?: unknown[]): Promise<Row[]> }) => Promise<T>): Promise<T> {
  const missing = missingPgSettings(c);
  if (missing.length > 0) throw new Error(`set ${missing.join(' and ')} (the postgres target's connection comes from C360_PG_* variables)`);
  const client = new pg.Client({
    host: c.host,
    port: c.port,
    user: c.user,
    password: c.password,
    database: c.database,
    // every value as text, as the server prints it (timestamps included): no client time zone
    types: { getTypeParser: () => (v: string) => v },
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  try {
    return await fn({
      async query(sql: string, params?: unknown[]) {
        const r = await client.query(sql, params);
        return r.rows.map((row: Row) => toPlainNumbers(row, r.fields));
      },
    });
  } finally {
    await client.end();
  }
}

const INTEGER_TYPES = new Set([20, 21, 23]); // int8, int2, int4

function toPlainNumbers(row: Row, fields: { name: string; dataTypeID: number }[]): Row {
  for (const f of fields) {
    const v = row[f.name];
    if (typeof v === 'string' && INTEGER_TYPES.has(f.dataTypeID) && Number.isSafeInteger(Number(v))) row[f.name] = Number(v);
  }
  return row;
}
