// Running dbt from tests: the pinned dbt (locateDbt) with a project-local profiles dir, and the
// run_results.json summary.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { locateDbt } from '../../src/dbt/locate.js';

export interface DbtRun {
  exitCode: number;
  output: string;
}

/** Run `dbt <args>` in `projectDir` (profiles.yml read from the project dir); never throws on failure. */
export async function runDbt(projectDir: string, args: string[], env: Record<string, string> = {}): Promise<DbtRun> {
  const result = await execa(locateDbt(), [...args, '--profiles-dir', projectDir, '--project-dir', projectDir], {
    cwd: projectDir,
    env: { DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', DO_NOT_TRACK: '1', ...env },
    reject: false,
    all: true,
  });
  return { exitCode: result.exitCode ?? -1, output: result.all ?? '' };
}

export interface RunResultsSummary {
  byStatus: Record<string, number>;
  /** results of tests (unique_id starting with "test.") by status */
  tests: Record<string, number>;
}

export function readRunResults(projectDir: string, targetPath = 'target'): RunResultsSummary {
  const json = JSON.parse(readFileSync(join(resolve(projectDir, targetPath), 'run_results.json'), 'utf8')) as {
    results: { unique_id: string; status: string }[];
  };
  const byStatus: Record<string, number> = {};
  const tests: Record<string, number> = {};
  for (const r of json.results) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    if (r.unique_id.startsWith('test.')) tests[r.status] = (tests[r.status] ?? 0) + 1;
  }
  return { byStatus, tests };
}
