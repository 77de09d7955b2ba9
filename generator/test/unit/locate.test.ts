import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DbtNotFoundError, locateDbt } from '../../src/dbt/locate.js';
import { tempDir } from '../support/tmp.js';

describe('locating dbt', () => {
  it('prefers $C360_DBT, then ./.venv, then PATH', () => {
    const dir = tempDir('locate');
    const venvDbt = join(dir, '.venv', 'bin', 'dbt');
    mkdirSync(join(dir, '.venv', 'bin'), { recursive: true });
    writeFileSync(venvDbt, '#!/bin/sh\n');
    chmodSync(venvDbt, 0o755);
    const nowhere = join(dir, 'nowhere');
    expect(locateDbt({ PATH: '' }, dir, nowhere)).toBe(venvDbt);
    expect(locateDbt({ PATH: '', C360_DBT: venvDbt }, nowhere, nowhere)).toBe(venvDbt);
    expect(locateDbt({ PATH: join(dir, '.venv', 'bin') }, nowhere, nowhere)).toBe(venvDbt);
  });

  it('says how to install dbt when it is missing', () => {
    const dir = tempDir('locate-missing');
    expect(() => locateDbt({ PATH: '' }, dir, dir)).toThrow(DbtNotFoundError);
    expect(() => locateDbt({ PATH: '' }, dir, dir)).toThrow(/scripts\/setup\.sh/);
  });
});
