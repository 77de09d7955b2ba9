// loadSpec: c360.yml text → resolved Spec + every problem found, each with a position.
//
//   1. YAML (`parseDocument` with a LineCounter): syntax errors and duplicate keys.
//   2. Shape (zod `safeParse` of SpecSchema): every issue's path is mapped back to its YAML node.
//   3. Meaning (cross-references, aggregates, cycles, SQL snippets), run on the raw data even when
//      the shape is wrong somewhere else, so that one run reports every problem.
//   4. Resolve (only without errors): defaults filled in, positions attached.

import { isCollection, isMap, isNode, isScalar, LineCounter, parseDocument, type Document, type Pair } from 'yaml';
import type { ZodIssue } from 'zod';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { closest, didYouMean } from '../diagnostics/suggest.js';
import type { Diagnostic, Severity } from '../diagnostics/types.js';
import {
  ALLOWED_KEYS,
  MSG,
  NAME_MAX,
  NAME_RE,
  pathShape,
  REF_RELATION_RE,
  SOURCE_RELATION_RE,
  SpecSchema,
  TABLE_RELATION_RE,
  WINDOW_RE,
  type RawSpec,
} from './schema.js';
import { aggFunctionOf, COMBINABLE, referencedNames, singleExpressionProblem } from './sql.js';
import type {
  FeatureSpec,
  IdTypeSpec,
  InputSpec,
  Normalizer,
  RelationSpec,
  SourcePos,
  Spec,
  WindowSpec,
} from './types.js';

export interface LoadResult {
  /** The resolved spec, or null when there is at least one error. */
  spec: Spec | null;
  /** Errors and warnings, sorted by position. */
  diagnostics: Diagnostic[];
}

type Path = readonly (string | number)[];
type Loc = Pick<Diagnostic, 'line' | 'col' | 'endLine' | 'endCol'>;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const entries = (v: unknown): [string, unknown][] => (isObj(v) ? Object.entries(v) : []);

/** `features.total_revenue.from[0]` */
export function pathToString(path: Path): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}

function valueAt(data: unknown, path: Path): unknown {
  let v: unknown = data;
  for (const p of path) {
    if (Array.isArray(v) && typeof p === 'number') v = v[p];
    else if (isObj(v)) v = v[String(p)];
    else return undefined;
  }
  return v;
}

function describeValue(v: unknown): string {
  if (v === null) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `${typeof v === 'number' ? 'the number' : typeof v === 'boolean' ? 'the boolean' : typeof v} ${String(v)}`;
}

function describeExpected(t: string): string {
  switch (t) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'number':
      return 'a number';
    default:
      return t;
  }
}

const KIND_BY_SECTION: Record<string, string> = {
  id_types: 'id type',
  inputs: 'input',
  features: 'feature',
  sources: 'source',
};

