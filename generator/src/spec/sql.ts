// Just enough SQL lexing to check spec snippets (`agg`, `expr`, `where`): strings, identifiers,
// statement separators and comments. SQL otherwise passes through as written.

import type { AggFunction } from './types.js';

export interface SqlToken {
  kind: 'ident' | 'quoted_ident' | 'string' | 'number' | 'other';
  text: string;
  /** Offset in the snippet. */
  offset: number;
}

/** Tokenise: '...' strings ('' escapes), "..." identifiers, bare identifiers, numbers, the rest. */
export function tokenizeSql(sql: string): SqlToken[] {
  const out: SqlToken[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const start = i;
      i++;
      while (i < sql.length) {
        if (sql[i] === c) {
          if (sql[i + 1] === c) {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      i = Math.min(i + 1, sql.length);
      const body = sql.slice(start + 1, i - 1).replaceAll(c + c, c);
      out.push({ kind: c === "'" ? 'string' : 'quoted_ident', text: body, offset: start });
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i))!;
      out.push({ kind: 'ident', text: m[0], offset: i });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9][0-9A-Za-z_.]*/.exec(sql.slice(i))!;
      out.push({ kind: 'number', text: m[0], offset: i });
      i += m[0].length;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      out.push({ kind: 'other', text: c, offset: i });
      i++;
    }
  }
  return out;
}

/**
 * Why a snippet is not a single expression (a `;`, `--` or `/*` outside strings), or null.
 */
export function singleExpressionProblem(sql: string): string | null {
  const toks = tokenizeSql(sql);
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.kind !== 'other') continue;
    const next = toks[k + 1];
    const adjacent = next !== undefined && next.kind === 'other' && next.offset === t.offset + 1;
    if (t.text === ';') return 'contains `;`';
    if (t.text === '-' && adjacent && next.text === '-') return 'contains a `--` comment';
    if (t.text === '/' && adjacent && next.text === '*') return 'contains a `/*` comment';
  }
  return null;
}

/** The aggregate function an `agg` starts with, or null. */
export function aggFunctionOf(agg: string): AggFunction | null {
  if (/^\s*count\s*\(\s*distinct\b/i.test(agg)) return 'count_distinct';
  const m = /^\s*(count|sum|avg|min|max)\s*\(/i.exec(agg);
  return m ? (m[1]!.toLowerCase() as AggFunction) : null;
}

/** Aggregates whose per-input results combine into one across inputs. */
export const COMBINABLE: ReadonlySet<AggFunction> = new Set(['count', 'sum', 'min', 'max']);

/** Which of `names` an expression references (unquoted identifiers case-insensitively), sorted. */
export function referencedNames(expr: string, names: Iterable<string>): string[] {
  const known = new Set(names);
  const found = new Set<string>();
  for (const t of tokenizeSql(expr)) {
    if (t.kind === 'ident' && known.has(t.text.toLowerCase())) found.add(t.text.toLowerCase());
    else if (t.kind === 'quoted_ident' && known.has(t.text)) found.add(t.text);
  }
  return [...found].sort();
}
