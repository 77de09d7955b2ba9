// Human (rustc/Prisma-like) and machine (--json) renderings of diagnostics.

import { codeTitle } from './codes.js';
import type { Diagnostic, Severity } from './types.js';

export interface FormatOptions {
  color: boolean;
}

const ANSI = {
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  cyan: '\x1b[36m',
  bold: '\x1b[1m',
  reset: '\x1b[0m',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Render diagnostics with a code frame each and a summary line. `sources` maps a diagnostic's
 * `file` to the file's text (for the code frame). Returns '' for no diagnostics; no trailing newline.
 */
export function formatDiagnostics(
  diags: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  { color }: FormatOptions,
): string {
  if (diags.length === 0) return '';
  const paint = (style: string, s: string) => (color ? `${style}${s}${ANSI.reset}` : s);
  const sevStyle = (sev: Severity) => (sev === 'error' ? ANSI.red : ANSI.yellow);
  const lineCache = new Map<string, string[]>();
  const linesOf = (file: string) => {
    let lines = lineCache.get(file);
    if (!lines) {
      const text = sources.get(file);
      lines = text === undefined ? [] : text.split(/\r?\n/);
      lineCache.set(file, lines);
    }
    return lines;
  };

  const blocks = diags.map((d) => {
    const out: string[] = [];
    const header = `${d.severity}[${d.code}]`;
    out.push(`${paint(ANSI.bold + sevStyle(d.severity), header)}${paint(ANSI.bold, `: ${d.message}`)}`);
    const lineNo = String(d.line);
    const width = d.line > 0 ? lineNo.length : 1;
    const pad = ' '.repeat(width);
    const gutter = (s: string) => paint(ANSI.bold + ANSI.blue, s);
    if (d.line > 0) {
      out.push(`${pad}${gutter('-->')} ${d.file}:${d.line}:${d.col}`);
      const src = linesOf(d.file)[d.line - 1];
      if (src !== undefined) {
        const text = src.replace(/\t/g, ' ');
        const start = Math.max(1, d.col);
        let end: number;
        if (d.endLine === d.line && d.endCol !== undefined && d.endCol > start) end = d.endCol;
        else if (d.endLine !== undefined && d.endLine > d.line) end = text.trimEnd().length + 1;
        else end = start + 1;
        end = Math.max(start + 1, Math.min(end, text.length + 1));
        const carets = '^'.repeat(end - start);
        out.push(`${pad} ${gutter('|')}`);
        out.push(`${gutter(lineNo)} ${gutter('|')} ${text}`.trimEnd());
        out.push(`${pad} ${gutter('|')} ${' '.repeat(start - 1)}${paint(ANSI.bold + sevStyle(d.severity), carets)}`);
      }
    } else {
      out.push(`${pad}${gutter('-->')} ${d.file}`);
    }
    if (d.hint) out.push(`${pad} ${gutter('=')} ${paint(ANSI.bold, 'hint')}: ${d.hint}`);
    return out.join('\n');
  });

  const errors = diags.filter((d) => d.severity === 'error').length;
  const warnings = diags.length - errors;
  const sev: Severity = errors > 0 ? 'error' : 'warning';
  const summary =
    `${paint(ANSI.bold + sevStyle(sev), sev)}${paint(ANSI.bold, `: ${plural(diags.length, 'problem')} found`)}` +
    ` (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`;
  return [...blocks, summary].join('\n\n');
}

export interface DiagnosticJson {
  code: string;
  title: string | null;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  col: number;
  endLine: number | null;
  endCol: number | null;
  hint: string | null;
}

/** Stable JSON shape for `--json`: one object per diagnostic, every key always present. */
export function diagnosticsToJson(diags: readonly Diagnostic[]): DiagnosticJson[] {
  return diags.map((d) => ({
    code: d.code,
    title: codeTitle(d.code) ?? null,
    severity: d.severity,
    message: d.message,
    file: d.file,
    line: d.line,
    col: d.col,
    endLine: d.endLine ?? null,
    endCol: d.endCol ?? null,
    hint: d.hint ?? null,
  }));
}