class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly doc: Document,
    private readonly lc: LineCounter,
    private readonly file: string,
  ) {}

  add(code: DiagnosticCode, severity: Severity, message: string, loc: Loc, hint?: string): void {
    const d: Diagnostic = { code, severity, message, file: this.file, ...loc };
    if (hint) d.hint = hint;
    this.diagnostics.push(d);
  }

  error(code: DiagnosticCode, message: string, loc: Loc, hint?: string): void {
    this.add(code, 'error', message, loc, hint);
  }

  warn(code: DiagnosticCode, message: string, loc: Loc, hint?: string): void {
    this.add(code, 'warning', message, loc, hint);
  }

  fromOffsets(start: number, end: number): Loc {
    const s = this.lc.linePos(start);
    const e = this.lc.linePos(Math.max(start, end));
    return { line: s.line, col: s.col, endLine: e.line, endCol: e.col };
  }

  private pair(path: Path): Pair | undefined {
    if (path.length === 0) return undefined;
    const parent = path.length === 1 ? this.doc.contents : this.doc.getIn(path.slice(0, -1), true);
    if (!isMap(parent)) return undefined;
    const last = path[path.length - 1];
    return parent.items.find((p) => (isScalar(p.key) ? String(p.key.value) === String(last) : p.key === last));
  }

  /**
   * Where `path` is in the file. `key`: point at the key rather than the value. Collections point at
   * their key (one line, not a block); a missing node points at its parent's key.
   */
  locate(path: Path, key = false): Loc {
    if (path.length > 0 && typeof path[path.length - 1] === 'string') {
      const pair = this.pair(path);
      const node = pair?.value;
      const empty = isScalar(node) && node.range !== undefined && node.range !== null && node.range[0] === node.range[1];
      const useKey = key || !isNode(node) || isCollection(node) || empty;
      if (useKey && isNode(pair?.key) && pair.key.range) return this.fromOffsets(pair.key.range[0], pair.key.range[1]);
    }
    const node = path.length === 0 ? this.doc.contents : this.doc.getIn(path, true);
    if (isNode(node) && node.range) {
      if (isCollection(node)) return { line: this.lc.linePos(node.range[0]).line, col: this.lc.linePos(node.range[0]).col };
      return this.fromOffsets(node.range[0], node.range[1]);
    }
    if (path.length > 0) return this.locate(path.slice(0, -1), true);
    return { line: 1, col: 1 };
  }

  pos(path: Path): SourcePos {
    const l = this.locate(path, true);
    return { line: l.line, col: l.col };
  }
}

export function loadSpec(text: string, file: string): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const r = new Reporter(doc, lineCounter, file);

  for (const e of doc.errors) {
    const loc = r.fromOffsets(e.pos[0], e.pos[1]);
    if (e.code === 'DUPLICATE_KEY') {
      const m = /^(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)'|([^\n#]*?))\s*:(?:\s|$)/.exec(text.slice(e.pos[0]));
      const key = m ? (m[1] ?? m[2]?.replaceAll("''", "'") ?? m[3]!) : text.slice(e.pos[0], e.pos[1]);
      const span = m ? m[0].replace(/\s*:\s*$/, '').length : e.pos[1] - e.pos[0];
      r.error('C360-E102', `duplicate key ${JSON.stringify(key)}`, r.fromOffsets(e.pos[0], e.pos[0] + span), 'each key may appear once per mapping; remove or merge the repeated one');
    } else {
      r.error('C360-E101', `invalid YAML: ${e.message.replace(/\s+/g, ' ').trim()}`, loc);
    }
  }
  if (doc.errors.some((e) => e.code !== 'DUPLICATE_KEY')) return done(r, null);

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    r.error('C360-E101', `invalid YAML: ${(e as Error).message}`, { line: 1, col: 1 });
    return done(r, null);
  }

  const parsed = SpecSchema.safeParse(raw);
  if (!parsed.success) for (const issue of parsed.error.issues) reportIssue(r, issue, raw);
  checkMeaning(r, raw);

  if (!parsed.success || r.diagnostics.some((d) => d.severity === 'error')) return done(r, null);
  return done(r, resolve(r, parsed.data));
}

