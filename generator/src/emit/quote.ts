// Quoting for values that come from the spec and land in generated SQL or Jinja.
// Spec fields that are SQL by design (agg, where, expr) never pass through here.

/** A Jinja string literal: single-quoted, with backslashes and quotes escaped. */
export function jinjaString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function jinjaList(values: string[]): string {
  return `[${values.map(jinjaString).join(', ')}]`;
}

const JINJA_MARKERS = /\{\{|\{%|\{#|%\}|\}\}|#\}/;

/**
 * A SQL string literal (quotes doubled); `null` for the empty string. Text that Jinja would
 * interpret is wrapped in {% raw %} so it reaches the warehouse exactly as written.
 */
export function sqlString(value: string): string {
  if (value === '') return 'null';
  const literal = `'${value.replace(/'/g, "''")}'`;
  return JINJA_MARKERS.test(value) ? `{% raw %}${literal}{% endraw %}` : literal;
}
