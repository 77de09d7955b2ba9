// Running dbt from tests in a project that is not generated (integration_tests/, hand-made
// projects): the CLI's own runner, output captured, never throwing on failure.
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