function done(r: Reporter, spec: Spec | null): LoadResult {
  const seen = new Set<string>();
  const diagnostics = r.diagnostics
    .filter((d) => {
      const k = `${d.code} ${d.line}:${d.col} ${d.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map((d, i) => [d, i] as const)
    .sort(([a, i], [b, j]) => a.line - b.line || a.col - b.col || i - j)
    .map(([d]) => d);
  return { spec, diagnostics };
}

// ---------------------------------------------------------------------------------------------
// zod issues → diagnostics

function reportIssue(r: Reporter, issue: ZodIssue, raw: unknown): void {
  const path = issue.path;
  const where = pathToString(path);
  const last = path[path.length - 1];
  const section = String(path[0] ?? '');
  /** The issue is about a name used as a key (id_types.<name>, inputs.<name>, ...). */
  const isNameKey = path.length === 2 && section in KIND_BY_SECTION;
  const nameIssue = isNameKey && ['invalid_string', 'too_big', 'custom'].includes(issue.code);
  const value = nameIssue ? String(last) : valueAt(raw, path);
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);

  if (issue.message === MSG.positiveInt && (issue.code === 'too_small' || issue.code === 'invalid_type') && typeof value === 'number') {
    r.error('C360-E117', `${where} must be a positive whole number, got ${shown}`, r.locate(path), POSITIVE_HINTS[String(last)]);
    return;
  }

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = ALLOWED_KEYS[pathShape(path)] ?? [];
      for (const key of issue.keys) {
        const msg = path.length === 0 ? `unknown top-level key "${key}"` : `unknown key "${key}" in ${where}`;
        r.error('C360-E103', msg, r.locate([...path, key], true), didYouMean(key, allowed) ?? `allowed keys: ${allowed.join(', ')}`);
      }
      return;
    }
    case 'invalid_type': {
      if (issue.received === 'undefined') {
        const parent = pathToString(path.slice(0, -1));
        const msg = parent ? `missing required key "${String(last)}" in ${parent}` : `missing required top-level key "${String(last)}"`;
        r.error('C360-E104', msg, r.locate(path), REQUIRED_HINTS[String(last)]);
        return;
      }
      const subject = where === '' ? 'the spec' : where;
      let hint: string | undefined;
      if (last === 'default_country' && typeof value === 'number') hint = `quote it: default_country: '${value}'`;
      else if (path.length === 2 && value === null && (section === 'id_types' || section === 'sources')) hint = 'write `{}` to use the defaults';
      else if (last === 'window' && typeof value === 'number') hint = `add a unit, e.g. window: ${value} days`;
      else if (where === '') hint = 'a c360.yml is a mapping with version, entity, id_types and inputs (run `c360-gen init` for a starter)';
      r.error('C360-E105', `${subject} must be ${describeExpected(issue.expected)}, got ${describeValue(value)}`, r.locate(path), hint);
      return;
    }
    case 'invalid_literal': {
      if (value === undefined) {
        const parent = pathToString(path.slice(0, -1));
        const msg = parent ? `missing required key "${String(last)}" in ${parent}` : `missing required top-level key "${String(last)}"`;
        r.error('C360-E104', msg, r.locate(path), REQUIRED_HINTS[String(last)]);
      } else if (where === 'version') {
        r.error('C360-E106', `unsupported spec version ${shown}`, r.locate(path), 'this c360-gen reads `version: 1`');
      } else {
        r.error('C360-E110', `invalid ${where} ${shown}`, r.locate(path), `expected ${JSON.stringify(issue.expected)}`);
      }
      return;
    }
    case 'invalid_enum_value': {
      const options = issue.options.map(String);
      r.error(
        'C360-E110',
        `invalid ${String(last)} ${shown} in ${pathToString(path.slice(0, -1))}`,
        r.locate(path),
        didYouMean(String(issue.received), options) ?? `one of: ${options.join(', ')}`,
      );
      return;
    }
    case 'invalid_union': {
      const branch = issue.unionErrors[Array.isArray(value) ? 1 : 0];
      const inner = branch?.issues ?? [];
      const ownType = inner.some((i) => i.code === 'invalid_type' && i.path.length === path.length);
      if (inner.length > 0 && !ownType) {
        for (const i of inner) reportIssue(r, i, raw);
      } else {
        const what = last === 'from' || path[path.length - 2] === 'from' ? 'an input name or a list of input names' : path[2] === 'ids' ? 'a column name or a list of column names' : 'a string or a list of strings';
        r.error('C360-E105', `${where} must be ${what}, got ${describeValue(value)}`, r.locate(path));
      }
      return;
    }
    case 'too_small': {
      if (issue.type === 'array') {
        r.error('C360-E114', `${where} must not be an empty list`, r.locate(path));
      } else {
        r.error('C360-E116', `${where} must not be empty`, r.locate(path));
      }
      return;
    }
    case 'too_big': {
      const kind = isNameKey ? KIND_BY_SECTION[section]! : where;
      r.error('C360-E107', `${kind} name ${shown} is longer than ${NAME_MAX} characters`, r.locate(path, isNameKey), `shorten it to at most ${NAME_MAX} characters`);
      return;
    }
    case 'invalid_string':
    case 'custom':
      reportMarker(r, issue.message, path, isNameKey, shown, value);
      return;
    default:
      r.error('C360-E116', `${where || 'the spec'}: ${issue.message}`, r.locate(path));
  }
}

const POSITIVE_HINTS: Record<string, string> = {
  limit: 'e.g. limit: 1 for user_id, limit: 5 for email',
  priority: '1 is the highest priority; links touching the lowest-priority types are dropped first',
  max_cluster_size: 'e.g. max_cluster_size: 100',
  shared_identifier_max_links: 'e.g. shared_identifier_max_links: 50',
};

const REQUIRED_HINTS: Record<string, string> = {
  version: 'add `version: 1` at the top',
  entity: 'add e.g. `entity: customer`',
  id_types: 'declare the identifier types, e.g. `id_types: { email: {} }`',
  inputs: 'declare at least one input table',
  relation: "e.g. relation: source('shop', 'orders')",
  occurred_at: 'name the column with the row timestamp, e.g. occurred_at: created_at',
  ids: 'map id types to columns, e.g. ids: { email: email }',
};

function reportMarker(r: Reporter, marker: string, path: Path, isNameKey: boolean, shown: string, value: unknown): void {
  const where = pathToString(path);
  const section = String(path[0] ?? '');
  switch (marker) {
    case MSG.name: {
      const kind = isNameKey ? KIND_BY_SECTION[section]! : where;
      const snake = String(value).trim().replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
      const hint = NAME_RE.test(snake) ? `names are snake_case; did you mean \`${snake}\`?` : 'names are snake_case: a lowercase letter, then lowercase letters, digits or `_`';
      r.error('C360-E107', `invalid ${kind} name ${shown}`, r.locate(path, isNameKey), hint);
      return;
    }
    case MSG.reservedEntity:
      r.error('C360-E108', `entity name ${shown} is reserved`, r.locate(path, isNameKey), '`node_id` and `component_id` are columns of the generated identity models; pick another entity name, e.g. `customer` or `account`');
      return;
    case MSG.reserved: {
      const kind = isNameKey ? KIND_BY_SECTION[section]! : where;
      r.error('C360-E108', `${kind} name ${shown} is reserved`, r.locate(path, isNameKey), '`occurred_at` and names starting with `c360_` are used by the generated project; pick another name');
      return;
    }
    case MSG.column:
      r.error('C360-E109', `invalid column name ${shown} in ${where}`, r.locate(path), 'a column is an unquoted identifier: letters, digits and `_`, not starting with a digit');
      return;
    case MSG.window:
      r.error('C360-E111', `invalid window ${shown} in ${where}`, r.locate(path), 'write a whole number and a unit: "7 days", "12 hours", "2 weeks", "3 months", "1 year"');
      return;
    case MSG.relation:
      r.error('C360-E112', `invalid relation ${shown} in ${where}`, r.locate(path), "write source('name', 'table'), ref('model'), schema.table or table");
      return;
    case MSG.defaultCountry:
      r.error('C360-E113', `invalid default_country ${shown} in ${where}`, r.locate(path), "a calling code: 1 to 3 digits, quoted, e.g. '1' or '44'");
      return;
    case MSG.empty: {
      const hint = path[path.length - 1] === 'ids' ? 'map at least one id type to a column, e.g. { email: email }' : `declare at least one entry under ${where}`;
      r.error('C360-E114', `${where} must not be empty`, r.locate(path), hint);
      return;
    }
    default:
      r.error('C360-E116', `${where || 'the spec'}: ${marker}`, r.locate(path));
  }
}

