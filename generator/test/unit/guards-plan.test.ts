// The plan of the over-stitching guards: levels by priority, models, what id_graph reads.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/dbt/locate.js';
import { emitProject } from '../../src/emit/index.js';
import { buildPlan } from '../../src/plan/build.js';
import { loadSpec } from '../../src/spec/load.js';

function plan(text: string) {
  const r = loadSpec(text, 'c360.yml');
  if (!r.spec) throw new Error(JSON.stringify(r.diagnostics));
  return buildPlan(r.spec);
}

const spec = (idTypes: string, extra = '') => `version: 1
entity: customer
id_types:
${idTypes}
${extra}
inputs:
  events:
    relation: events
    occurred_at: ts
    ids: { user_id: uid, email: email, phone: phone, device_id: device }
`;

describe('guards plan', () => {
  it('plans one level per priority below the highest, lowest priority first, and resolves through them', () => {
    const p = plan(spec(`  user_id: { limit: 1 }\n  email: { limit: 5 }\n  phone: {}\n  device_id: { limit: 3 }`, 'identity: { max_cluster_size: 40 }'));
    const g = p.identity.guards;
    expect(g.priorities).toEqual([
      { idType: 'user_id', priority: 1 },
      { idType: 'email', priority: 2 },
      { idType: 'phone', priority: 3 },
      { idType: 'device_id', priority: 4 },
    ]);
    expect(g.limits).toEqual([
      { idType: 'user_id', limit: 1 },
      { idType: 'email', limit: 5 },
      { idType: 'device_id', limit: 3 },
    ]);
    expect(g.levels).toEqual([
      { level: 1, model: 'int_customer__components_l1', dropTypes: ['device_id'], droppedBefore: [], previousModels: ['int_customer__components_unshared'] },
      {
        level: 2,
        model: 'int_customer__components_l2',
        dropTypes: ['phone'],
        droppedBefore: ['device_id'],
        previousModels: ['int_customer__components_unshared', 'int_customer__components_l1'],
      },
      {
        level: 3,
        model: 'int_customer__components_l3',
        dropTypes: ['email'],
        droppedBefore: ['device_id', 'phone'],
        previousModels: ['int_customer__components_unshared', 'int_customer__components_l1', 'int_customer__components_l2'],
      },
    ]);
    expect(g.maxClusterSize).toBe(40);
    expect([g.sharedRule, g.limited]).toEqual([true, true]);
    expect(g.resolvedModel).toBe('int_customer__resolved_components');
    expect(g.unsharedModel).toBe('int_customer__components_unshared');
    expect(g.finalCutModel).toBe('int_customer__final_cut');
    expect(g.afterCutModel).toBe('int_customer__components_after_cut');
    expect(p.identity.componentsModel).toBe('int_customer__resolved_components');
    expect(p.identity.firstPassComponentsModel).toBe('int_customer__components');
    expect(p.identity.stitchEdgesModel).toBe('int_customer__stitch_edges');
    expect(p.identity.auditModel).toBe('customer_identity_audit');

    const files = emitProject(p);
    for (const f of [
      'models/identity/int_customer__shared_identifiers.sql',
      'models/identity/int_customer__stitch_edges.sql',
      'models/identity/int_customer__components.sql',
      'models/identity/int_customer__components_l1.sql',
      'models/identity/int_customer__components_l3.sql',
      'models/identity/int_customer__final_cut.sql',
      'models/identity/int_customer__components_after_cut.sql',
      'models/identity/int_customer__resolved_components.sql',
      'models/marts/customer_identity_audit.sql',
      'tests/identity/assert_cluster_limits.sql',
      'tests/identity/assert_shared_identifiers_isolated.sql',
    ]) {
      expect(files.has(f), f).toBe(true);
    }
    expect(files.has('models/identity/int_customer__components_l4.sql')).toBe(false);
    expect(files.get('models/identity/int_customer__components.sql')).toContain("ref('int_customer__stitch_edges')");
    expect(files.get('models/marts/customer_id_graph.sql')).toContain("ref('int_customer__resolved_components')");
    expect(files.get('models/identity/int_customer__components_l3.sql')).toContain("not in ('device_id', 'phone', 'email')");
    // the final cut reads the last level; the re-split only the clusters it cut; resolved joins both
    expect(files.get('models/identity/int_customer__final_cut.sql')).toContain("ref('int_customer__components_l3')");
    const afterCut = files.get('models/identity/int_customer__components_after_cut.sql')!;
    expect(afterCut).toContain("materialized='c360_connected_components', incremental=false");
    expect(afterCut).toContain('where cluster_cuts > 0');
    expect(afterCut).toContain("ref('int_customer__stitch_edges')");
    const resolved = files.get('models/identity/int_customer__resolved_components.sql')!;
    expect(resolved).toContain("ref('int_customer__final_cut')");
    expect(resolved).toContain("ref('int_customer__components_after_cut')");
    expect(files.get('models/marts/customer_identity_audit.sql')).toContain("ref('int_customer__final_cut')");
  });

  it('orders levels by explicit priority, dropping tied types together', () => {
    const p = plan(spec(`  user_id: { limit: 1, priority: 2 }\n  email: { priority: 1 }\n  phone: { priority: 5 }\n  device_id: { priority: 5 }`));
    const g = p.identity.guards;
    expect(g.priorities.map((x) => x.idType)).toEqual(['email', 'user_id', 'phone', 'device_id']);
    expect(g.levels.map((l) => l.dropTypes)).toEqual([['phone', 'device_id'], ['user_id']]);
    expect(g.droppedTypes).toEqual(['phone', 'device_id', 'user_id']);
  });

  it('without limits: no levels, id_graph reads the first pass, nothing is shared', () => {
    const p = plan(spec(`  user_id: {}\n  email: {}\n  phone: {}\n  device_id: {}`));
    expect(p.identity.guards.levels).toEqual([]);
    expect(p.identity.guards.resolvedModel).toBeNull();
    expect([p.identity.guards.unsharedModel, p.identity.guards.finalCutModel, p.identity.guards.afterCutModel]).toEqual([null, null, null]);
    expect([p.identity.guards.sharedRule, p.identity.guards.limited]).toEqual([false, false]);
    expect(p.identity.componentsModel).toBe('int_customer__components');
    const files = emitProject(p);
    expect(files.has('tests/identity/assert_cluster_limits.sql')).toBe(false);
    expect([...files.keys()].filter((f) => /unshared|final_cut|after_cut|resolved/.test(f))).toEqual([]);
    // nothing can be shared: no shared-identifier or stitch-edge models, the first pass reads the edges
    expect([p.identity.sharedIdentifiersModel, p.identity.stitchEdgesModel]).toEqual([null, null]);
    expect([...files.keys()].filter((f) => /shared_identifiers\.sql|stitch_edges/.test(f))).toEqual([]);
    expect(files.get('models/identity/int_customer__components.sql')).toContain("ref('int_customer__edges')");
    expect(files.get('models/marts/customer_identity_audit.sql')).not.toMatch(/stitch_edges|shared_identifiers/);
  });

  it('max_cluster_size alone: the stitch edges exist (the levels read them), nothing can be shared', () => {
    const p = plan(spec(`  user_id: {}\n  email: {}\n  phone: {}\n  device_id: {}`, 'identity: { max_cluster_size: 10 }'));
    expect([p.identity.guards.sharedRule, p.identity.guards.limited]).toEqual([false, true]);
    const files = emitProject(p);
    expect(files.get('models/identity/int_customer__components.sql')).toContain("ref('int_customer__stitch_edges')");
    expect(files.get('models/identity/int_customer__shared_identifiers.sql')).toContain('where 1 = 0');
    // both are views there, which record no rules: the rules guard lists neither
    expect(files.get('models/identity/int_customer__stitch_edges.sql')).toContain("materialized='view'");
    const guardedModels = p.identity.rulesGuard.models.map((m) => m.model);
    expect(guardedModels).not.toContain('int_customer__shared_identifiers');
    expect(guardedModels).not.toContain('int_customer__stitch_edges');
    expect(p.identity.rulesGuard.models.find((m) => m.model === 'int_customer__components')!.upstream).toEqual([
      'int_events__ids',
      'int_customer__identifiers',
      'int_customer__edges',
    ]);
  });

  it('shared_identifier_max_links alone turns on the shared rule and the shared re-split, but no levels or final cut', () => {
    const p = plan(spec(`  user_id: {}\n  email: {}\n  phone: {}\n  device_id: {}`, 'identity: { shared_identifier_max_links: 50 }'));
    const g = p.identity.guards;
    expect([g.sharedRule, g.limited, g.levels]).toEqual([true, false, []]);
    // an identifier that becomes shared on an incremental run: its stale first-pass cluster is re-run
    expect([g.unsharedModel, g.finalCutModel, g.afterCutModel, g.resolvedModel]).toEqual([
      'int_customer__components_unshared',
      null,
      null,
      'int_customer__resolved_components',
    ]);
    expect(p.identity.componentsModel).toBe('int_customer__resolved_components');
    const files = emitProject(p);
    const shared = files.get('models/identity/int_customer__shared_identifiers.sql')!;
    expect(shared).toContain('having sum(links) > 50');
    expect(shared).not.toMatch(/case\s+else/);
    // incremental there: the rules guard checks both, and the first pass reads them
    const guardedModels = p.identity.rulesGuard.models.map((m) => m.model);
    expect(guardedModels).toContain('int_customer__shared_identifiers');
    expect(guardedModels).toContain('int_customer__stitch_edges');
    expect(p.identity.rulesGuard.models.find((m) => m.model === 'int_customer__components')!.upstream).toContain('int_customer__stitch_edges');
    const unshared = files.get('models/identity/int_customer__components_unshared.sql')!;
    expect(unshared).toContain("materialized='c360_connected_components', incremental=false");
    expect(unshared).toContain("ref('int_customer__shared_identifiers')");
    expect(unshared).toContain("ref('int_customer__stitch_edges')");
    const resolved = files.get('models/identity/int_customer__resolved_components.sql')!;
    expect(resolved).toContain('coalesce(unshared.component_id, first_pass.component_id) as component_id');
    expect([...files.keys()].filter((f) => /final_cut|after_cut|assert_cluster_limits/.test(f))).toEqual([]);
    expect(files.get('models/marts/customer_id_graph.sql')).toContain("ref('int_customer__resolved_components')");
  });

  it('maps junk_values onto clean_id exclude_values in staging', () => {
    const p = plan(spec(`  user_id: {}\n  email: { junk_values: [nobody@nowhere.com], exclude: { values: [a@b.c] } }\n  phone: {}\n  device_id: {}`));
    expect(emitProject(p).get('models/staging/stg_events.sql')).toContain("exclude_values=['nobody@nowhere.com', 'a@b.c']");
  });

  it('the guards golden spec is the integration spec', () => {
    const text = readFileSync(join(PACKAGE_ROOT, 'generator', 'test', 'golden', 'cases', 'guards', 'c360.yml'), 'utf8');
    expect(plan(text).identity.guards.levels.map((l) => l.dropTypes)).toEqual([['device_id'], ['phone'], ['email']]);
  });
});
