/**
 * A worker that starts over a core whose constants are damaged and runs the core's self-test after its start, as the
 * app worker does (src/worker/app-worker.ts): the test fails for real, and worker-cases.ts checks that the page hears
 * why through startWorker's `selfTest`, while the worker's start itself succeeded.
 * @module
 */
import { loadCoreModule } from '../../src/core/wasm/loader.ts';
import { conditionalSelfTest } from '../../src/core/wasm/self-test.ts';
import { serveWhenReady } from '../../src/worker/startup.ts';

const broken = loadCoreModule().then((core) => {
  new Uint8Array(core.exports.memory.buffer).fill(0, 1024, Number(core.exports.__data_end.value));
  return core;
});
const selfTest = conditionalSelfTest(broken);

serveWhenReady(async () => {
  await broken;
  setTimeout(() => void selfTest.run().catch(() => undefined), 0);
  return { ping: () => 'pong' };
}, selfTest.outcome);