// ---------------------------------------------------------------------------------------------
// Meaning: checked on the raw data, defensively, so shape errors elsewhere don't hide these.

const defaultNormalizer = (name: string): Normalizer => (name === 'email' ? 'email' : name === 'phone' ? 'phone' : 'trim');

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

function checkMeaning(r: Reporter, raw: unknown): void {
  if (!isObj(raw)) return;
  const entity = typeof raw.entity === 'string' ? raw.entity : null;
  const idTypeNames = Object.keys(isObj(raw.id_types) ? raw.id_types : {});
  const inputNames = Object.keys(isObj(raw.inputs) ? raw.inputs : {});
  const featureEntries = entries(raw.features);
  const featureNames = featureEntries.map(([n]) => n);

  const sqlCheck = (v: unknown, path: Path) => {
    if (typeof v !== 'string') return;
    const problem = singleExpressionProblem(v);
    if (problem) {
      r.error('C360-E306', `${pathToString(path)} must be a single SQL expression, but it ${problem}`, r.locate(path), 'the SQL is inlined into the generated models; remove it (YAML comments start with `#`)');
    }
  };

  // id types
  for (const [name, t] of entries(raw.id_types)) {
    if (!isObj(t)) continue;
    if (isObj(t.exclude)) {
      const rx = t.exclude.regex;
      const items: [unknown, Path][] = Array.isArray(rx)
        ? rx.map((s, i) => [s, ['id_types', name, 'exclude', 'regex', i]])
        : [[rx, ['id_types', name, 'exclude', 'regex']]];
      for (const [s, path] of items) {
        if (typeof s !== 'string') continue;
        try {
          new RegExp(s);
        } catch (e) {
          const why = (e as Error).message.split(': ').pop();
          r.error('C360-E115', `invalid regular expression ${JSON.stringify(s)} in ${pathToString(path)}: ${why}`, r.locate(path), s.includes('\\') ? "in YAML, single-quote patterns with backslashes: '.*@example\\.com$'" : undefined);
        }
      }
    }
    const normalize = typeof t.normalize === 'string' ? t.normalize : defaultNormalizer(name);
    if (t.default_country !== undefined && normalize !== 'phone') {
      r.warn('C360-W402', `id_types.${name}.default_country has no effect: normalize is ${normalize}`, r.locate(['id_types', name, 'default_country'], true), 'set `normalize: phone`, or remove default_country');
    }
  }

  // identity guards
  const identity = isObj(raw.identity) ? raw.identity : {};
  if (typeof identity.max_cluster_size === 'number' && Number.isInteger(identity.max_cluster_size) && identity.max_cluster_size === 1) {
    r.error('C360-E501', 'identity.max_cluster_size must be at least 2: a cap of 1 would stitch nothing', r.locate(['identity', 'max_cluster_size']), 'raise it, or remove it and use per-type limits');
  }
  const typeEntries = entries(raw.id_types).filter(([, t]) => isObj(t)) as [string, Obj][];
  const anyLimit = typeEntries.some(([, t]) => t.limit !== undefined) || identity.max_cluster_size !== undefined;
  const byPriority = new Map<number, string[]>();
  typeEntries.forEach(([name, t], i) => {
    const pr = typeof t.priority === 'number' && Number.isInteger(t.priority) && t.priority > 0 ? t.priority : t.priority === undefined ? i + 1 : null;
    if (pr !== null) byPriority.set(pr, [...(byPriority.get(pr) ?? []), name]);
    if (t.priority !== undefined && !anyLimit) {
      r.warn('C360-W404', `id_types.${name}.priority has no effect: no id type has a limit and identity.max_cluster_size is not set`, r.locate(['id_types', name, 'priority'], true), 'add `limit: N` to an id type, or remove priority');
    }
  });
  if (anyLimit) {
    for (const [pr, names] of byPriority) {
      if (names.length < 2) continue;
      const explicit = names.find((n) => isObj(raw.id_types) && isObj((raw.id_types as Obj)[n]) && ((raw.id_types as Obj)[n] as Obj).priority !== undefined) ?? names[1]!;
      r.warn('C360-W405', `id types ${names.map((n) => `"${n}"`).join(', ')} share priority ${pr}: their links are dropped together when a cluster breaks a limit`, r.locate(['id_types', explicit, 'priority'], true), 'give each id type its own priority (1 = highest; default: position in id_types)');
    }
  }

  // inputs
  const usedIdTypes = new Set<string>();
  /** Id types suggested for a misspelt one: not reported as unused as well. */
  const suggestedIdTypes = new Set<string>();
  const usedSources = new Set<string>();
  for (const [name, inp] of entries(raw.inputs)) {
    if (!isObj(inp)) continue;
    for (const [idType] of entries(inp.ids)) {
      if (idTypeNames.includes(idType)) usedIdTypes.add(idType);
      else if (isObj(raw.id_types)) {
        const suggestion = closest(idType, idTypeNames);
        if (suggestion) suggestedIdTypes.add(suggestion);
        r.error(
          'C360-E202',
          `unknown id type "${idType}" in inputs.${name}.ids`,
          r.locate(['inputs', name, 'ids', idType], true),
          didYouMean(idType, idTypeNames) ?? `declare it under id_types (declared: ${idTypeNames.join(', ')})`,
        );
      }
    }
    sqlCheck(inp.where, ['inputs', name, 'where']);
    if (typeof inp.relation === 'string') {
      const s = SOURCE_RELATION_RE.exec(inp.relation);
      const t = TABLE_RELATION_RE.exec(inp.relation);
      if (s) usedSources.add(s[1]!);
      else if (t?.[1]) usedSources.add(t[1]);
    }
  }

  // features
  const graph = new Map<string, string[]>();
  for (const [name, f] of featureEntries) {
    const fpath = ['features', name];
    if (entity && name === `${entity}_id`) {
      r.error('C360-E308', `feature "${name}" collides with the canonical id column ${entity}_id`, r.locate(fpath, true), 'rename the feature');
    }
    if (!isObj(f)) continue;
    const hasAgg = f.agg !== undefined;
    const hasExpr = f.expr !== undefined;
    if (hasAgg && hasExpr) {
      r.error('C360-E301', `feature "${name}" has both agg and expr`, r.locate(fpath, true), 'an aggregate feature has `agg` (with `from`, `where`, `window`); a derived feature has `expr`: keep one');
    } else if (!hasAgg && !hasExpr) {
      r.error('C360-E302', `feature "${name}" has neither agg nor expr`, r.locate(fpath, true), 'add `agg: count(*)` (with `from`) for an aggregate feature, or `expr: ...` for a derived feature');
    }
    if (hasAgg) {
      const fn = typeof f.agg === 'string' ? aggFunctionOf(f.agg) : null;
      if (typeof f.agg === 'string' && !fn) {
        r.error('C360-E303', `unsupported aggregate ${JSON.stringify(f.agg)} in features.${name}.agg`, r.locate([...fpath, 'agg']), '`agg` starts with count(, count(distinct, sum(, avg(, min( or max(');
      }
      sqlCheck(f.agg, [...fpath, 'agg']);
      const from = asList(f.from);
      if (isObj(raw.inputs)) {
        from.forEach((x, i) => {
          if (typeof x !== 'string' || inputNames.includes(x)) return;
          const path = Array.isArray(f.from) ? [...fpath, 'from', i] : [...fpath, 'from'];
          r.error('C360-E201', `unknown input "${x}" in features.${name}.from`, r.locate(path), didYouMean(x, inputNames) ?? `declared inputs: ${inputNames.join(', ')}`);
        });
        if (f.from === undefined && !hasExpr && inputNames.length > 1) {
          r.error('C360-E203', `feature "${name}" needs \`from\`: the spec has ${inputNames.length} inputs`, r.locate(fpath, true), `add \`from: ${inputNames[0]}\` or a list of inputs`);
        }
      }
      const distinctFrom = new Set(from.filter((x) => typeof x === 'string'));
      if (fn && !COMBINABLE.has(fn) && distinctFrom.size > 1) {
        const label = fn === 'count_distinct' ? 'count(distinct ...)' : `${fn}(...)`;
        const hint =
          fn === 'avg'
            ? 'make a sum feature and a count feature over these inputs, and a derived feature `expr: the_sum / nullif(the_count, 0)`'
            : 'use one input, or union the inputs in a model and use it as one input (ref(...))';
        r.error('C360-E304', `features.${name}.agg uses ${label}, which does not combine across ${distinctFrom.size} inputs`, r.locate([...fpath, 'agg']), `${hint}; count, sum, min and max combine across inputs`);
      }
      sqlCheck(f.where, [...fpath, 'where']);
    }
    if (hasExpr) {
      sqlCheck(f.expr, [...fpath, 'expr']);
      if (typeof f.expr === 'string') graph.set(name, referencedNames(f.expr, featureNames));
      if (!hasAgg) {
        for (const key of ['from', 'where', 'window']) {
          if (f[key] === undefined) continue;
          r.error('C360-E307', `\`${key}\` does not apply to derived feature "${name}"`, r.locate([...fpath, key], true), '`from`, `where` and `window` belong to aggregate features (`agg`); an `expr` is computed from other features');
        }
      }
    }
  }
  for (const cycle of findCycles(graph, featureNames)) {
    const msg = cycle.length === 2 ? `feature "${cycle[0]}" references itself: ${cycle.join(' -> ')}` : `features form a cycle: ${cycle.join(' -> ')}`;
    r.error('C360-E305', msg, r.locate(['features', cycle[0]!, 'expr']), 'a derived feature can use aggregate features and derived features that do not depend on it');
  }

  // warnings
  if (isObj(raw.inputs) && entries(raw.inputs).every(([, inp]) => isObj(inp) && isObj(inp.ids))) {
    for (const name of idTypeNames) {
      if (usedIdTypes.has(name) || suggestedIdTypes.has(name)) continue;
      r.warn('C360-W401', `id type "${name}" is declared but no input uses it`, r.locate(['id_types', name], true), "map a column to it in an input's `ids`, or remove it");
    }
  }
  if (entries(raw.inputs).every(([, inp]) => isObj(inp) && typeof inp.relation === 'string')) {
    for (const [name] of entries(raw.sources)) {
      if (usedSources.has(name)) continue;
      r.warn('C360-W403', `source "${name}" is declared but no input reads from it`, r.locate(['sources', name], true), `use it in a relation, e.g. source('${name}', 'table'), or remove it`);
    }
  }
}

