// The command line. The only module that prints for the user and decides exit codes:
// 0 ok, 1 invalid spec / drift / dbt failure, 2 usage error.

import { Command, CommanderError } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DbtNotFoundError, PACKAGE_ROOT } from '../dbt/locate.js';
import { diagnosticsToJson, formatDiagnostics } from '../diagnostics/format.js';
import { checkProject, OverwriteRefusedError, readPreviousIdentityRules, writeProject } from '../io/project.js';
import { rulesThatCanSplit } from '../plan/identity-rules.js';
import { generate } from '../pipeline.js';
import { STARTER_SPEC } from '../spec/starter.js';
import { runDemo } from './demo.js';
import { runExplainCommand } from '../explain/command.js';

export class ExitError extends Error {
  constructor(readonly exitCode: number, message = '') {
    super(message);
  }
}

const useColor = () => Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;

function readSpec(specPath: string): string {
  if (!existsSync(specPath)) {
    throw new ExitError(
      1,
      `error[C360-E001]: spec file not found: ${specPath}\n  = hint: run \`c360-gen init\` to write a starter c360.yml, or pass --spec <path>`,
    );
  }
  return readFileSync(specPath, 'utf8');
}

/** Load and validate; print diagnostics; throw ExitError(1) on errors. */
function loadOrExit(specPath: string, json = false) {
  const text = readSpec(specPath);
  const result = generate(text, specPath);
  if (result.diagnostics.length > 0) {
    if (json) process.stdout.write(JSON.stringify(diagnosticsToJson(result.diagnostics), null, 2) + '\n');
    else process.stderr.write(formatDiagnostics(result.diagnostics, new Map([[specPath, text]]), { color: useColor() }) + '\n');
  }
  if (!result.files) throw new ExitError(1);
  return result;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('c360-gen')
    .description('Generate a Customer 360 dbt project (identity resolution, features, registry) from one YAML spec.')
    .version(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version)
    .exitOverride()
    .showHelpAfterError('(run c360-gen --help for usage)')
    .addHelpText(
      'after',
      '\nExamples:\n  c360-gen init                      write a starter c360.yml\n  c360-gen validate                  check c360.yml\n  c360-gen                           generate ./c360_project from ./c360.yml\n  c360-gen generate --check          exit 1 if ./c360_project is out of date\n  c360-gen demo                      demo data + project + dbt build on DuckDB\n',
    );

  program
    .command('init')
    .description('write a commented starter c360.yml (never overwrites)')
    .option('--spec <path>', 'where to write the spec', 'c360.yml')
    .action((opts: { spec: string }) => {
      const path = resolve(opts.spec);
      if (existsSync(path)) {
        throw new ExitError(1, `error: ${opts.spec} already exists; c360-gen init never overwrites a spec\n  = hint: edit it, or pass --spec <other path>`);
      }
      writeFileSync(path, STARTER_SPEC, { flag: 'wx' });
      process.stdout.write(`wrote ${opts.spec}\nnext: edit it, then run \`c360-gen validate\` and \`c360-gen generate\`\n`);
    });

  program
    .command('validate')
    .description('check the spec and report every problem')
    .option('--spec <path>', 'spec file', 'c360.yml')
    .option('--json', 'print diagnostics as JSON')
    .action((opts: { spec: string; json?: boolean }) => {
      const r = loadOrExit(opts.spec, opts.json);
      if (opts.json) {
        if (r.diagnostics.length === 0) process.stdout.write('[]\n');
      } else {
        const s = r.spec!;
        process.stdout.write(
          `${opts.spec} is valid: entity ${s.entity}, ${s.idTypes.length} id types, ${s.inputs.length} inputs, ${s.features.length} features\n`,
        );
      }
    });

  program
    .command('generate', { isDefault: true })
    .description('generate the dbt project (default command)')
    .option('--spec <path>', 'spec file', 'c360.yml')
    .option('--out <dir>', 'output folder', 'c360_project')
    .option('--check', 'write nothing; exit 1 with a diff when the folder differs from what the spec generates')
    .action((opts: { spec: string; out: string; check?: boolean }) => {
      const r = loadOrExit(opts.spec);
      const out = resolve(opts.out);
      if (opts.check) {
        const drift = checkProject(out, r.files!);
        if (drift.length === 0) {
          process.stdout.write(`${opts.out} is up to date with ${opts.spec}\n`);
          return;
        }
        for (const d of drift) process.stdout.write(d.diff);
        throw new ExitError(
          1,
          `error: ${opts.out} is out of date with ${opts.spec}: ${drift.length} file(s) differ (${summarizeDrift(drift)})\n  = hint: run \`c360-gen generate --spec ${opts.spec} --out ${opts.out}\``,
        );
      }
      const previousRules = readPreviousIdentityRules(out);
      const w = writeProject(out, r.files!);
      const splits = previousRules ? rulesThatCanSplit(previousRules, r.plan!.identityRules) : [];
      if (splits.length > 0) {
        process.stderr.write(
          `warning: the stitching rules changed: ${splits.join('; ')}\n` +
            '  incremental identity runs only merge clusters, so this change needs a rebuild; until then a\n' +
            '  dbt build without --full-refresh stops at the identity models and changes nothing\n' +
            `  = hint: cd ${opts.out} && dbt build --full-refresh\n`,
        );
      }
      process.stdout.write(
        `generated ${opts.out}: ${w.written.length} written, ${w.unchanged.length} unchanged, ${w.removed.length} removed\n` +
          `next: cd ${opts.out} && dbt build\n`,
      );
    });

  program
    .command('demo')
    .description('create demo data, a spec, the dbt project, run dbt build on DuckDB (or PostgreSQL) and print a summary')
    .option('--out <dir>', 'demo folder', 'c360_demo')
    .option('--customers <n>', 'number of synthetic people', '2000')
    .option('--seed <n>', 'random seed', '42')
    .option('--target <name>', 'duckdb (an embedded file, no setup) or postgres (the database of C360_PG_* variables; schemas c360_demo and c360_demo_raw)', 'duckdb')
    .action(async (opts: { out: string; customers: string; seed: string; target: string }) => {
      const customers = Number(opts.customers);
      const seed = Number(opts.seed);
      if (!Number.isInteger(customers) || customers < 1) throw new ExitError(2, 'error: --customers must be a positive integer');
      if (!Number.isInteger(seed)) throw new ExitError(2, 'error: --seed must be an integer');
      if (opts.target !== 'duckdb' && opts.target !== 'postgres') throw new ExitError(2, `error: --target must be duckdb or postgres, got '${opts.target}'`);
      const code = await runDemo({ out: resolve(opts.out), outLabel: opts.out, customers, seed, target: opts.target });
      if (code !== 0) throw new ExitError(code);
    });

  program
    .command('explain')
    .description('why is an identifier in its cluster: its customer, and the chain of rows that linked it (reads the built warehouse)')
    .argument('<value>', 'an identifier value as it appears in the data (normalised like the staging models do)')
    .option('--type <id_type>', 'the id type of <value> (default: try every id type of the spec)')
    .option('--to <value>', 'show the shortest chain from <value> to this identifier')
    .option('--spec <path>', 'spec file', 'c360.yml')
    .option('--project <dir>', 'generated project folder (the duckdb target reads its DuckDB file)', 'c360_project')
    .option('--target <name>', "the warehouse to read: duckdb or postgres (C360_PG_* variables, as profiles.yml's target); default: the spec's warehouse.type")
    .option('--json', 'print the result as JSON')
    .action(async (value: string, opts: { type?: string; to?: string; spec: string; project: string; target?: string; json?: boolean }) => {
      const r = await runExplainCommand(value, opts);
      process.stdout.write(r.stdout);
      if (r.code !== 0) throw new ExitError(r.code, r.stderr);
    });

  return program;
}

function summarizeDrift(drift: { kind: string }[]): string {
  const by = new Map<string, number>();
  for (const d of drift) by.set(d.kind, (by.get(d.kind) ?? 0) + 1);
  return [...by.entries()].map(([k, n]) => `${n} ${k}`).join(', ');
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    process.exitCode = 0;
  } catch (e) {
    process.exitCode = handleError(e);
  }
}

function handleError(e: unknown): number {
  if (e instanceof ExitError) {
    if (e.message) process.stderr.write(e.message + '\n');
    return e.exitCode;
  }
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
    return 2;
  }
  if (e instanceof OverwriteRefusedError || e instanceof DbtNotFoundError) {
    process.stderr.write(`error: ${e.message}\n`);
    return 1;
  }
  const err = e as Error;
  process.stderr.write(
    `internal error: ${err?.message ?? String(e)}\n  this is a bug in c360-gen; please report it with the command you ran` +
      (process.env.C360_DEBUG ? `\n${err?.stack}` : ' (set C360_DEBUG=1 for a stack trace)') +
      '\n',
  );
  return 70;
}
