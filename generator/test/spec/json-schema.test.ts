// A stale schema/c360.schema.json fails here; UPDATE_GOLDEN=1 rewrites it.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildJsonSchema } from '../../src/spec/json-schema.js';

const FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schema', 'c360.schema.json');

describe('schema/c360.schema.json', () => {
  it('is generated from the zod schema and up to date', () => {
    const expected = JSON.stringify(buildJsonSchema(), null, 2) + '\n';
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(dirname(FILE), { recursive: true });
      writeFileSync(FILE, expected);
    }
    expect(readFileSync(FILE, 'utf8')).toBe(expected);
  });

  it('is strict and carries the name, window and relation patterns', () => {
    const s = buildJsonSchema() as any;
    expect(s.additionalProperties).toBe(false);
    expect(s.properties.id_types.minProperties).toBe(1);
    expect(s.properties.inputs.additionalProperties.properties.ids.minProperties).toBe(1);
    expect(s.required).toEqual(['version', 'entity', 'id_types', 'inputs']);
    expect(s.properties.version.const ?? s.properties.version.enum?.[0]).toBe(1);
    expect(JSON.stringify(s.properties.inputs.propertyNames)).toContain('a-z0-9_');
    expect(s.properties.features.anyOf ?? s.properties.features.type).toBeTruthy();
    const inputs = s.properties.inputs.additionalProperties;
    expect(inputs.additionalProperties).toBe(false);
    expect(new RegExp(inputs.properties.relation.pattern).test("source('shop', 'orders')")).toBe(true);
  });
});
