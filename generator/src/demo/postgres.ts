// `c360-gen demo --target postgres`: the demo data, made in DuckDB as for the default demo, copied
// into a PostgreSQL schema of the demo's own. Both schemas the demo writes carry a comment that
// says so; a schema of that name without it is someone else's, and the demo stops before touching
// anything.

import { sqlIdent, sqlLiteral } from '../explain/sql.js';
import { withDuckDb } from '../warehouse/duckdb.js';
import { type PgConnection, postgresTypeOf, withPostgres } from '../warehouse/postgres.js';
import { DEMO_PG_RAW_SCHEMA, DEMO_PG_SCHEMA } from './spec.js';

export const DEMO_SCHEMA_COMMENT = 'made by c360-gen demo: its tables are replaced by every demo run';

/** A schema the demo would write that is not the demo's: what to tell the user. */
export class DemoSchemaTaken extends Error {}

/** Refuses (DemoSchemaTaken) when c360_demo or c360_demo_raw exists without the demo's comment. */
export async function checkDemoSchemas(conn: PgConnection): Promise<void> {
  const rows = await withPostgres(conn, (db) =>
    db.query(`select nspname, obj_description(oid, 'pg_namespace') as note from pg_namespace where nspname = any($1)`, [[DEMO_PG_SCHEMA, DEMO_PG_RAW_SCHEMA]]),
  );
  const taken = rows.filter((r) => r.note !== DEMO_SCHEMA_COMMENT).map((r) => String(r.nspname));
  if (taken.length > 0) {
    throw new DemoSchemaTaken(
      `schema ${taken.join(' and ')} already exists in database ${conn.database} and was not made by c360-gen demo; the demo replaces the tables of its schemas, so it stops here\n` +
        `  = hint: drop ${taken.length > 1 ? 'them' : 'it'} if ${taken.length > 1 ? 'they are' : 'it is'} an old demo's, or point C360_PG_DATABASE at another database`,
    );
  }
}

/**
 * Copies every table of schema raw of the DuckDB file into schema c360_demo_raw (same names and
 * columns; an earlier run's tables are emptied and refilled), in one transaction, and makes sure
 * schema c360_demo exists; both carry the demo's comment.
 */
export async function copyDemoDataToPostgres(conn: PgConnection, dbPath: string): Promise<void> {
  const tables = await withDuckDb(dbPath, async (db) => {
    const cols = await db.query(
      `select table_name, column_name, data_type from information_schema.columns where table_schema = 'raw' order by table_name, ordinal_position`,
    );
    const byTable = new Map<string, { name: string; type: string }[]>();
    for (const c of cols) {
      const t = String(c.table_name);
      if (!byTable.has(t)) byTable.set(t, []);
      byTable.get(t)!.push({ name: String(c.column_name), type: String(c.data_type) });
    }
    const out: { name: string; columns: { name: string; type: string }[]; rows: (string | null)[][] }[] = [];
    for (const [name, columns] of byTable) {
      // every value as text: PostgreSQL reads it back into the column's type
      const select = columns.map((c) => `cast(${sqlIdent(c.name)} as varchar) as ${sqlIdent(c.name)}`).join(', ');
      const rows = await db.query(`select ${select} from raw.${sqlIdent(name)}`);
      out.push({ name, columns, rows: rows.map((r) => columns.map((c) => (r[c.name] === null ? null : String(r[c.name])))) });
    }
    return out;
  });
  await withPostgres(conn, async (db) => {
    await db.query('begin');
    try {
      for (const schema of [DEMO_PG_SCHEMA, DEMO_PG_RAW_SCHEMA]) {
        await db.query(`create schema if not exists ${sqlIdent(schema)}`);
        await db.query(`comment on schema ${sqlIdent(schema)} is ${sqlLiteral(DEMO_SCHEMA_COMMENT)}`);
      }
      for (const t of tables) {
        const rel = `${sqlIdent(DEMO_PG_RAW_SCHEMA)}.${sqlIdent(t.name)}`;
        // emptied, not dropped: the demo's staging views depend on the tables of an earlier run
        // (and a drop ... cascade could reach views outside the demo's schemas)
        await db.query(`create table if not exists ${rel} (${t.columns.map((c) => `${sqlIdent(c.name)} ${postgresTypeOf(c.type, `${t.name}.${c.name}`)}`).join(', ')})`);
        await db.query(`truncate ${rel}`);
        const width = t.columns.length;
        const perInsert = Math.max(1, Math.floor(20_000 / width));
        for (let i = 0; i < t.rows.length; i += perInsert) {
          const chunk = t.rows.slice(i, i + perInsert);
          const values = chunk.map((_, r) => `(${t.columns.map((_c, k) => `$${r * width + k + 1}`).join(', ')})`).join(', ');
          await db.query(`insert into ${rel} values ${values}`, chunk.flat());
        }
        await db.query(`analyze ${rel}`);
      }
      await db.query('commit');
    } catch (e) {
      await db.query('rollback');
      throw e;
    }
  });
}
