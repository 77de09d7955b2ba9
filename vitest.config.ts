import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['generator/test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // dbt runs are CPU-heavy and share the 2 cores: run test files one at a time.
    fileParallelism: false,
    reporters: ['default'],
  },
});