/** Each cycle among derived features once, as a path from its first (in spec order) feature back to it. */
function findCycles(graph: Map<string, string[]>, order: string[]): string[][] {
  const rank = new Map(order.map((n, i) => [n, i]));
  // Tarjan's strongly connected components.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const sccs: string[][] = [];
  const edges = (n: string) => (graph.get(n) ?? []).filter((d) => graph.has(d));
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges(v)) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      sccs.push(scc);
    }
  };
  for (const n of order) if (graph.has(n) && !idx.has(n)) visit(n);

  const cycles: string[][] = [];
  for (const scc of sccs) {
    const members = new Set(scc);
    const start = [...scc].sort((a, b) => rank.get(a)! - rank.get(b)!)[0]!;
    if (scc.length === 1 && !edges(start).includes(start)) continue;
    // Shortest path start -> ... -> start inside the component (BFS, neighbours in name order).
    const prev = new Map<string, string>();
    const queue = [start];
    let found = false;
    while (queue.length > 0 && !found) {
      const v = queue.shift()!;
      for (const w of edges(v).filter((x) => members.has(x)).sort()) {
        if (w === start) {
          prev.set('\0end', v);
          found = true;
          break;
        }
        if (!prev.has(w)) {
          prev.set(w, v);
          queue.push(w);
        }
      }
    }
    const path = [start];
    for (let v = prev.get('\0end')!; v !== start; v = prev.get(v)!) path.unshift(v);
    path.unshift(start);
    cycles.push(path);
  }
  return cycles.sort((a, b) => rank.get(a[0]!)! - rank.get(b[0]!)!);
}

