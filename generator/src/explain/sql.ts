// Quoting for the ad-hoc queries of `explain` (and the demo's copy into PostgreSQL): every value
// that reaches SQL goes through here.

/** A SQL string literal with quotes doubled (DuckDB standard strings: backslashes are literal). */
export function sqlLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('a SQL string cannot contain a NUL character');
  return `'${value.replace(/'/g, "''")}'`;
}

/** A double-quoted SQL identifier. */
export function sqlIdent(name: string): string {
  if (name.includes('\u0000')) throw new Error('a SQL identifier cannot contain a NUL character');
  return `"${name.replace(/"/g, '""')}"`;
}
