// schema/c360.schema.json is generated from the zod schema (the one source of truth). A test keeps
// the committed file in sync: UPDATE_GOLDEN=1 npx vitest run generator/test/spec rewrites it.

import { zodToJsonSchema } from 'zod-to-json-schema';
import { SpecSchema } from './schema.js';

export const JSON_SCHEMA_ID = 'https://unpkg.com/c360-gen/schema/c360.schema.json';

type Json = Record<string, any>;

export function buildJsonSchema(): object {
  const schema = zodToJsonSchema(SpecSchema, { target: 'jsonSchema7', $refStrategy: 'none' }) as Json;
  // zod `.refine(nonEmpty)` has no JSON Schema form: state "at least one" explicitly.
  schema.properties.id_types.minProperties = 1;
  schema.properties.inputs.minProperties = 1;
  schema.properties.inputs.additionalProperties.properties.ids.minProperties = 1;
  const { $schema, ...rest } = schema;
  return { $schema, $id: JSON_SCHEMA_ID, title: 'c360.yml', ...rest };
}
