// Test support: a throwaway PostgreSQL server on loopback (Debian's server binaries, found under
// /usr/lib/postgresql/<version>/bin or through pg_config), one per test file, and the psql client
// to load tables into it and read results back. As root the server runs as the `postgres` user
// (PostgreSQL refuses root). scripts/setup.sh installs the binaries; a machine without them fails
// the test with how to install them, it does not skip.

import { execa } from 'execa';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { withDuckDb } from '../../src/warehouse/duckdb.js';
import { postgresTypeOf } from '../../src/warehouse/postgres.js';
import { tempDir } from './tmp.js';

export interface PgServer {
  port: number;
  /** The environment the generated profiles.yml reads for its postgres target. */
  env: Record<string, string>;
  /** Run SQL in `database` (psql, stops at the first error); rows as arrays of text, null as null. */
  query: (sql: string, database?: string) => Promise<(string | null)[][]>;
  /** Run a psql script (meta-commands such as \copy allowed) in `database`. */
  script: (text: string, database?: string) => Promise<void>;
  stop: () => Promise<void>;
}

const NULL = '\u0001null\u0001';

function pgBinDir(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(root, versions[0], 'bin');
  }
  throw new Error(
    'no PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin/initdb): the Postgres tests start a throwaway server; ' +
      'install them with `bash scripts/setup.sh` (as root it runs `apt-get install postgresql`)',
  );
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export async function startPostgres(database = 'c360'): Promise<PgServer> {
  const bin = pgBinDir();
  const dir = tempDir('pg');
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root: its files and process belong to the postgres user then
  const owner = asRoot ? statOwner('postgres') : null;
  mkdirSync(data);
  if (owner) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(data, owner.uid, owner.gid);
  }
  const run = (cmd: string, args: string[]) =>
    asRoot ? execa('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { all: true }) : execa(join(bin, cmd), args, { all: true });
  await run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
  const port = await freePort();
  const options = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'];
  await run('pg_ctl', ['-D', data, '-o', options.join(' '), '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  const psqlArgs = (db: string) => ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-q'];
  const psql = join(bin, 'psql');
  const server: PgServer = {
    port,
    env: {
      C360_PG_HOST: '127.0.0.1',
      C360_PG_PORT: String(port),
      C360_PG_USER: 'postgres',
      C360_PG_PASSWORD: '',
      C360_PG_DATABASE: database,
    },
    async query(sql, db = database) {
      // the SQL goes through stdin: a long statement (a big insert) is over the limit of one argument
      const r = await execa(psql, [...psqlArgs(db), '-At', '-F', '\t', '-P', `null=${NULL}`, '-f', '-'], { input: sql, reject: false, all: true });
      if (r.exitCode !== 0) throw new Error(`psql failed (${r.exitCode}) on:\n${sql}\n${r.all}`);
      return r.stdout === '' ? [] : r.stdout.split('\n').map((line) => line.split('\t').map((v) => (v === NULL ? null : v)));
    },
    async script(text, db = database) {
      const r = await execa(psql, [...psqlArgs(db), '-f', '-'], { input: text, reject: false, all: true });
      if (r.exitCode !== 0) throw new Error(`psql failed (${r.exitCode}):\n${r.all}`);
    },
    async stop() {
      await run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.query(`create database ${database}`, 'postgres');
  return server;
}

function statOwner(user: string): { uid: number; gid: number } {
  // the postgres user's home (created by Debian's package) tells its uid and gid
  const home = '/var/lib/postgresql';
  if (!existsSync(home)) throw new Error(`running as root, and there is no ${user} user to run PostgreSQL as (install Debian's postgresql package)`);
  const s = statSync(home);
  return { uid: s.uid, gid: s.gid };
}

/** Copy `tables` ('schema.table') from a DuckDB file into the server (same names and columns), through CSV. */
export async function copyFromDuckDb(pg: PgServer, dbPath: string, tables: string[]): Promise<void> {
  const dir = tempDir('pg-copy');
  try {
    const lines: string[] = [];
    await withDuckDb(dbPath, async (db) => {
      for (const t of tables) {
        const [schema, table] = t.split('.');
        const cols = await db.query(
          `select column_name, data_type from information_schema.columns where table_schema = '${schema}' and table_name = '${table}' order by ordinal_position`,
        );
        if (cols.length === 0) throw new Error(`copyFromDuckDb: no table ${t} in ${dbPath}`);
        const file = join(dir, `${t}.csv`);
        await db.query(`copy ${t} to '${file}' (header, format csv)`);
        const columns = cols.map((c) => `${c.column_name} ${postgresTypeOf(String(c.data_type), `${t}.${c.column_name}`)}`);
        lines.push(`create schema if not exists ${schema};`, `drop table if exists ${t};`, `create table ${t} (${columns.join(', ')});`, `\\copy ${t} from '${file}' csv header`);
      }
    });
    await pg.script(lines.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
