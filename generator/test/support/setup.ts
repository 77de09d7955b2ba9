// Runs before every test file (vitest.config.ts setupFiles).
import { afterAll } from 'vitest';
import { removeTempDirs } from './tmp.js';

// registered before the file's own hooks, so it runs after them (after hooks run in reverse order):
// a file's afterAll can still read its directories (e.g. stop the server whose data dir is in one)
afterAll(() => removeTempDirs());
