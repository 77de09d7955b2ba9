import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['generator/test/**/*.test.ts'],
    // removes the temp dirs a test file made, after it (C360_KEEP_TMP=1 keeps them)
    setupFiles: ['generator/test/support/setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // dbt runs are CPU-heavy and share the 2 cores: run test files one at a time.
    fileParallelism: false,
    reporters: ['default'],
  },
});
