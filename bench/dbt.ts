// Running dbt from the benches: wall time, peak RSS, a hard timeout that kills its process group,
// and dbt's per-model times (run_results.json).

import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { locateDbt } from '../generator/src/dbt/locate.js';
import { now } from './lib.js';

export interface DbtRun {
  exitCode: number | null;
  seconds: number;
  peakKiB: number | null;
  timedOut: boolean;
  output: string;
}

function vmHwmKiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export async function runDbtMeasured(projectDir: string, args: string[], timeoutS: number | null, env: Record<string, string> = {}): Promise<DbtRun> {
  const dbt = locateDbt();
  const rssFile = join(projectDir, 'target', `.peak-rss-${process.pid}`);
  mkdirSync(join(projectDir, 'target'), { recursive: true });
  rmSync(rssFile, { force: true });
  const t = now();
  const child = execa('/usr/bin/time', ['-f', '%M', '-o', rssFile, dbt, ...args, '--project-dir', projectDir, '--profiles-dir', projectDir], {
    cwd: projectDir,
    reject: false,
    all: true,
    detached: true, // its own process group, so a timeout kills dbt too, not just `time`
    env: { DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', C360_DUCKDB_PATH: join(projectDir, 'c360.duckdb'), ...env },
  });
  let polled = 0;
  let timedOut = false;
  const poll = setInterval(() => {
    if (child.pid === undefined) return;
    for (const p of childPids(child.pid)) polled = Math.max(polled, vmHwmKiB(p));
  }, 250);
  const killer =
    timeoutS === null
      ? null
      : setTimeout(() => {
          timedOut = true;
          if (child.pid !== undefined) {
            try {
              process.kill(-child.pid, 'SIGKILL');
            } catch {
              /* already gone */
            }
          }
        }, timeoutS * 1000);
  const result = await child;
  const seconds = now() - t;
  clearInterval(poll);
  if (killer) clearTimeout(killer);
  let peakKiB: number | null = polled || null;
  if (existsSync(rssFile)) {
    const m = /(\d+)\s*$/.exec(readFileSync(rssFile, 'utf8').trim());
    if (m) peakKiB = Math.max(Number(m[1]), polled);
  }
  return { exitCode: result.exitCode ?? null, seconds, peakKiB, timedOut, output: result.all ?? '' };
}

export function modelTimings(projectDir: string): { model: string; seconds: number }[] {
  const p = join(projectDir, 'target', 'run_results.json');
  if (!existsSync(p)) return [];
  const data = JSON.parse(readFileSync(p, 'utf8')) as { results: { unique_id: string; execution_time: number }[] };
  return data.results.map((r) => ({ model: r.unique_id.replace(/^model\.[^.]+\./, ''), seconds: r.execution_time }));
}

/** Stops the bench with dbt's last output when a run failed. */
export function failIfFailed(what: string, run: DbtRun): void {
  if (run.exitCode !== 0) throw new Error(`${what} failed (exit ${run.exitCode}):\n${run.output.slice(-3000)}`);
}
