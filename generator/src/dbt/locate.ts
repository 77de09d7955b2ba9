import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the c360-gen package (where package.json, macros/ and .venv/ live), from src or dist. */
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && /"name":\s*"c360-gen"/.test(readFileSync(pkg, 'utf8'))) return dir;
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error(`c360-gen: cannot find its package root above ${start}`);
    dir = parent;
  }
}

export class DbtNotFoundError extends Error {
  constructor(readonly searched: string[]) {
    super(
      'dbt was not found.\n' +
        `  looked in: ${searched.join(', ')} and on PATH\n` +
        '  fix: run `bash scripts/setup.sh` in the c360-gen checkout (installs pinned dbt-core and dbt-duckdb\n' +
        '       into .venv), or `pip install -r requirements-dbt.txt`, or set C360_DBT=/path/to/dbt',
    );
    this.name = 'DbtNotFoundError';
  }
}

/**
 * Find the dbt executable: $C360_DBT, then ./.venv (cwd), then the package's own .venv, then PATH.
 */
export function locateDbt(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), packageRoot = PACKAGE_ROOT): string {
  const candidates: string[] = [];
  if (env.C360_DBT) candidates.push(env.C360_DBT);
  candidates.push(join(cwd, '.venv', 'bin', 'dbt'));
  candidates.push(join(packageRoot, '.venv', 'bin', 'dbt'));
  for (const c of candidates) if (existsSync(c)) return c;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'dbt'))) return join(dir, 'dbt');
  }
  throw new DbtNotFoundError(candidates);
}
