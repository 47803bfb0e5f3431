// The Node test project (scripts/test-all.sh runs it as the `node` suite): unit tests of the core
// bindings, the published vectors through the vector runner (and its CLI), and the shared cases of
// test/cases/ against the core in-process. The browser project is test/browser/vitest.config.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    environment: 'node',
    // Two cores shared with other work: at most two test files at a time.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
