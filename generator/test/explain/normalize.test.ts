// The TypeScript normalisers of `explain` agree with the dbt macros: same examples as the macro
// integration tests (integration_tests/seeds/identity/*), read from the seed files themselves.

import { readFileSync } from 'node:fs';
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

/** A seed CSV as dbt loads it: header row, quoted fields, empty field = null. */
function seed(name: string): Record<string, string | null>[] {
  const text = readFileSync(join(PACKAGE_ROOT, 'integration_tests', 'seeds', 'identity', `${name}.csv`), 'utf8');
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
  const want = new Map(seed(expected).map((r) => [r.id, r]));
  return seed(data).map((r) => ({ id: r.id, raw: r.raw, expected: want.get(r.id)! }));
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

  it('the junk list is the seed list plus the empty string', () => {
    const fromSeed = seed('junk_values_expected').map((r) => r.value);
    expect([...JUNK_VALUES].sort()).toEqual(['', ...fromSeed].sort());
  });
});
