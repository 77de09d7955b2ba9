// Golden tests: spec in, whole generated tree out. UPDATE_GOLDEN=1 rewrites the expected trees.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/dbt/locate.js';
import { DEMO_SPEC } from '../../src/demo/spec.js';
import { generate } from '../../src/pipeline.js';

const GOLDEN = join(PACKAGE_ROOT, 'generator', 'test', 'golden', 'cases');
const update = process.env.UPDATE_GOLDEN === '1';

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** The vendored macros are a copy of macros/: checked once below, not per golden. */
const isVendored = (p: string) => p.startsWith('macros/c360/');

/** Specs that live elsewhere in the repo; other cases keep their c360.yml in their folder. */
const SPECS: Record<string, () => string> = {
  brief: () => readFileSync(join(PACKAGE_ROOT, 'examples', 'brief', 'c360.yml'), 'utf8'),
  demo: () => DEMO_SPEC,
};
const specOf = (name: string) => (SPECS[name] ? SPECS[name]() : readFileSync(join(GOLDEN, name, 'c360.yml'), 'utf8'));

describe('golden projects', () => {
  const cases = readdirSync(GOLDEN).filter((d) => SPECS[d] || existsSync(join(GOLDEN, d, 'c360.yml')));
  it('has at least two cases', () => expect(cases.length).toBeGreaterThanOrEqual(2));

  for (const name of cases) {
    it(`generates ${name} exactly as expected`, () => {
      const text = specOf(name);
      const r = generate(text, 'c360.yml');
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const files = new Map([...r.files!].filter(([p]) => !isVendored(p)));
      const expectedDir = join(GOLDEN, name, 'expected');
      if (update) {
        rmSync(expectedDir, { recursive: true, force: true });
        for (const [p, t] of files) {
          mkdirSync(dirname(join(expectedDir, p)), { recursive: true });
          writeFileSync(join(expectedDir, p), t);
        }
      }
      const onDisk = listFiles(expectedDir).map((f) => relative(expectedDir, f).split('\\').join('/')).sort();
      expect([...files.keys()]).toEqual(onDisk);
      for (const [p, t] of files) expect(t, p).toBe(readFileSync(join(expectedDir, p), 'utf8'));
    });
  }

  it('vendors every macro of the c360 package, byte for byte', () => {
    const text = specOf(cases[0]);
    const files = generate(text, 'c360.yml').files!;
    const macroDir = join(PACKAGE_ROOT, 'macros');
    const repoMacros = listFiles(macroDir).filter((f) => f.endsWith('.sql'));
    expect(repoMacros.length).toBeGreaterThan(0);
    for (const f of repoMacros) {
      const p = `macros/c360/${relative(macroDir, f).split('\\').join('/')}`;
      expect(files.get(p), p).toBe(readFileSync(f, 'utf8'));
    }
  });

  it('is deterministic: the same spec gives byte-identical files', () => {
    const text = specOf(cases[0]);
    expect([...generate(text, 'c360.yml').files!]).toEqual([...generate(text, 'c360.yml').files!]);
  });
});
