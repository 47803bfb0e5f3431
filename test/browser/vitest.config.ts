// The browser suite: the shared core cases in Debian Chromium through the core worker (core.browser.test.ts).
// Run with `vitest run --config test/browser/vitest.config.ts`; scripts/test-all.sh runs it after the Node suite.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../../', import.meta.url).pathname,
    include: ['test/browser/**/*.browser.test.ts'],
    environment: 'node',
    // One browser session for the whole file; hooks build, serve and launch, so they get more time.
    testTimeout: 60_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
