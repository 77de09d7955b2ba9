// Stable diagnostic codes. A code never changes meaning: retire a code rather than reuse it.
//   C360-E0xx  the spec file itself
//   C360-E1xx  YAML and schema (shape, names, syntax of values)
//   C360-E2xx  references between parts of the spec
//   C360-E3xx  features
//   C360-E5xx  identity guards (limits, priorities, cluster size)
//   C360-W4xx  warnings

export const CODES = {
  'C360-E001': 'spec file not found',

  'C360-E101': 'invalid YAML',
  'C360-E102': 'duplicate key',
  'C360-E103': 'unknown key',
  'C360-E104': 'missing required key',
  'C360-E105': 'wrong type',
  'C360-E106': 'unsupported spec version',
  'C360-E107': 'invalid name',
  'C360-E108': 'reserved name',
  'C360-E109': 'invalid column name',
  'C360-E110': 'invalid choice',
  'C360-E111': 'invalid window',
  'C360-E112': 'invalid relation',
  'C360-E113': 'invalid default_country',
  'C360-E114': 'empty collection',
  'C360-E115': 'invalid regular expression',
  'C360-E116': 'invalid value',
  'C360-E117': 'not a positive whole number',

  'C360-E201': 'unknown input',
  'C360-E202': 'unknown id type',
  'C360-E203': 'missing feature input',

  'C360-E301': 'both agg and expr',
  'C360-E302': 'neither agg nor expr',
  'C360-E303': 'unsupported aggregate function',
  'C360-E304': 'aggregate does not combine across inputs',
  'C360-E305': 'feature dependency cycle',
  'C360-E306': 'not a single SQL expression',
  'C360-E307': 'key not allowed on a derived feature',
  'C360-E308': 'feature name collides with the canonical id column',

  'C360-E501': 'max_cluster_size below 2',

  'C360-W401': 'unused id type',
  'C360-W402': 'default_country without phone normalization',
  'C360-W403': 'unused source',
  'C360-W404': 'priority without any limit',
  'C360-W405': 'id types share a priority',
} as const satisfies Record<string, string>;

export type DiagnosticCode = keyof typeof CODES;

export function codeTitle(code: string): string | undefined {
  return (CODES as Record<string, string>)[code];
}
