import { describe, expect, it } from 'vitest';
import { CODES, codeTitle } from '../../src/diagnostics/codes.js';
import { diagnosticsToJson, formatDiagnostics } from '../../src/diagnostics/format.js';
import type { Diagnostic } from '../../src/diagnostics/types.js';
import { loadSpec } from '../../src/spec/load.js';

const SRC = `version: 1
entity: customer
features:
  total_revenue:
    from: order
`;
const sources = new Map([['c360.yml', SRC]]);
const unknownInput: Diagnostic = {
  code: 'C360-E201',
  severity: 'error',
  message: 'unknown input "order" in features.total_revenue.from',
  file: 'c360.yml',
  line: 5,
  col: 11,
  endLine: 5,
  endCol: 16,
  hint: 'did you mean `orders`?',
};

describe('formatDiagnostics', () => {
  it('renders a code frame with the caret under the node, a hint and a count', () => {
    expect(formatDiagnostics([unknownInput], sources, { color: false })).toBe(
      [
        'error[C360-E201]: unknown input "order" in features.total_revenue.from',
        ' --> c360.yml:5:11',
        '  |',
        '5 |     from: order',
        '  |           ^^^^^',
        '  = hint: did you mean `orders`?',
        '',
        'error: 1 problem found (1 error, 0 warnings)',
      ].join('\n'),
    );
  });

  it('widens the gutter for two-digit lines, as in the docs', () => {
    const src = '\n'.repeat(13) + '    from: order\n';
    const out = formatDiagnostics([{ ...unknownInput, line: 14, endLine: 14 }], new Map([['c360.yml', src]]), { color: false });
    expect(out).toBe(
      [
        'error[C360-E201]: unknown input "order" in features.total_revenue.from',
        '  --> c360.yml:14:11',
        '   |',
        '14 |     from: order',
        '   |           ^^^^^',
        '   = hint: did you mean `orders`?',
        '',
        'error: 1 problem found (1 error, 0 warnings)',
      ].join('\n'),
    );
  });

  it('handles no diagnostics, no position, no source, multi-line spans and warning-only runs', () => {
    expect(formatDiagnostics([], sources, { color: false })).toBe('');
    const noPos: Diagnostic = { code: 'C360-E001', severity: 'error', message: 'spec file not found: c360.yml', file: 'c360.yml', line: 0, col: 0 };
    expect(formatDiagnostics([noPos], new Map(), { color: false })).toBe(
      'error[C360-E001]: spec file not found: c360.yml\n --> c360.yml\n\nerror: 1 problem found (1 error, 0 warnings)',
    );
    const noSource = formatDiagnostics([unknownInput], new Map(), { color: false });
    expect(noSource).toContain(' --> c360.yml:5:11\n  = hint');
    const multi = formatDiagnostics([{ ...unknownInput, line: 4, col: 3, endLine: 5, endCol: 16, severity: 'warning', code: 'C360-W401', hint: undefined }], sources, { color: false });
    expect(multi).toBe(
      'warning[C360-W401]: unknown input "order" in features.total_revenue.from\n --> c360.yml:4:3\n  |\n4 |   total_revenue:\n  |   ^^^^^^^^^^^^^^\n\nwarning: 1 problem found (0 errors, 1 warning)',
    );
    const two = formatDiagnostics([unknownInput, { ...unknownInput, severity: 'warning' }], sources, { color: false });
    expect(two.endsWith('error: 2 problems found (1 error, 1 warning)')).toBe(true);
  });

  it('colors only when asked', () => {
    const plain = formatDiagnostics([unknownInput], sources, { color: false });
    const colored = formatDiagnostics([unknownInput], sources, { color: true });
    expect(plain).not.toMatch(/\x1b\[/);
    expect(colored).toMatch(/\x1b\[/);
    expect(colored.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
  });
});

describe('diagnosticsToJson', () => {
  it('gives every key, with the code title', () => {
    expect(diagnosticsToJson([unknownInput])).toEqual([
      {
        code: 'C360-E201',
        title: 'unknown input',
        severity: 'error',
        message: 'unknown input "order" in features.total_revenue.from',
        file: 'c360.yml',
        line: 5,
        col: 11,
        endLine: 5,
        endCol: 16,
        hint: 'did you mean `orders`?',
      },
    ]);
    const [d] = diagnosticsToJson([{ code: 'C360-E001', severity: 'error', message: 'x', file: 'f', line: 0, col: 0 }]);
    expect(d).toMatchObject({ endLine: null, endCol: null, hint: null });
    expect(JSON.parse(JSON.stringify(diagnosticsToJson([])))).toEqual([]);
  });
});

describe('codes', () => {
  it('are stable-looking, unique, titled and in their ranges', () => {
    for (const [code, title] of Object.entries(CODES)) {
      expect(code).toMatch(/^C360-(E0\d\d|E1\d\d|E2\d\d|E3\d\d|E5\d\d|W4\d\d)$/);
      expect(title.length).toBeGreaterThan(0);
      expect(codeTitle(code)).toBe(title);
    }
    expect(codeTitle('C360-E999')).toBeUndefined();
  });

  it('the CLI example: unknown input and unknown key in one run', () => {
    const text = `version: 1
entity: customer
id_types:
  payments_id: { normalise: trim }
inputs:
  orders: { relation: orders, occurred_at: ts, ids: { payments_id: pid } }
features:
  total_revenue:
    from: order
    agg: sum(amount)
`;
    const { spec, diagnostics } = loadSpec(text, 'c360.yml');
    expect(spec).toBeNull();
    expect(diagnostics.map((d) => [d.code, d.line, d.col, d.hint])).toEqual([
      ['C360-E103', 4, 18, 'did you mean `normalize`?'],
      ['C360-E201', 9, 11, 'did you mean `orders`?'],
    ]);
  });
});
