// The named stages in one place: load → validate → plan → emit. Pure: text in, files out.

import type { Diagnostic } from './diagnostics/types.js';
import { emitProject, type FileMap } from './emit/index.js';
import { buildPlan } from './plan/build.js';
import type { ProjectPlan } from './plan/types.js';
import { loadSpec } from './spec/load.js';
import type { Spec } from './spec/types.js';

export interface GenerateResult {
  spec: Spec | null;
  plan: ProjectPlan | null;
  files: FileMap | null;
  diagnostics: Diagnostic[];
}

export function generate(specText: string, specFile: string): GenerateResult {
  const { spec, diagnostics } = loadSpec(specText, specFile);
  if (!spec || diagnostics.some((d) => d.severity === 'error')) {
    return { spec: null, plan: null, files: null, diagnostics };
  }
  const plan = buildPlan(spec, specFile);
  return { spec, plan, files: emitProject(plan), diagnostics };
}
