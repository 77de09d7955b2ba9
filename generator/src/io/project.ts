// FileMap ↔ disk. Writing is all-or-nothing as far as the file system allows: every file is
// rendered first, staged in a temporary folder beside the project, then renamed into place.

import { createTwoFilesPatch } from 'diff';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { GENERATED_MARKER, type FileMap } from '../emit/index.js';
import type { IdentityRules } from '../plan/identity-rules.js';

export const MANIFEST = '.c360-gen-manifest';

/** Adds the manifest (the list of generated files) to the map; it is generated output too. */
export function withManifest(files: FileMap): FileMap {
  const out = new Map(files);
  out.set(
    MANIFEST,
    `# ${GENERATED_MARKER}: the files it owns in this folder (regenerating removes those no longer generated)\n` +
      [...files.keys()].join('\n') +
      '\n',
  );
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function readManifest(outDir: string): string[] {
  const p = join(outDir, MANIFEST);
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));
}

export class OverwriteRefusedError extends Error {
  constructor(readonly paths: string[]) {
    super(
      `refusing to overwrite ${paths.length} file(s) that c360-gen did not generate:\n` +
        paths.map((p) => `  ${p}`).join('\n') +
        '\n  fix: choose another --out folder, or move these files away',
    );
    this.name = 'OverwriteRefusedError';
  }
}

function isOurs(path: string, owned: Set<string>): boolean {
  if (owned.has(path)) return true;
  const text = readFileSync(path, 'utf8');
  return text.slice(0, 400).includes(GENERATED_MARKER);
}

export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
}

export function writeProject(outDir: string, files: FileMap): WriteResult {
  const all = withManifest(files);
  const owned = new Set(readManifest(outDir));
  const foreign = [...all.keys()].filter((p) => {
    const abs = join(outDir, p);
    return existsSync(abs) && !owned.has(p) && !isOurs(abs, owned);
  });
  if (foreign.length > 0) throw new OverwriteRefusedError(foreign);

  const result: WriteResult = { written: [], unchanged: [], removed: [] };
  const staging = join(dirname(join(outDir, '.')), `.${MANIFEST}-staging-${process.pid}`);
  mkdirSync(outDir, { recursive: true });
  rmSync(staging, { recursive: true, force: true });
  try {
    const changed: string[] = [];
    for (const [path, text] of all) {
      const target = join(outDir, path);
      if (existsSync(target) && readFileSync(target, 'utf8') === text) {
        result.unchanged.push(path);
        continue;
      }
      const tmp = join(staging, path);
      mkdirSync(dirname(tmp), { recursive: true });
      writeFileSync(tmp, text);
      changed.push(path);
    }
    // Everything is rendered and on disk; now move it into place (the manifest last).
    for (const path of changed.filter((p) => p !== MANIFEST).concat(changed.includes(MANIFEST) ? [MANIFEST] : [])) {
      const target = join(outDir, path);
      mkdirSync(dirname(target), { recursive: true });
      renameSync(join(staging, path), target);
      result.written.push(path);
    }
    for (const old of owned) {
      if (!all.has(old) && existsSync(join(outDir, old))) {
        rmSync(join(outDir, old));
        result.removed.push(old);
      }
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return result;
}

export interface Drift {
  path: string;
  kind: 'changed' | 'missing' | 'stale';
  diff: string;
}

/** What differs between the folder and what the spec generates; empty when in sync. */
export function checkProject(outDir: string, files: FileMap): Drift[] {
  const all = withManifest(files);
  const drift: Drift[] = [];
  for (const [path, text] of all) {
    const abs = join(outDir, path);
    if (!existsSync(abs)) {
      drift.push({ path, kind: 'missing', diff: createTwoFilesPatch(path, path, '', text, 'on disk', 'generated') });
      continue;
    }
    const disk = readFileSync(abs, 'utf8');
    if (disk !== text) {
      drift.push({ path, kind: 'changed', diff: createTwoFilesPatch(path, path, disk, text, 'on disk', 'generated') });
    }
  }
  for (const old of readManifest(outDir)) {
    if (!all.has(old) && existsSync(join(outDir, old))) {
      const disk = readFileSync(join(outDir, old), 'utf8');
      drift.push({ path: old, kind: 'stale', diff: createTwoFilesPatch(old, old, disk, '', 'on disk', 'generated') });
    }
  }
  return drift;
}

/** The stitching-rule fingerprints a previously generated project was built with, if any. */
export function readPreviousIdentityRules(outDir: string): IdentityRules | null {
  const p = join(outDir, 'dbt_project.yml');
  if (!existsSync(p)) return null;
  try {
    const rules = (parse(readFileSync(p, 'utf8')) as { vars?: { c360_identity_rules?: IdentityRules } })?.vars?.c360_identity_rules;
    return rules && typeof rules.id_types === 'string' ? rules : null;
  } catch {
    return null;
  }
}
