// The CLI as users run it: the built binary, real files, exit codes.

import { execa } from 'execa';
import { existsSync, readFileSync, writeFileSync, appendFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/dbt/locate.js';
import { tempDir } from '../support/tmp.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'c360-gen.js');
const BRIEF = readFileSync(join(PACKAGE_ROOT, 'examples', 'brief', 'c360.yml'), 'utf8');

function cli(args: string[], cwd: string) {
  return execa('node', [BIN, ...args], { cwd, reject: false, env: { NO_COLOR: '1' } });
}

describe('c360-gen CLI', () => {
  it('requires the built CLI (npm run build)', () => {
    expect(existsSync(join(PACKAGE_ROOT, 'dist', 'generator', 'src', 'cli', 'main.js'))).toBe(true);
  });

  it('init writes a starter spec that validates, then refuses to overwrite it', async () => {
    const dir = tempDir('cli-init');
    const first = await cli(['init'], dir);
    expect(first.exitCode).toBe(0);
    const written = readFileSync(join(dir, 'c360.yml'), 'utf8');
    expect(written).toContain('version: 1');
    const v = await cli(['validate'], dir);
    expect(v.stderr).toBe('');
    expect(v.exitCode).toBe(0);
    writeFileSync(join(dir, 'c360.yml'), written + '# my edits\n');
    const second = await cli(['init'], dir);
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toContain('already exists');
    expect(readFileSync(join(dir, 'c360.yml'), 'utf8')).toBe(written + '# my edits\n');
  });

  it('validate reports every problem with code, position and hint, exit 1, no stack trace', async () => {
    const dir = tempDir('cli-validate');
    writeFileSync(
      join(dir, 'c360.yml'),
      BRIEF.replace('from: web_orders\n', 'from: web_order\n').replace('  payments_id: {}\n', '  payments_id: { normalise: trim }\n'),
    );
    const r = await cli(['validate'], dir);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/error\[C360-E\d+\]/);
    expect(r.stderr).toMatch(/c360\.yml:\d+:\d+/);
    expect(r.stderr).toContain('web_orders');
    expect(r.stderr).toContain('normalize');
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    const json = await cli(['validate', '--json'], dir);
    expect(json.exitCode).toBe(1);
    const diags = JSON.parse(json.stdout);
    expect(diags.length).toBeGreaterThanOrEqual(2);
  });

  it('a missing spec is a clear error with a hint', async () => {
    const r = await cli(['generate'], tempDir('cli-missing'));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('c360-gen init');
  });

  it('unknown options are usage errors (exit 2)', async () => {
    const r = await cli(['generate', '--frobnicate'], tempDir('cli-usage'));
    expect(r.exitCode).toBe(2);
  });

  it('generate is the default command; --check passes when in sync and shows a diff on drift', async () => {
    const dir = tempDir('cli-generate');
    writeFileSync(join(dir, 'c360.yml'), BRIEF);
    const g = await cli([], dir);
    expect(g.exitCode).toBe(0);
    expect(existsSync(join(dir, 'c360_project', 'dbt_project.yml'))).toBe(true);
    expect((await cli(['generate', '--check'], dir)).exitCode).toBe(0);

    appendFileSync(join(dir, 'c360_project', 'models', 'marts', 'customer_360.sql'), '-- hand edit\n');
    const drift = await cli(['generate', '--check'], dir);
    expect(drift.exitCode).toBe(1);
    expect(drift.stdout).toContain('-- hand edit');
    expect(drift.stderr).toContain('out of date');
    // --check wrote nothing
    expect(readFileSync(join(dir, 'c360_project', 'models', 'marts', 'customer_360.sql'), 'utf8')).toContain('-- hand edit');

    // a feature removed from the spec: its file is stale, regenerate removes it
    writeFileSync(join(dir, 'c360.yml'), BRIEF.replace(/  web_revenue:\n(    .*\n)+/, '').replace(/  avg_purchase_value:[\s\S]*$/, ''));
    const stale = await cli(['generate', '--check'], dir);
    expect(stale.exitCode).toBe(1);
    expect((await cli(['generate'], dir)).exitCode).toBe(0);
    expect((await cli(['generate', '--check'], dir)).exitCode).toBe(0);
    expect(readdirSync(join(dir, 'c360_project', 'models', 'features')).sort()).toEqual([
      '_features__models.yml', 'int_app_purchases__features.sql', 'int_payments__features.sql', 'int_web_orders__features.sql',
    ]);
  });

  it('a failed generate writes nothing', async () => {
    const dir = tempDir('cli-atomic');
    writeFileSync(join(dir, 'c360.yml'), BRIEF);
    expect((await cli([], dir)).exitCode).toBe(0);
    const before = readFileSync(join(dir, 'c360_project', 'models', 'marts', 'customer_360.sql'), 'utf8');
    writeFileSync(join(dir, 'c360.yml'), BRIEF.replace('agg: sum(amount)\n    description: Revenue from', 'agg: median(amount)\n    description: Revenue from'));
    const r = await cli([], dir);
    expect(r.exitCode).toBe(1);
    expect(readFileSync(join(dir, 'c360_project', 'models', 'marts', 'customer_360.sql'), 'utf8')).toBe(before);
  });

  it('refuses to overwrite files it did not generate', async () => {
    const dir = tempDir('cli-foreign');
    writeFileSync(join(dir, 'c360.yml'), BRIEF);
    mkdirSync(join(dir, 'c360_project'));
    writeFileSync(join(dir, 'c360_project', 'dbt_project.yml'), 'name: mine\n');
    const r = await cli([], dir);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('refusing to overwrite');
    expect(readFileSync(join(dir, 'c360_project', 'dbt_project.yml'), 'utf8')).toBe('name: mine\n');
    expect(existsSync(join(dir, 'c360_project', 'models'))).toBe(false);
  });
});

