// loadSpec never throws and every diagnostic is well-formed, whatever the input.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/diagnostics/codes.js';
import { formatDiagnostics } from '../../src/diagnostics/format.js';
import { loadSpec } from '../../src/spec/load.js';
import { STARTER_SPEC } from '../../src/spec/starter.js';

function check(text: string): void {
  const { spec, diagnostics } = loadSpec(text, 'c360.yml');
  const lines = text.split(/\r?\n/).length;
  for (const d of diagnostics) {
    expect(Object.keys(CODES)).toContain(d.code);
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines);
    expect(d.col).toBeGreaterThanOrEqual(1);
  }
  expect(spec === null).toBe(diagnostics.some((d) => d.severity === 'error'));
  formatDiagnostics(diagnostics, new Map([['c360.yml', text]]), { color: false });
}

describe('loadSpec robustness', () => {
  it('arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => check(s)), { numRuns: 300 });
  });

  it('the starter spec with one line deleted, duplicated or edited', () => {
    const lines = STARTER_SPEC.split('\n');
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('delete'), i: fc.nat(lines.length - 1) }),
      fc.record({ kind: fc.constant('dup'), i: fc.nat(lines.length - 1) }),
      fc.record({ kind: fc.constant('replace'), i: fc.nat(lines.length - 1), text: fc.constantFrom('', 'x: 1', '    agg: avg(x)', '    from: nope', '    expr: avg_order_value', '  - a', '    window: 1 fortnight', '  email: {}', '    ids: {}', 'features: []') }),
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        const ls = [...lines];
        for (const e of edits) {
          if (e.kind === 'delete') ls.splice(e.i, 1);
          else if (e.kind === 'dup') ls.splice(e.i, 0, ls[e.i] ?? '');
          else ls[e.i] = (e as { text: string }).text;
        }
        check(ls.join('\n'));
      }),
      { numRuns: 300 },
    );
  });
});
