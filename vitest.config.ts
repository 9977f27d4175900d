import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql ships CommonJS (main) and ESM (module) builds of itself. Node, and every dependency
    // here, loads the CommonJS one; the test transform would pick the ESM one for our own
    // sources, and a schema built by one copy is refused by the other's execute().
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    globalSetup: ['./test/support/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own database cloned from a migrated template, so files run in parallel safely.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
