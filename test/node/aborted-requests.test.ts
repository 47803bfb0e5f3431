/**
 * Issue 13, F3: a client that closes its connection in the middle of a request body made the node log an error
 * with a stack trace, every time (log flooding). Now each aborted request is logged once, at debug, without a
 * stack, and nothing at error. Read off the JSON lines `dta serve --log-level debug` writes (its pino destination).
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Child, makeHome, spawnDta, tempDir, waitFor } from './harness.ts';

const ABORTED = 5;
let child: Child;
let tmp: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  tmp = await tempDir('dta-aborted-');
  const home = await makeHome(join(tmp.dir, 'home'), { config: { plugins: ['safeguard'] } });
  child = await spawnDta(['serve', '--home', home, '--log-level', 'debug'], {}, 30_000);
}, 60_000);

afterAll(async () => {
  await child?.kill('SIGTERM');
  await tmp?.cleanup();
});

/** Sends an order's headers and part of its body, then resets the connection. */
function abortMidBody(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        'POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/cbor\r\nContent-Length: 5000\r\n\r\n' +
          'x'.repeat(100),
      );
      setTimeout(() => socket.resetAndDestroy(), 100);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
  });
}

it(`${ABORTED} requests aborted mid-body: ${ABORTED} debug lines, no error, no stack`, async () => {
  for (let i = 0; i < ABORTED; i++) await abortMidBody(child.url);
  const lines = () =>
    child
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg?: string; [k: string]: unknown });
  const aborted = await waitFor(() => {
    const found = lines().filter((l) => /abort/i.test(l.msg ?? ''));
    return found.length >= ABORTED ? found : undefined;
  }, 10_000).catch(() => lines().filter((l) => /abort/i.test(l.msg ?? '')));
  await new Promise((r) => setTimeout(r, 300)); // anything logged late would be counted too
  const all = lines();
  expect(all.filter((l) => /abort/i.test(l.msg ?? '')).length).toBe(ABORTED);
  expect(aborted.every((l) => l.level === 20)).toBe(true);
  expect(all.filter((l) => l.level >= 50)).toEqual([]);
  expect(child.output()).not.toMatch(/"stack"|\n\s+at /);
  expect((await fetch(`${child.url}/v1/status`)).status).toBe(200);
}, 30_000);
