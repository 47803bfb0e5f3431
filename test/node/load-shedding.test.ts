/**
 * Load shedding (issue 13): while the event loop is saturated, the node answers 503 overloaded with Retry-After
 * in the JSON error shape at once, instead of queueing requests until clients time out; health and metrics stay
 * answered (/healthz, /readyz, /metrics are exempt); once the loop is free again, requests are served.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeHome, type RunningNode, startInProcess, tempDir } from './harness.ts';

let node: RunningNode;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const t = await tempDir('dta-shed-');
  cleanup = t.cleanup;
  node = await startInProcess(await makeHome(t.dir, { config: { maxEventLoopDelayMs: 200 } }));
}, 60_000);
afterAll(async () => {
  await node?.close();
  await cleanup?.();
});

/** Keeps this process's event loop (the node's) busy for `ms`, as a burst of synchronous work would. */
function saturate(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* busy */
  }
}

it('a saturated loop answers 503 overloaded with Retry-After; health stays answered; then it recovers', async () => {
  expect((await fetch(`${node.url}/v1/status`)).status).toBe(200);
  // Blocks of 400 ms with the loop let through between them: every delay the monitor records is ~400 ms, so the
  // mean over the sampler's 1 s window is too, wherever the window falls.
  for (let i = 0; i < 6; i++) {
    saturate(400);
    await new Promise((r) => setTimeout(r, 0));
  }
  const [shed, health] = await Promise.all([fetch(`${node.url}/v1/status`), fetch(`${node.url}/healthz`)]);
  expect(shed.status).toBe(503);
  expect(shed.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(shed.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await shed.json()).toEqual({ error: { code: 'overloaded', message: expect.any(String) } });
  expect(health.status).not.toBe(503);
  let status = 0;
  for (let i = 0; i < 40 && status !== 200; i++) {
    await new Promise((r) => setTimeout(r, 100));
    status = (await fetch(`${node.url}/v1/status`)).status;
  }
  expect(status).toBe(200);
}, 30_000);
