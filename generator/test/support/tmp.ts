import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created = new Set<string>();

/** A fresh directory under the system temp dir, removed after the test file (see setup.ts). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `c360-${prefix}-`));
  created.add(dir);
  return dir;
}

/** Removes every directory tempDir made in this test file, unless C360_KEEP_TMP=1 (to look into a failure). */
export function removeTempDirs(): void {
  if (process.env.C360_KEEP_TMP === '1') return;
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
  created.clear();
}
