// The identifier normalisation of the generated staging models, in TypeScript, so that `explain`
// looks up exactly the value the warehouse holds. Mirrors macros/identity/normalize_email.sql,
// normalize_phone.sql, normalize_trim.sql, clean_id.sql and junk_values.sql on DuckDB; the unit
// tests use the examples of the macro integration tests (integration_tests/, identity).

import type { Normalizer } from '../spec/types.js';

/** c360.junk_values(): compared against lower(normalised value). */
export const JUNK_VALUES: readonly string[] = [
  '', 'null', 'none', 'nil', 'unknown', 'undefined', 'n/a', 'na', '0', '-1',
  'test', 'test@test.com', 'test@example.com', 'noemail@noemail.com', 'no@email.com',
  'email@email.com', 'anonymous', 'guest', 'default', 'true', 'false', '[object object]',
];

/** DuckDB's trim(): strips Unicode space separators (category Zs), not tabs or newlines. */
export function sqlTrim(s: string): string {
  return s.replace(/^\p{Zs}+|\p{Zs}+$/gu, '');
}

/** c360.normalize_email: lower(trim(x)). */
export function normalizeEmail(raw: string | null): string | null {
  return raw === null ? null : sqlTrim(raw).toLowerCase();
}

/** c360.normalize_trim: nullif(trim(x), ''). */
export function normalizeTrim(raw: string | null): string | null {
  if (raw === null) return null;
  const t = sqlTrim(raw);
  return t === '' ? null : t;
}

const digitsOf = (s: string) => s.replace(/[^0-9]/g, '');

/** c360.normalize_phone: international digits without '+', or null (see the macro's rule). */
export function normalizePhone(raw: string | null, defaultCountry = '1'): string | null {
  if (!/^[0-9]+$/.test(defaultCountry)) throw new Error(`normalize_phone: default_country must be digits only, got '${defaultCountry}'`);
  if (raw === null) return null;
  const trimmed = sqlTrim(raw);
  const digits = digitsOf(trimmed);
  if (trimmed.startsWith('+')) return digits.length >= 7 ? digits : null;
  if (digits.startsWith('00')) return digits.length >= 9 ? digits.slice(2) : null;
  if (digits.length < 7) return null;
  if (digits.length <= 10) return defaultCountry + digits;
  return digits;
}

export function normalizeWith(raw: string | null, normalize: Normalizer, defaultCountry = '1'): string | null {
  switch (normalize) {
    case 'email':
      return normalizeEmail(raw);
    case 'phone':
      return normalizePhone(raw, defaultCountry);
    case 'trim':
      return normalizeTrim(raw);
    case 'none':
      return raw;
  }
}

export interface CleanOptions {
  normalize: Normalizer;
  junk: boolean;
  excludeValues: readonly string[];
  excludeRegex: readonly string[];
  defaultCountry: string;
}

export type CleanReason = 'empty' | 'junk' | 'excluded_value' | 'excluded_regex';

export interface CleanResult {
  /** The value as the staging model holds it, or null when it is nulled. */
  value: string | null;
  /** The normalised value before the junk / exclusion checks (null when normalising gives null). */
  normalized: string | null;
  /** Why `value` is null. */
  reason: CleanReason | null;
  /** For excluded values: the exclude_values entry or exclude_regex pattern that matched. */
  detail?: string;
}

/** c360.clean_id: the normalised identifier, or null with the reason it must not stitch. */
export function cleanId(raw: string | null, opts: CleanOptions): CleanResult {
  const normalized = normalizeWith(raw, opts.normalize, opts.defaultCountry);
  const nulled = (reason: CleanReason, detail?: string): CleanResult => ({ value: null, normalized, reason, ...(detail !== undefined ? { detail } : {}) });
  if (normalized === null || normalized === '') return nulled('empty');
  if (opts.junk) {
    if (JUNK_VALUES.includes(normalized.toLowerCase()) || normalized.replace(/0/g, '') === '') return nulled('junk');
    if (opts.normalize === 'phone' && raw !== null) {
      const rawDigits = digitsOf(raw);
      if (rawDigits !== '' && rawDigits.replace(/0/g, '') === '') return nulled('junk');
    }
  }
  for (const v of opts.excludeValues) {
    const n = normalizeWith(v, opts.normalize, opts.defaultCountry);
    if (n !== null && n === normalized) return nulled('excluded_value', v);
  }
  for (const pattern of opts.excludeRegex) {
    let re: RegExp;
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      continue; // RE2 syntax JavaScript does not know: cannot tell, so do not claim it
    }
    if (re.test(normalized)) return nulled('excluded_regex', pattern);
  }
  return { value: normalized, normalized, reason: null };
}

/** Human description of a normaliser, as in the README. */
export function describeNormalizer(n: Normalizer, defaultCountry: string): string {
  switch (n) {
    case 'email':
      return 'trim + lower';
    case 'phone':
      return `digits with country code (default +${defaultCountry})`;
    case 'trim':
      return 'trim';
    case 'none':
      return 'as is';
  }
}
