// The Node test project (scripts/test-all.sh runs it as the `node` suite): unit tests of the core
// bindings, the published vectors through the vector runner (and its CLI), and the shared cases of
// test/cases/ against the core in-process. The browser project is test/browser/vitest.config.ts.
//
// Two projects, one run. Most files share their worker process with the files run before them (isolate: false):
// a fresh process per file re-imported Helia, libp2p, fastify and the wasm core each time, about 2 s of CPU per
// node file, a few minutes of the suite on two cores. Every file still starts its own nodes, homes and servers.
// The files that need a fresh process keep one each: the app's (fake-indexeddb's global databases, fake timers),
// the PKCS#11 ones (SOFTHSM2_CONF and a native library initialised once per process) and the X-Wing backend's
// (it checks what runs before any core exists in the process).
import { defineConfig } from 'vitest/config';

const ISOLATED = ['test/app/**/*.test.ts', 'test/node/keystore-pkcs11*.test.ts', 'test/protocol/xwing-backend.test.ts'];

export default defineConfig({
  test: {
    exclude: ['test/browser/**', 'node_modules/**'],
    environment: 'node',
    // Two cores shared with other work: at most two test files at a time.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
    ],
  },
});
