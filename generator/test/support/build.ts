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
  return {
    dir,
    dbPath,
    plan,
    dbt,
    query: (sql) => withDuckDb(dbPath, (db: DuckDbClient) => db.query(sql)),
  };
}

export const readText = (p: string) => readFileSync(p, 'utf8');
