// Invalid-spec goldens: fixtures/spec/invalid/<case>.yml → <case>.expected.txt (the formatted
// diagnostics, color off). UPDATE_GOLDEN=1 rewrites the expected files; review the diff.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/diagnostics/codes.js';
import { formatDiagnostics } from '../../src/diagnostics/format.js';
import { loadSpec } from '../../src/spec/load.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'spec', 'invalid');
const cases = readdirSync(DIR).filter((f) => f.endsWith('.yml')).sort();

describe('invalid specs (goldens)', () => {
  it('has at least 10 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of cases) {
    it(file, () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const { spec, diagnostics } = loadSpec(text, 'c360.yml');
      expect(spec).toBeNull();
      expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
      for (const d of diagnostics) {
        expect(Object.keys(CODES)).toContain(d.code);
        expect(d.line).toBeGreaterThan(0);
      }
      const actual = formatDiagnostics(diagnostics, new Map([['c360.yml', text]]), { color: false }) + '\n';
      const expectedFile = join(DIR, file.replace(/\.yml$/, '.expected.txt'));
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedFile, actual);
      expect(existsSync(expectedFile), `${expectedFile} missing: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(actual).toBe(readFileSync(expectedFile, 'utf8'));
    });
  }
});
