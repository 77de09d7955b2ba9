// Where explain reads from, and how values reach SQL.

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { warehousePath } from '../../src/explain/explain.js';
import { sqlIdent, sqlLiteral } from '../../src/explain/sql.js';
import type { ProjectPlan } from '../../src/plan/types.js';

describe('explain plumbing', () => {
  const plan = { warehouse: { type: 'duckdb', path: 'c360.duckdb' } } as ProjectPlan;

  it('reads the DuckDB file profiles.yml points at: C360_DUCKDB_PATH, else warehouse.path, from the project folder', () => {
    expect(warehousePath(plan, 'proj', {})).toBe(resolve('proj', 'c360.duckdb'));
    expect(warehousePath(plan, 'proj', { C360_DUCKDB_PATH: 'other.duckdb' })).toBe(resolve('proj', 'other.duckdb'));
    expect(warehousePath(plan, 'proj', { C360_DUCKDB_PATH: '/abs/x.duckdb' })).toBe('/abs/x.duckdb');
  });

  it('escapes every literal and identifier', () => {
    expect(sqlLiteral("o'brien'); drop table x; --")).toBe("'o''brien''); drop table x; --'");
    expect(sqlLiteral('a\\b')).toBe("'a\\b'");
    expect(() => sqlLiteral('a\u0000b')).toThrow();
    expect(sqlIdent('we"ird')).toBe('"we""ird"');
  });
});
