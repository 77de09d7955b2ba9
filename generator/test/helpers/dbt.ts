// Running dbt from tests in a project that is not generated (integration_tests/, hand-made
// projects): the CLI's own runner, output captured, never throwing on failure.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/dbt/locate.js';
import { runDbt as run } from '../../src/dbt/run.js';

export interface DbtRun {
  exitCode: number;
  output: string;
}

/** Run `dbt <args>` in `projectDir` (profiles.yml read from the project dir). */
export async function runDbt(projectDir: string, args: string[], env: Record<string, string> = {}): Promise<DbtRun> {
  const { exitCode, output } = await run({ projectDir, args, env, stream: false });
  return { exitCode, output };
}

/**
 * Write a hand-made dbt project into `projectDir`: named `c360` with this repo's macros copied to
 * macros/c360/ (how generated projects vendor them, decision 0001), on the DuckDB file `dbPath`,
 * plus `models` (file name without .sql → SQL).
 */
export function writeVendoredMacroProject(projectDir: string, dbPath: string, models: Record<string, string> = {}): void {
  mkdirSync(join(projectDir, 'models'), { recursive: true });
  cpSync(join(PACKAGE_ROOT, 'macros'), join(projectDir, 'macros', 'c360'), { recursive: true });
  writeFileSync(
    join(projectDir, 'dbt_project.yml'),
    'name: c360\nversion: "1.0.0"\nconfig-version: 2\nprofile: c360\nmacro-paths: ["macros"]\nmodel-paths: ["models"]\n',
  );
  writeFileSync(
    join(projectDir, 'profiles.yml'),
    `c360:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n      path: ${JSON.stringify(dbPath)}\n      threads: 1\n`,
  );
  for (const [name, sql] of Object.entries(models)) writeFileSync(join(projectDir, 'models', `${name}.sql`), sql);
}
