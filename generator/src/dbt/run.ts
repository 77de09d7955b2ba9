// Running dbt as an external program and reading what it reports.

import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { locateDbt } from './locate.js';

export interface DbtRunOptions {
  projectDir: string;
  /** e.g. ['build'] or ['run', '--select', 'x']. */
  args: string[];
  vars?: Record<string, string>;
  /** Stream dbt's output to this process's stdout/stderr (default), or capture it. */
  stream?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface DbtResultCounts {
  success: number;
  pass: number;
  error: number;
  fail: number;
  warn: number;
  skipped: number;
  tests: number;
  models: number;
}

export interface DbtRunResult {
  exitCode: number;
  output: string;
  counts: DbtResultCounts | null;
  /** Failing nodes with their messages, from run_results.json. */
  failures: { node: string; status: string; message: string }[];
}

export async function runDbt(opts: DbtRunOptions): Promise<DbtRunResult> {
  const dbt = locateDbt(opts.env ?? process.env);
  const args = [...opts.args, '--project-dir', opts.projectDir, '--profiles-dir', opts.projectDir];
  if (opts.vars && Object.keys(opts.vars).length > 0) args.push('--vars', JSON.stringify(opts.vars));
  const proc = await execa(dbt, args, {
    cwd: opts.projectDir,
    reject: false,
    all: true,
    env: { DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', DO_NOT_TRACK: '1', ...(opts.env ?? {}) },
    stdout: opts.stream === false ? 'pipe' : ['pipe', 'inherit'],
    stderr: opts.stream === false ? 'pipe' : ['pipe', 'inherit'],
  });
  const { counts, failures } = readRunResults(opts.projectDir);
  return { exitCode: proc.exitCode ?? 1, output: proc.all ?? '', counts, failures };
}

interface RunResultsFile {
  results: { unique_id: string; status: string; message: string | null }[];
}

export function readRunResults(projectDir: string, targetPath = 'target'): Pick<DbtRunResult, 'counts' | 'failures'> {
  const p = join(resolve(projectDir, targetPath), 'run_results.json');
  if (!existsSync(p)) return { counts: null, failures: [] };
  const data = JSON.parse(readFileSync(p, 'utf8')) as RunResultsFile;
  const counts: DbtResultCounts = { success: 0, pass: 0, error: 0, fail: 0, warn: 0, skipped: 0, tests: 0, models: 0 };
  const failures: DbtRunResult['failures'] = [];
  for (const r of data.results) {
    const status = r.status as keyof DbtResultCounts;
    if (status in counts) counts[status]++;
    if (r.unique_id.startsWith('test.')) counts.tests++;
    if (r.unique_id.startsWith('model.')) counts.models++;
    if (r.status === 'error' || r.status === 'fail') {
      failures.push({ node: r.unique_id, status: r.status, message: r.message ?? '' });
    }
  }
  return { counts, failures };
}
