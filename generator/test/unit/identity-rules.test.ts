// rulesThatCanSplit (the CLI's warning) and the c360.identity_rules_changes macro (the generated
// project's guard) must say the same thing: the cases of integration_tests' test_identity_rules_changes
// model against its expected seed, through the TypeScript function.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/dbt/locate.js';
import { rulesThatCanSplit, type IdentityRules } from '../../src/plan/identity-rules.js';

const recorded: IdentityRules = { id_types: 't1', inputs: { web: 'w1', orders: 'o1' } };
const cases: Record<string, IdentityRules> = {
  unchanged: recorded,
  new_input: { id_types: 't1', inputs: { web: 'w1', orders: 'o1', crm: 'c1' } },
  id_types_changed: { id_types: 't2', inputs: { web: 'w1', orders: 'o1' } },
  input_changed: { id_types: 't1', inputs: { web: 'w2', orders: 'o1' } },
  input_removed: { id_types: 't1', inputs: { web: 'w1' } },
  everything: { id_types: 't2', inputs: { orders: 'o2', crm: 'c1' } },
};

/** identity_rules_changes_expected.csv: case_name,change_count,changes (quoted when it has commas). */
function expectedSeed(): Record<string, string[]> {
  const text = readFileSync(join(PACKAGE_ROOT, 'integration_tests', 'seeds', 'identity', 'identity_rules_changes_expected.csv'), 'utf8');
  const rows = text.trim().split('\n').slice(1);
  return Object.fromEntries(
    rows.map((line) => {
      const [, name, count, changes] = /^([^,]+),(\d+),"?(.*?)"?$/.exec(line)!;
      const list = changes === '(none)' ? [] : changes.split(' | ');
      expect(list.length).toBe(Number(count));
      return [name, list];
    }),
  );
}

describe('rulesThatCanSplit', () => {
  it('lists the same changes, in the same words, as c360.identity_rules_changes', () => {
    const expected = expectedSeed();
    expect(Object.keys(expected)).toEqual(Object.keys(cases));
    for (const [name, current] of Object.entries(cases)) expect(rulesThatCanSplit(recorded, current), name).toEqual(expected[name]);
  });
});
