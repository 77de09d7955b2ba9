// Test support: generate a project from a spec into a temp folder, load data, run real dbt.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDbt, type DbtRunResult } from '../../src/dbt/run.js';
import { writeProject } from '../../src/io/project.js';
import { generate } from '../../src/pipeline.js';
import type { ProjectPlan } from '../../src/plan/types.js';
import { withDuckDb, type DuckDbClient } from '../../src/warehouse/duckdb.js';
import { tempDir } from './tmp.js';

export interface BuiltProject {
  dir: string;
  dbPath: string;
  plan: ProjectPlan;
  dbt: DbtRunResult;
  query: (sql: string) => Promise<Record<string, unknown>[]>;
}

export { tempDir };

export function generateInto(specText: string, dir: string, specFile = 'c360.yml'): ProjectPlan {
  const r = generate(specText, specFile);
  if (!r.files) throw new Error(`spec has errors: ${JSON.stringify(r.diagnostics, null, 2)}`);
  writeProject(dir, r.files);
  return r.plan!;
}

export async function execSql(dbPath: string, sql: string): Promise<void> {
  await withDuckDb(dbPath, async (db) => {
    await db.query(sql);
  }, false);
}

export async function buildProject(opts: {
  specText: string;
  /** Loads source data into the database before dbt runs. */
  load: (dbPath: string) => Promise<void>;
  vars?: Record<string, string>;
  dir?: string;
  args?: string[];
}): Promise<BuiltProject> {
  const dir = opts.dir ?? tempDir('build');
  const plan = generateInto(opts.specText, dir);
  const dbPath = join(dir, 'c360.duckdb');
  await opts.load(dbPath);
  const dbt = await runDbt({ projectDir: dir, args: opts.args ?? ['build'], vars: opts.vars, stream: false });
  if (dbt.exitCode !== 0) {
    throw new Error(`dbt build failed (${dbt.exitCode}):\n${dbt.output.slice(-6000)}`);
  }
  // a generated project configures only the model folders it has (dbt warns of the others on every run)
  if (/Configuration paths exist in your dbt_project\.yml/.test(dbt.output)) {
    throw new Error(`dbt warned of unused configuration paths in the generated dbt_project.yml:\n${dbt.output.slice(0, 3000)}`);
  }
  return {
    dir,
    dbPath,
    plan,
    dbt,
    query: (sql) => withDuckDb(dbPath, (db: DuckDbClient) => db.query(sql)),
  };
}

export const readText = (p: string) => readFileSync(p, 'utf8');

/** One spec generated twice: a project run incrementally and its twin rebuilt with --full-refresh. */
export interface ProjectPair {
  incDir: string;
  fullDir: string;
  incDb: string;
  fullDb: string;
  plan: ProjectPlan;
}

export function projectPair(specText: string, prefix: string): ProjectPair {
  const incDir = tempDir(`${prefix}-inc`);
  const fullDir = tempDir(`${prefix}-full`);
  const plan = generateInto(specText, incDir);
  generateInto(specText, fullDir);
  return { incDir, fullDir, incDb: join(incDir, 'c360.duckdb'), fullDb: join(fullDir, 'c360.duckdb'), plan };
}

/**
 * Runs `sql` (new source rows) in both databases, then `dbt build` in the incremental project and
 * `dbt build --full-refresh` in its twin. Throws with dbt's output when either fails or a test
 * fails; returns the incremental run.
 */
export async function buildPair(pair: ProjectPair, sql: string, vars?: Record<string, string>): Promise<DbtRunResult> {
  await execSql(pair.incDb, sql);
  await execSql(pair.fullDb, sql);
  const inc = await runDbt({ projectDir: pair.incDir, args: ['build'], vars, stream: false });
  if (inc.exitCode !== 0 || inc.counts!.fail + inc.counts!.error > 0) throw new Error(`incremental dbt build failed:\n${inc.output.slice(-4000)}`);
  const full = await runDbt({ projectDir: pair.fullDir, args: ['build', '--full-refresh'], vars, stream: false });
  if (full.exitCode !== 0) throw new Error(`dbt build --full-refresh failed:\n${full.output.slice(-4000)}`);
  return inc;
}
