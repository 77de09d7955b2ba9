// The zod schema of the raw c360.yml, following docs/spec-v1.md. It checks shape only (keys, types,
// name/column/window/relation syntax); cross-references (unknown inputs, cycles, ...) are checked
// in load.ts, which also turns every zod issue into a positioned Diagnostic.
//
// Validation messages that start with `c360:` are markers that load.ts maps to a code and a human
// message; they never reach the user as written. The same schema feeds schema/c360.schema.json.

import { z } from 'zod';

/** Names of the entity, id types, inputs, features and sources. */
export const NAME_RE = /^[a-z][a-z0-9_]*$/;
export const NAME_MAX = 63;
/** Names the generated project uses itself: `occurred_at` and the `c360_` prefix. */
export const NOT_RESERVED_RE = /^(?!c360_)(?!occurred_at$)/;
/** `<entity>_id` must not collide with the generated id graph's `node_id` / `component_id`. */
export const ENTITY_NOT_RESERVED_RE = /^(?!(node|component)$)/;
/** Column names as written in the warehouse (unquoted identifiers). */
export const COLUMN_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const WINDOW_RE = /^([1-9][0-9]*) +(hours?|days?|weeks?|months?|years?)$/;
export const DEFAULT_COUNTRY_RE = /^[0-9]{1,3}$/;

const ID = '[A-Za-z_][A-Za-z0-9_]*';
const QUOTED = `(?:'${ID}'|"${ID}")`;
/** `source('a', 'b')`, `ref('m')`, `schema.table` or `table`. */
export const RELATION_RE = new RegExp(
  `^(?:source\\( *${QUOTED} *, *${QUOTED} *\\)|ref\\( *${QUOTED} *\\)|${ID}(?:\\.${ID})?)$`,
);
export const SOURCE_RELATION_RE = new RegExp(`^source\\( *['"](${ID})['"] *, *['"](${ID})['"] *\\)$`);
export const REF_RELATION_RE = new RegExp(`^ref\\( *['"](${ID})['"] *\\)$`);
export const TABLE_RELATION_RE = new RegExp(`^(?:(${ID})\\.)?(${ID})$`);

export const NORMALIZERS = ['email', 'phone', 'trim', 'none'] as const;

export const MSG = {
  name: 'c360:name',
  reserved: 'c360:reserved',
  reservedEntity: 'c360:reserved-entity',
  column: 'c360:column',
  window: 'c360:window',
  relation: 'c360:relation',
  defaultCountry: 'c360:default_country',
  empty: 'c360:empty',
  positiveInt: 'c360:positive_int',
} as const;

const name = () => z.string().max(NAME_MAX).regex(NAME_RE, MSG.name);
/** Id type, input and feature names: also not reserved. */
const userName = () => name().regex(NOT_RESERVED_RE, MSG.reserved);
const column = () => z.string().regex(COLUMN_RE, MSG.column);
const oneOrMany = <T extends z.ZodTypeAny>(t: T) => z.union([t, z.array(t).min(1)]);
const nonEmpty = (o: object) => Object.keys(o).length > 0;
const positiveInt = () => z.number().int(MSG.positiveInt).positive(MSG.positiveInt);

export const WarehouseSchema = z
  .object({
    type: z
      .enum(['duckdb', 'postgres'])
      .optional()
      .describe('The default dbt target of the generated profiles.yml, which has both: duckdb (a local file) and postgres (connection from C360_PG_* environment variables). Default: duckdb.'),
    path: z.string().min(1).optional().describe('DuckDB file of the duckdb target, relative to the generated project. Default: c360.duckdb.'),
    schema: name()
      .optional()
      .describe('Schema the postgres target builds into (C360_PG_SCHEMA overrides it). Default: c360.'),
  })
  .strict()
  .describe('Where the generated project runs. Default: { type: duckdb, path: c360.duckdb, schema: c360 }.');

export const SourceLocationSchema = z
  .object({
    schema: z.string().min(1).optional().describe('Schema the source tables live in. Default: the source name.'),
    database: z.string().min(1).nullable().optional().describe('Database (catalog); null for the default one.'),
  })
  .strict();

export const ExcludeSchema = z
  .object({
    values: z.array(z.string()).optional().describe('Values to drop, compared after normalisation.'),
    regex: oneOrMany(z.string())
      .optional()
      .describe('Regular expression(s); matching values (after normalisation) are dropped.'),
  })
  .strict();

