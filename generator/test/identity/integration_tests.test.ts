// Runs the integration_tests/ dbt project (every c360 macro against _expected seeds) on a temp
// DuckDB file and asserts a clean build.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/dbt/locate.js';
import { readRunResults } from '../../src/dbt/run.js';
import { runDbt } from '../helpers/dbt.js';

const projectDir = join(PACKAGE_ROOT, 'integration_tests');
const tmp = mkdtempSync(join(tmpdir(), 'c360-it-'));
const env = { C360_IT_DUCKDB_PATH: join(tmp, 'integration_tests.duckdb') };
const targetPath = join(tmp, 'target');

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('integration_tests dbt project', () => {
  it('dbt build passes every macro test', async () => {
    if (!existsSync(join(projectDir, 'dbt_packages', 'c360'))) {
      const deps = await runDbt(projectDir, ['deps'], env);
      expect(deps.exitCode, deps.output).toBe(0);
    }
    const build = await runDbt(projectDir, ['build', '--full-refresh', '--target-path', targetPath], env);
    expect(build.exitCode, build.output).toBe(0);
    const { counts } = readRunResults(projectDir, targetPath);
    expect(counts!.tests).toBeGreaterThan(0);
    expect(counts!.pass).toBeGreaterThan(0);
    expect(counts!.fail).toBe(0);
    expect(counts!.error).toBe(0);
    expect(build.output).toMatch(/c360: test_connected_components round 0: 18 edges/);
  });
});
