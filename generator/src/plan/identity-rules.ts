// Fingerprints of the rules that decide which identifiers may stitch. Incremental identity runs
// only ever merge clusters, so a change to these rules needs `dbt build --full-refresh`. The CLI
// compares the fingerprints written into dbt_project.yml to tell the user; the generated project
// compares them with those its identity tables were built with and refuses an incremental run
// (macros/identity/identity_rules_changes.sql is rulesThatCanSplit in Jinja: keep them in step).

import { createHash } from 'node:crypto';
import type { Spec } from '../spec/types.js';

export interface IdentityRules {
  /** Normalisation, junk, exclusions, limits, priorities and graph guards. */
  id_types: string;
  /** Per input: its id columns and its `where`. */
  inputs: Record<string, string>;
}

const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

export function identityRules(spec: Spec): IdentityRules {
  const idTypes = spec.idTypes.map(({ pos: _pos, ...rules }) => rules);
  return {
    id_types: digest({ idTypes, identity: spec.identity }),
    inputs: Object.fromEntries(spec.inputs.map((i) => [i.name, digest({ ids: i.ids, where: i.where, relation: i.relation })])),
  };
}

/**
 * What changed between the rules a project was generated with and the new ones, in ways that can
 * split clusters: id type rules, or an input that was removed or changed. New inputs only add links.
 * c360.identity_rules_changes gives the same list, in the same words, inside dbt.
 */
export function rulesThatCanSplit(before: IdentityRules, after: IdentityRules): string[] {
  const changes: string[] = [];
  if (before.id_types !== after.id_types) changes.push('id type rules (normalisation, junk, exclusions, limits or guards)');
  for (const [input, fp] of Object.entries(before.inputs ?? {})) {
    if (!(input in after.inputs)) changes.push(`input ${input} was removed`);
    else if (after.inputs[input] !== fp) changes.push(`input ${input} changed its ids, where or relation`);
  }
  return changes;
}
