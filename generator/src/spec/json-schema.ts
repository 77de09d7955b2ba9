// schema/c360.schema.json is generated from the zod schema (the one source of truth). A test keeps
// the committed file in sync: UPDATE_GOLDEN=1 npx vitest run generator/test/spec rewrites it.

import { zodToJsonSchema } from 'zod-to-json-schema';
import { SpecSchema } from './schema.js';

export const JSON_SCHEMA_ID = 'https://unpkg.com/c360-gen/schema/c360.schema.json';

export function buildJsonSchema(): object {
  const schema = zodToJsonSchema(SpecSchema, { target: 'jsonSchema7', $refStrategy: 'none' }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return { $schema, $id: JSON_SCHEMA_ID, title: 'c360.yml', ...rest };
}