export const IdTypeSchema = z
  .object({
    normalize: z
      .enum(NORMALIZERS)
      .optional()
      .describe('email | phone | trim | none. Default: email for a type named email, phone for phone, else trim.'),
    junk: z.boolean().optional().describe("Drop the built-in junk list ('', 'null', 'unknown', ...). Default: true."),
    junk_values: z
      .array(z.string())
      .optional()
      .describe('Extra junk values of this type (compared after normalisation); dropped and audited as junk.'),
    exclude: ExcludeSchema.optional(),
    limit: positiveInt()
      .optional()
      .describe('At most N identifiers of this type per cluster (e.g. user_id: 1, email: 5). Default: no limit.'),
    priority: positiveInt()
      .optional()
      .describe('1 = highest. When a cluster breaks a limit, links touching the lowest-priority id types are dropped first. Default: position in id_types.'),
    default_country: z
      .string()
      .regex(DEFAULT_COUNTRY_RE, MSG.defaultCountry)
      .optional()
      .describe("Calling code (1-3 digits, quoted: '1') added to national phone numbers."),
  })
  .strict();

export const IdentitySchema = z
  .object({
    max_cluster_size: positiveInt()
      .optional()
      .describe('At most N identifiers per cluster (at least 2). Default: no cap.'),
    shared_identifier_max_links: positiveInt()
      .optional()
      .describe('An identifier directly linked to more than N distinct identifiers (of any type) is shared: it stops stitching. Default: only the per-type limits apply.'),
  })
  .strict()
  .describe('Over-stitching guards for the whole identity graph.');

export const InputSchema = z
  .object({
    relation: z
      .string()
      .regex(RELATION_RE, MSG.relation)
      .describe("source('name', 'table'), ref('model'), schema.table or table."),
    occurred_at: column().describe('The column with the event / row timestamp.'),
    ids: z
      .record(z.string(), oneOrMany(column()))
      .refine(nonEmpty, MSG.empty)
      .describe('Id type -> column (or list of columns); at least one.'),
    where: z.string().optional().describe('SQL filter applied in staging.'),
    description: z.string().optional(),
  })
  .strict();

export const FeatureSchema = z
  .object({
    from: oneOrMany(z.string()).optional().describe('An input or a list of inputs (aggregate features).'),
    agg: z
      .string()
      .optional()
      .describe('count(...) | count(distinct ...) | sum(...) | avg(...) | min(...) | max(...)'),
    expr: z.string().optional().describe('Derived feature: SQL over other features.'),
    where: z.string().optional().describe("SQL filter on the input's rows (aggregate features)."),
    window: z
      .string()
      .regex(WINDOW_RE, MSG.window)
      .optional()
      .describe('Only rows in the last N hours|days|weeks|months|years, e.g. "30 days".'),
    description: z.string().optional(),
  })
  .strict();

export const SpecSchema = z
  .object({
    version: z.literal(1).describe('Spec version; must be 1.'),
    entity: name().regex(ENTITY_NOT_RESERVED_RE, MSG.reservedEntity).describe('The entity, e.g. customer; the canonical id column is <entity>_id.'),
    warehouse: WarehouseSchema.optional(),
    sources: z
      .record(name(), SourceLocationSchema)
      .nullable()
      .optional()
      .describe("Where a source('name', ...) lives."),
    id_types: z
      .record(userName(), IdTypeSchema)
      .refine(nonEmpty, MSG.empty)
      .describe('Identifier types (email, phone, ...); at least one.'),
    identity: IdentitySchema.optional(),
    inputs: z
      .record(userName(), InputSchema)
      .refine(nonEmpty, MSG.empty)
      .describe('Tables with identifiers and events; at least one.'),
    features: z.record(userName(), FeatureSchema).nullable().optional().describe('Features per entity.'),
  })
  .strict()
  .describe('c360-gen spec (c360.yml), version 1. See docs/spec-v1.md.');

export type RawSpec = z.infer<typeof SpecSchema>;
export type RawIdType = z.infer<typeof IdTypeSchema>;
export type RawInput = z.infer<typeof InputSchema>;
export type RawFeature = z.infer<typeof FeatureSchema>;

/** Allowed keys of each strict object, by the shape of its path (`*` = a name). */
export const ALLOWED_KEYS: Record<string, readonly string[]> = {
  '': Object.keys(SpecSchema.shape),
  warehouse: Object.keys(WarehouseSchema.shape),
  'sources.*': Object.keys(SourceLocationSchema.shape),
  'id_types.*': Object.keys(IdTypeSchema.shape),
  'id_types.*.exclude': Object.keys(ExcludeSchema.shape),
  identity: Object.keys(IdentitySchema.shape),
  'inputs.*': Object.keys(InputSchema.shape),
  'features.*': Object.keys(FeatureSchema.shape),
};

/** The ALLOWED_KEYS entry for an object at `path`. */
export function pathShape(path: readonly (string | number)[]): string {
  return path.map((p, i) => (i === 1 && ['sources', 'id_types', 'inputs', 'features'].includes(String(path[0])) ? '*' : String(p))).join('.');
}
