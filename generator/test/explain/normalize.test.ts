// The TypeScript normalisers of `explain` agree with the dbt macros: same examples as the macro
// integration tests, read from their files themselves (integration_tests/seeds/identity/*.csv, and
// the models of literal values in integration_tests/models/identity/ for the examples a seed cannot
// carry on Postgres).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/dbt/locate.js';
import {
  cleanId,
  JUNK_VALUES,
  normalizeEmail,
  normalizePhone,
  normalizeTrim,
  sqlTrim,
  type CleanOptions,
} from '../../src/explain/normalize.js';

const INTEGRATION_TESTS = join(PACKAGE_ROOT, 'integration_tests');

/** An identity example table of the integration tests by name: its seed, else its model of literal values. */
function example(name: string): Record<string, string | null>[] {
  const csv = join(INTEGRATION_TESTS, 'seeds', 'identity', `${name}.csv`);
  return existsSync(csv) ? seedCsv(csv) : valuesModel(join(INTEGRATION_TESTS, 'models', 'identity', `${name}.sql`));
}

/**
 * A model of literal values, `select ... from (values (...), ...) as t (columns)`: integers and
 * strings as text, null as null (`--` comments ignored; the select list only casts).
 */
function valuesModel(path: string): Record<string, string | null>[] {
  const sql = readFileSync(path, 'utf8').replace(/--.*$/gm, '').trim();
  const m = /\(values\b([\s\S]*)\)\s+as\s+\w+\s*\(([^)]*)\)$/i.exec(sql);
  if (!m) throw new Error(`${path}: not a select from (values ...) as t (columns)`);
  const columns = m[2].split(',').map((c) => c.trim());
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  for (const [token] of m[1].matchAll(/'(?:[^']|'')*'|-?\d+|null|[(),]|\S/gi)) {
    if (token === '(') row = [];
    else if (token === ')') rows.push(row);
    else if (token.startsWith("'")) row.push(token.slice(1, -1).replace(/''/g, "'"));
    else if (token.toLowerCase() === 'null') row.push(null);
    else if (/^-?\d+$/.test(token)) row.push(token);
    else if (token !== ',') throw new Error(`${path}: unexpected ${token} in the values`);
  }
  for (const r of rows) if (r.length !== columns.length) throw new Error(`${path}: a row of ${r.length} values for ${columns.length} columns`);
  return rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
}

/** A seed CSV as dbt-duckdb loads it: header row, quoted fields, empty field = null. */
function seedCsv(path: string): Record<string, string | null>[] {
  const text = readFileSync(path, 'utf8');
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  const endField = () => {
    row.push(field === '' && !wasQuoted ? null : field);
    field = '';
    wasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') (quoted = true), (wasQuoted = true);
    else if (ch === ',') endField();
    else if (ch === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else if (ch !== '\r') field += ch;
  }
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h as string, r[i] ?? null])));
}

function joined(data: string, expected: string) {
  const want = new Map(example(expected).map((r) => [r.id, r]));
  return example(data).map((r) => ({ id: r.id, raw: r.raw, expected: want.get(r.id)! }));
}

describe('normalisers mirror macros/identity/normalize_*.sql', () => {
  it('normalize_email: the seed examples', () => {
    const cases = joined('data_normalize_email', 'normalize_email_expected');
    expect(cases.length).toBe(4);
    for (const c of cases) expect([c.id, normalizeEmail(c.raw)]).toEqual([c.id, c.expected.normalized]);
  });

  it('normalize_trim: the seed examples', () => {
    const cases = joined('data_normalize_trim', 'normalize_trim_expected');
    expect(cases.length).toBe(4);
    for (const c of cases) expect([c.id, normalizeTrim(c.raw)]).toEqual([c.id, c.expected.normalized]);
  });

  it("normalize_phone: the seed examples with default country '1' and '44'", () => {
    const cases = joined('data_normalize_phone', 'normalize_phone_expected');
    expect(cases.length).toBe(12);
    for (const c of cases) {
      expect([c.id, normalizePhone(c.raw, '1')]).toEqual([c.id, c.expected.normalized]);
      expect([c.id, normalizePhone(c.raw, '44')]).toEqual([c.id, c.expected.normalized_uk]);
    }
  });

  it('the brief examples', () => {
    expect(normalizeEmail(' ROB@rudderstack.com')).toBe('rob@rudderstack.com');
    expect(normalizePhone('650-672-5618')).toBe('16506725618');
    expect(normalizePhone('(650) 672-5618')).toBe('16506725618');
    expect(normalizeTrim('8967-1324-5126-0897')).toBe('8967-1324-5126-0897');
  });

  it("trim strips what DuckDB's trim strips: space separators, not tabs or newlines", () => {
    expect(sqlTrim('\u00a0 a \u3000')).toBe('a');
    expect(sqlTrim('\ta\n')).toBe('\ta\n');
  });
});

describe('cleanId mirrors macros/identity/clean_id.sql', () => {
  const base: CleanOptions = { normalize: 'trim', junk: true, excludeValues: [], excludeRegex: [], defaultCountry: '1' };
  // The calls of integration_tests/models/identity/test_clean_id.sql.
  const columns: Record<string, CleanOptions> = {
    as_email: { ...base, normalize: 'email', excludeValues: ["O'Brien@Shop.com"], excludeRegex: ['@example\\.org$'] },
    as_phone: { ...base, normalize: 'phone', excludeValues: ['(555) 000-1234'] },
    as_trim: { ...base, excludeValues: ['blocked'], excludeRegex: ['^tmp_'] },
    as_none: { ...base, normalize: 'none', excludeRegex: ["^it's$"] },
    no_junk: { ...base, junk: false },
  };

  it('the seed examples, every column', () => {
    const cases = joined('data_clean_id', 'clean_id_expected');
    expect(cases.length).toBe(15);
    for (const c of cases) {
      for (const [col, opts] of Object.entries(columns)) {
        expect([c.id, col, cleanId(c.raw, opts).value]).toEqual([c.id, col, c.expected[col]]);
      }
    }
  });

  it('says why a value is nulled', () => {
    expect(cleanId('Test@Test.com', columns.as_email)).toMatchObject({ value: null, reason: 'junk' });
    expect(cleanId('000-000-0000', columns.as_phone)).toMatchObject({ value: null, reason: 'junk' });
    expect(cleanId("O'Brien@shop.com ", columns.as_email)).toMatchObject({ value: null, reason: 'excluded_value', detail: "O'Brien@Shop.com" });
    expect(cleanId('alice@example.org', columns.as_email)).toMatchObject({ value: null, reason: 'excluded_regex', detail: '@example\\.org$' });
    expect(cleanId('   ', columns.as_trim)).toMatchObject({ value: null, reason: 'empty' });
    expect(cleanId('12345', columns.as_phone)).toMatchObject({ value: null, reason: 'empty', normalized: null });
    expect(cleanId(' Bob@Shop.com ', columns.as_email)).toEqual({ value: 'bob@shop.com', normalized: 'bob@shop.com', reason: null });
  });

  it('the junk list is the expected list of the integration tests plus the empty string', () => {
    const expected = example('junk_values_expected').map((r) => r.value);
    expect(expected).toContain('null');
    expect([...JUNK_VALUES].sort()).toEqual(['', ...expected].sort());
  });
});
