// Decision 0001: a project named `c360` with this repo's macros copied to macros/c360/ runs with
// plain `dbt build` (no deps). Also checks the compiler errors for bad macro arguments.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDbt, writeVendoredMacroProject } from '../helpers/dbt.js';
import { tempDir } from '../support/tmp.js';

const tmp = tempDir('vendored');
const projectDir = join(tmp, 'project');

const models: Record<string, string> = {
  ok_ids:
    "select {{ c360.clean_id(\"' +1 (650) 672-5618 '\", normalize='phone') }} as phone,\n" +
    "       {{ c360.canonical_id(\"'email'\", \"'a@b.com'\") }} as customer_id\n",
  ok_components:
    "{{ config(materialized='c360_connected_components') }}\nselect 2 as node_a, 1 as node_b union all select 3, 2 union all select 7, 8\n",
  bad_max_rounds: "{{ config(materialized='c360_connected_components', max_rounds=0) }}\nselect 1 as node_a, 2 as node_b\n",
};

describe('vendored macros (docs/decisions/0001)', () => {
  it('a project named c360 with macros/c360/ builds with no dbt deps; bad args raise named errors', async () => {
    writeVendoredMacroProject(projectDir, join(tmp, 'w.duckdb'), models);
    const ok = await runDbt(projectDir, ['build', '-s', 'ok_ids', 'ok_components']);
    expect(ok.exitCode, ok.output).toBe(0);

    // argument errors are raised while rendering, so a bad call fails parse/compile of its model
    const badCalls: Array<[string, string]> = [
      ["c360.clean_id('x', normalize='upper')", "c360.clean_id: normalize must be one of email, phone, trim, none; got 'upper'"],
      ["c360.clean_id('x', exclude_values='a')", 'c360.clean_id: exclude_values must be a list of strings'],
      ["c360.normalize_phone('x', default_country='+1')", "c360.normalize_phone: default_country must be digits only (e.g. '1' or '44'), got '+1'"],
      ["c360.identity_rules_changes('x', {'id_types': 'a', 'inputs': {}})", 'c360.identity_rules_changes: recorded must be a mapping {id_types:'],
      ["c360.check_identity_rules('int_customer__identity_rules')", 'c360.check_identity_rules: state must be a relation'],
      ["c360.record_identity_rules(api.Relation.create(identifier='s'), rules={'id_types': 1})", 'c360.record_identity_rules: rules must be a mapping {id_types:'],
      ["c360.check_id_rows('int_web__ids')", 'c360.check_id_rows: id_rows must be a list of relations'],
      ["c360.check_id_rows([api.Relation.create(identifier='i')], dictionary='d')", 'c360.check_id_rows: dictionary must be a relation or none'],
    ];
    for (const [call, message] of badCalls) {
      const bad = await runDbt(projectDir, ['compile', '--inline', `select {{ ${call} }} as v`]);
      expect(bad.exitCode, call).not.toBe(0);
      expect(bad.output, call).toContain(message);
    }
    const cappedRun = await runDbt(projectDir, ['run', '-s', 'bad_max_rounds']);
    expect(cappedRun.exitCode).not.toBe(0);
    expect(cappedRun.output).toMatch(/c360_connected_components: model .*bad_max_rounds.*: max_rounds must be a positive integer, got 0/);
  });
});