// ---------------------------------------------------------------------------------------------
// Resolve: the validated raw spec → Spec with every default filled in.

function parseRelation(text: string): RelationSpec {
  const s = SOURCE_RELATION_RE.exec(text);
  if (s) return { kind: 'source', source: s[1]!, table: s[2]! };
  const ref = REF_RELATION_RE.exec(text);
  if (ref) return { kind: 'ref', model: ref[1]! };
  const t = TABLE_RELATION_RE.exec(text)!;
  return { kind: 'table', schema: t[1] ?? null, table: t[2]! };
}

export const DEFAULT_PHONE_COUNTRY = '1';

function parseWindow(text: string): WindowSpec {
  const m = WINDOW_RE.exec(text)!;
  return { amount: Number(m[1]), unit: m[2]!.replace(/s$/, '') as WindowSpec['unit'], text };
}

function resolve(r: Reporter, raw: RawSpec): Spec {
  const idTypes: IdTypeSpec[] = Object.entries(raw.id_types).map(([name, t], i) => {
    const normalize = t.normalize ?? defaultNormalizer(name);
    return {
      name,
      normalize,
      junk: t.junk ?? true,
      junkValues: t.junk_values ?? [],
      excludeValues: t.exclude?.values ?? [],
      excludeRegex: asList(t.exclude?.regex) as string[],
      limit: t.limit ?? null,
      priority: t.priority ?? i + 1,
      // Phones without a country code are read as NANP (+1) unless the spec says otherwise.
      defaultCountry: t.default_country ?? (normalize === 'phone' ? DEFAULT_PHONE_COUNTRY : ''),
      pos: r.pos(['id_types', name]),
    };
  });

  const inputs: InputSpec[] = Object.entries(raw.inputs).map(([name, inp]) => ({
    name,
    relation: parseRelation(inp.relation),
    occurredAt: inp.occurred_at,
    ids: Object.entries(inp.ids).flatMap(([idType, cols]) => (asList(cols) as string[]).map((column) => ({ idType, column }))),
    where: inp.where ?? null,
    description: inp.description ?? null,
    pos: r.pos(['inputs', name]),
  }));

  const featureNames = Object.keys(raw.features ?? {});
  const features: FeatureSpec[] = Object.entries(raw.features ?? {}).map(([name, f]): FeatureSpec => {
    const pos = r.pos(['features', name]);
    const description = f.description ?? null;
    if (f.expr !== undefined) {
      return {
        kind: 'derived',
        name,
        expr: f.expr,
        dependsOn: referencedNames(f.expr, featureNames).filter((d) => d !== name),
        description,
        pos,
      };
    }
    const from = f.from === undefined ? inputs.map((i) => i.name) : [...new Set(asList(f.from) as string[])];
    return {
      kind: 'aggregate',
      name,
      from,
      agg: f.agg!,
      aggFunction: aggFunctionOf(f.agg!)!,
      where: f.where ?? null,
      window: f.window === undefined ? null : parseWindow(f.window),
      description,
      pos,
    };
  });

  return {
    version: 1,
    entity: raw.entity,
    warehouse: { type: raw.warehouse?.type ?? 'duckdb', path: raw.warehouse?.path ?? 'c360.duckdb', schema: raw.warehouse?.schema ?? 'c360' },
    sources: Object.entries(raw.sources ?? {}).map(([name, s]) => ({ name, schema: s.schema ?? name, database: s.database ?? null })),
    idTypes,
    identity: {
      maxClusterSize: raw.identity?.max_cluster_size ?? null,
      sharedIdentifierMaxLinks: raw.identity?.shared_identifier_max_links ?? null,
    },
    inputs,
    features,
  };
}
