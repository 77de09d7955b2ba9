// The generated profiles.yml: a duckdb and a postgres target, the spec's warehouse.type the
// default; the postgres connection comes from environment variables only (no secret in the project).

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generate } from '../../src/pipeline.js';

const spec = (warehouse: string) => `version: 1
entity: customer
${warehouse}
id_types: { email: {} }
inputs:
  orders:
    relation: source('shop', 'orders')
    occurred_at: ts
    ids: { email: email }
`;

function profiles(warehouse: string) {
  const r = generate(spec(warehouse), 'c360.yml');
  if (!r.files) throw new Error(JSON.stringify(r.diagnostics));
  return parse(r.files.get('profiles.yml')!).c360 as { target: string; outputs: Record<string, Record<string, unknown>> };
}

describe('profiles.yml', () => {
  it('defaults to the duckdb target and also has a postgres one', () => {
    const p = profiles('');
    expect(p.target).toBe('duckdb');
    expect(Object.keys(p.outputs)).toEqual(['duckdb', 'postgres']);
    expect(p.outputs.duckdb.path).toBe("{{ env_var('C360_DUCKDB_PATH', 'c360.duckdb') }}");
    expect(p.outputs.postgres.schema).toBe("{{ env_var('C360_PG_SCHEMA', 'c360') }}");
  });

  it('warehouse.type postgres makes it the default; every connection value is an environment variable', () => {
    const p = profiles('warehouse: { type: postgres, schema: analytics }');
    expect(p.target).toBe('postgres');
    const pg = p.outputs.postgres;
    expect(pg.type).toBe('postgres');
    for (const key of ['host', 'port', 'user', 'password', 'dbname', 'schema']) expect(String(pg[key])).toMatch(/^\{\{ env_var\('C360_PG_[A-Z]+'/);
    expect(pg.password).toBe("{{ env_var('C360_PG_PASSWORD', '') }}");
    expect(pg.schema).toBe("{{ env_var('C360_PG_SCHEMA', 'analytics') }}");
  });

  it('a schema that is not a plain name is a spec error, not a broken profile', () => {
    const r = generate(spec("warehouse: { type: postgres, schema: \"a'; drop\" }"), 'c360.yml');
    expect(r.files).toBeNull();
    expect(r.diagnostics.map((d) => d.message).join('\n')).toContain('warehouse');
  });
});
