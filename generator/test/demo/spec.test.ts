import { describe, expect, it } from 'vitest';
import { DEMO_SPEC } from '../../src/demo/spec.js';
import { generate } from '../../src/pipeline.js';
import { loadSpec } from '../../src/spec/load.js';

describe('DEMO_SPEC', () => {
  it('loads with no errors and no warnings', () => {
    const { spec, diagnostics } = loadSpec(DEMO_SPEC, 'c360.yml');
    expect(diagnostics).toEqual([]);
    expect(spec).not.toBeNull();
    expect(spec!.entity).toBe('customer');
    expect(spec!.idTypes.map((t) => t.name)).toEqual(['email', 'phone', 'user_id', 'anonymous_id', 'device_id', 'payments_id']);
    expect(spec!.inputs.map((i) => i.name)).toEqual(['web_events', 'app_events', 'orders', 'payments', 'support_tickets']);
    const names = spec!.features.map((f) => f.name);
    for (const f of ['total_revenue', 'order_count', 'orders_last_30_days', 'avg_order_value', 'web_sessions', 'first_seen_at', 'last_seen_at', 'support_tickets_count', 'high_priority_tickets']) {
      expect(names).toContain(f);
    }
    expect(spec!.features.every((f) => (f as { description?: string | null }).description)).toBe(true);
  });

  it('generates a dbt project', () => {
    const result = generate(DEMO_SPEC, 'c360.yml');
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.files).not.toBeNull();
    expect(result.files!.size).toBeGreaterThan(0);
  });
});
