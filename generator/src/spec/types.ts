// The validated, resolved spec: what `loadSpec` returns when there are no errors.
// Every default is filled in here so that plan/ never guesses.

/** A position in the spec file, 1-based. */
export interface SourcePos {
  line: number;
  col: number;
}

export type Normalizer = 'email' | 'phone' | 'trim' | 'none';

export interface IdTypeSpec {
  name: string;
  normalize: Normalizer;
  /** Use the built-in junk list. */
  junk: boolean;
  /** Extra junk values of this type (`junk_values`), dropped even when `junk` is false. */
  junkValues: string[];
  excludeValues: string[];
  excludeRegex: string[];
  /** At most this many identifiers of the type per cluster; null = no limit. */
  limit: number | null;
  /** 1 = highest; links touching the lowest-priority types are dropped first. Default: position. */
  priority: number;
  /** Calling code (digits) added to national phone numbers; only for normalize: phone. */
  defaultCountry: string;
  pos: SourcePos;
}

export type RelationSpec =
  | { kind: 'source'; source: string; table: string }
  | { kind: 'ref'; model: string }
  /** A bare table, `schema.table` or `table`; planned as a source named after the schema. */
  | { kind: 'table'; schema: string | null; table: string };

export interface InputIdColumn {
  idType: string;
  column: string;
}

export interface InputSpec {
  name: string;
  relation: RelationSpec;
  occurredAt: string;
  /** In spec order: id types in the order written, columns in the order written. */
  ids: InputIdColumn[];
  where: string | null;
  description: string | null;
  pos: SourcePos;
}

export type AggFunction = 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max';

export interface WindowSpec {
  amount: number;
  unit: 'hour' | 'day' | 'week' | 'month' | 'year';
  /** As written, e.g. "7 days". */
  text: string;
}

export interface AggregateFeatureSpec {
  kind: 'aggregate';
  name: string;
  from: string[];
  /** The SQL aggregate exactly as written, e.g. "sum(amount)". */
  agg: string;
  aggFunction: AggFunction;
  where: string | null;
  window: WindowSpec | null;
  description: string | null;
  pos: SourcePos;
}

export interface DerivedFeatureSpec {
  kind: 'derived';
  name: string;
  expr: string;
  /** Feature names the expression references, sorted. */
  dependsOn: string[];
  description: string | null;
  pos: SourcePos;
}

export type FeatureSpec = AggregateFeatureSpec | DerivedFeatureSpec;

export interface SourceLocationSpec {
  name: string;
  schema: string;
  database: string | null;
}

export interface WarehouseSpec {
  /** The default target of the generated profiles.yml (both targets are always written). */
  type: 'duckdb' | 'postgres';
  /** The duckdb target's file. */
  path: string;
  /** The postgres target's schema. */
  schema: string;
}

/** Over-stitching guards for the whole graph (`identity:`). */
export interface IdentityGuardSpec {
  /** At most this many identifiers per cluster; null = no cap. */
  maxClusterSize: number | null;
  /** An identifier linked to more than this many distinct identifiers is shared; null = off. */
  sharedIdentifierMaxLinks: number | null;
}

export interface Spec {
  version: 1;
  entity: string;
  warehouse: WarehouseSpec;
  /** Declared `sources:` entries (only those written in the spec). */
  sources: SourceLocationSpec[];
  idTypes: IdTypeSpec[];
  identity: IdentityGuardSpec;
  inputs: InputSpec[];
  /** In spec order. */
  features: FeatureSpec[];
}
