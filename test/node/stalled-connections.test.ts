/**
 * Issue 13, F2: stalled request bodies held every connection (and file descriptor) until a legitimate order
 * failed with a 500 (EMFILE). With a connection cap and request timeouts: many more stalled connections than
 * the cap are opened; a legitimate order still completes, every request past the cap meanwhile gets a clean 503
 * unavailable (never a 500), and each stalled body is cut with 408 request_timeout once its time is up.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { safeguardOrderContent } from '../../src/plugins/safeguard/order.ts';
import { parseRaw, postFrom } from './edge-client.ts';
import { clientIdentity, clientOf, makeHome, type RunningNode, startInProcess, tempDir } from './harness.ts';

const CAP = 12;
const STALLED = 40; // more than the cap and its headroom: the last ones are dropped outright
const REQUEST_TIMEOUT_MS = 3000;
let node: RunningNode;
let bob: KeyIdentity;
let asAlice: NodeSession;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  const t = await tempDir('dta-stalled-');
  cleanups.push(t.cleanup);
  const config = { maxConnections: CAP, requestTimeoutMs: REQUEST_TIMEOUT_MS, headersTimeoutMs: 2000 };
  node = await startInProcess(await makeHome(t.dir, { config: { ...config, plugins: ['safeguard'] } }));
  cleanups.push(() => node.close());
  const [alice, b] = await Promise.all([clientIdentity('alice'), clientIdentity('bob')]);
  bob = b!;
  for (const p of [alice!, bob])
    expect((await postFrom(`${node.url}/v1/identities`, p.identity.bytes)).status).toBe(201);
  asAlice = await clientOf(node.url, alice!);
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

interface Stalled {
  readonly socket: Socket;
  /** What the server wrote before closing, and when it closed (ms after the body stalled). */
  readonly closed: Promise<{ out: string; afterMs: number }>;
}

/** A connection that sends an order's headers and 10 of its 1000 body bytes, then nothing. */
function stall(url: string): Stalled {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const start = Date.now();
  let out = '';
  socket.on('data', (d) => (out += d.toString('latin1')));
  socket.on('error', () => undefined); // a dropped connection: its close says so
  socket.write(
    `POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/cbor\r\nContent-Length: 1000\r\n\r\n` +
      'x'.repeat(10),
  );
  const closed = new Promise<{ out: string; afterMs: number }>((resolve) =>
    socket.on('close', () => resolve({ out, afterMs: Date.now() - start })),
  );
  return { socket, closed };
}

async function legitimateOrder() {
  const env = await asAlice.request({
    type: 'safeguard/order',
    intentFor: bob.identity,
    content: await safeguardOrderContent(asAlice.me, asAlice.node, {
      beneficiary: bob.identity.cid,
      secret: crypto.getRandomValues(new Uint8Array(32)),
    }),
  });
  return env.bytes;
}

describe('stalled request bodies', () => {
  it('do not starve a legitimate order, get clean 503s past the cap and 408 at their timeout', async () => {
    const order = await legitimateOrder();
    const stalled = Array.from({ length: STALLED }, () => stall(node.url));
    await new Promise((r) => setTimeout(r, 300)); // all connected (or dropped)
    // Past the cap, a request is answered at once: 503 unavailable with Retry-After, never a 500.
    const past = await postFrom(`${node.url}/v1/orders`, order).catch((e: Error) => ({ status: 0, error: e.message }));
    expect([0, 503]).toContain(past.status);
    if (past.status === 503) {
      expect((past as { json: { error: { code: string } } }).json.error.code).toBe('unavailable');
      expect(Number((past as { headers: Record<string, string> }).headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // The legitimate client retries (bounded) and gets its order through once the stalled bodies are cut.
    let status = 0;
    const deadline = Date.now() + 4 * REQUEST_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const r = await postFrom(`${node.url}/v1/orders`, order).catch(() => ({ status: 0 }));
      expect(r.status).not.toBe(500);
      status = r.status;
      if (status === 201) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    expect(status).toBe(201);
    const ends = await Promise.all(stalled.map((s) => s.closed));
    const answered = ends.filter((e) => e.out !== '').map((e) => ({ ...parseRaw(e.out), afterMs: e.afterMs }));
    // Those the server took were cut after the request timeout with 408; the rest were refused or dropped at once.
    const cut = answered.filter((a) => a.status === 408);
    expect(cut.length).toBeGreaterThanOrEqual(CAP - 2); // the cap minus the legitimate client's retries
    for (const a of cut) {
      expect(a.json).toEqual({ error: { code: 'request_timeout', message: expect.any(String) } });
      expect(a.afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
      expect(a.afterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2000);
    }
    expect(answered.every((a) => a.status === 408 || a.status === 503)).toBe(true);
    // Between the cap and Node's hard limit above it, stalled requests were refused at once, in JSON.
    const refused = answered.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) {
      expect(a.json.error.code).toBe('unavailable');
      expect(a.head).toMatch(/retry-after: 1/i);
      expect(a.afterMs).toBeLessThan(REQUEST_TIMEOUT_MS);
    }
    console.log(
      `stalled: ${cut.length} cut (408), ${refused.length} refused (503), ${STALLED - answered.length} dropped`,
    );
  }, 60_000);
});
