// The end-to-end suite: the built app (src/app) in Debian Chromium against real nodes started by each test file
// (test/e2e/*.e2e.ts; the suffix keeps these files out of the Node project's test/**/*.test.ts). The app is built
// once per run by global-setup.ts. Run with `vitest run --config test/e2e/vitest.config.ts`; scripts/test-all.sh
// runs it as the `e2e` suite after the browser suite. Screenshots land in test-results/screenshots/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../../', import.meta.url).pathname,
    include: ['test/e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/global-setup.ts'],
    // One file at a time: each starts its own nodes and a Chromium, and the machine has two cores.
    fileParallelism: false,
    maxWorkers: 1,
    // The files share that one worker process: the node stack, playwright and vite are imported once per run, not
    // once per file. Each file still launches its own Chromium and starts its own nodes (world.ts, nodes.ts).
    isolate: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
