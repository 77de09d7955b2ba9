import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/load.js';
import { STARTER_SPEC } from '../../src/spec/starter.js';

describe('STARTER_SPEC (c360-gen init)', () => {
  it('loads with no errors and no warnings', () => {
    const { spec, diagnostics } = loadSpec(STARTER_SPEC, 'c360.yml');
    expect(diagnostics).toEqual([]);
    expect(spec).not.toBeNull();
    expect(spec!.entity).toBe('customer');
    expect(spec!.idTypes.map((t) => t.name)).toEqual(['email', 'phone', 'user_id', 'anonymous_id']);
    expect(spec!.inputs.map((i) => [i.name, i.relation])).toEqual([
      ['web_events', { kind: 'source', source: 'rudder', table: 'tracks' }],
      ['orders', { kind: 'source', source: 'shop', table: 'orders' }],
    ]);
    expect(spec!.features.some((f) => f.kind === 'aggregate' && f.window !== null)).toBe(true);
    expect(spec!.features.some((f) => f.kind === 'derived')).toBe(true);
    expect(spec!.idTypes[0]!.excludeRegex).toEqual(['.*@example\\.com$']);
  });

  it('comments every key', () => {
    const lines = STARTER_SPEC.split('\n');
    for (const key of ['version', 'entity', 'warehouse', 'sources', 'id_types', 'normalize', 'junk', 'exclude', 'default_country', 'inputs', 'relation', 'occurred_at', 'ids', 'where', 'features', 'from', 'agg', 'window', 'expr']) {
      const i = lines.findIndex((l) => new RegExp(`^\\s*${key}:`).test(l));
      expect(i, key).toBeGreaterThanOrEqual(0);
      const commented = lines[i]!.includes('#') || lines[i - 1]!.trimStart().startsWith('#') || lines[i + 1]!.includes('#');
      expect(commented, key).toBe(true);
    }
  });
});