describe('c360-gen generate: stitching rule changes', () => {
  it('says a full refresh is needed when rules that can split clusters change, not when an input is added', async () => {
    const dir = tempDir('cli-rules');
    writeFileSync(join(dir, 'c360.yml'), BRIEF);
    expect((await cli([], dir)).stderr).toBe('');
    // a new input only adds links: no warning
    const withInput = BRIEF.replace(
      '\nfeatures:',
      "\n  support:\n    relation: source('desk', 'tickets')\n    occurred_at: opened_at\n    ids: { email: email }\n\nfeatures:",
    );
    writeFileSync(join(dir, 'c360.yml'), withInput);
    const added = await cli([], dir);
    expect(added.exitCode).toBe(0);
    expect(added.stderr).toBe('');
    // a new exclusion can split clusters
    writeFileSync(join(dir, 'c360.yml'), withInput.replace('  email: { normalize: email }', '  email: { normalize: email, exclude: { values: [shared@shop.com] } }'));
    const excluded = await cli([], dir);
    expect(excluded.exitCode).toBe(0);
    expect(excluded.stderr).toContain('id type rules');
    expect(excluded.stderr).toContain('dbt build --full-refresh');
    // removing an input can split clusters too
    writeFileSync(join(dir, 'c360.yml'), readFileSync(join(dir, 'c360.yml'), 'utf8').replace(/\n  support:\n(    .*\n)+/, '\n'));
    const removed = await cli([], dir);
    expect(removed.stderr).toContain('input support was removed');
  });
});

describe('c360-gen demo', () => {
  it('builds the demo end to end and resolves every person exactly', async () => {
    const dir = tempDir('cli-demo');
    const r = await cli(['demo', '--customers', '150', '--seed', '7'], dir);
    expect(r.exitCode, r.stderr + r.stdout.slice(-3000)).toBe(0);
    expect(r.stdout).toMatch(/customers resolved\s+150\b/);
    expect(r.stdout).toMatch(/ground truth\s+150\/150 people resolved whole, 0 clusters merging two people/);
    expect(r.stdout).toMatch(/dbt\s+\d+ models, (\d+) tests: \1 passed, 0 failed/);
    expect(existsSync(join(dir, 'c360_demo', 'c360_project', 'c360.duckdb'))).toBe(true);
    // the demo's project is what its spec generates
    const check = await cli(['generate', '--check', '--spec', 'c360_demo/c360.yml', '--out', 'c360_demo/c360_project'], dir);
    expect(check.exitCode, check.stdout.slice(0, 2000)).toBe(0);
  });
});
