// /healthz, /readyz and /metrics of nodes in this process, over real HTTP on 127.0.0.1: the counters move with
// real orders, a forged request and refused registrations (route templates as labels, never raw URLs), storage
// latency is observed, the metrics answer this machine or the token but not a proxied client, a listener of their
// own serves them apart, "off" serves none, and /readyz turns 503 naming what failed once Helia or the keystore is
// closed.
import { createServer } from 'node:net';
import { join } from 'node:path';
import * as dagCbor from '@ipld/dag-cbor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { toBase64 } from '../../src/core/bytes.ts';
import { orderSafeguardWith } from '../../src/plugins/safeguard/order.ts';
import { aliceBobMallory, clientOf, makeHome, type RunningNode, startInProcess, tempDir } from './harness.ts';

const TOKEN = 'a-metrics-token-for-the-test-0123456789';

let tmp: { dir: string; cleanup: () => Promise<void> };
let node: RunningNode;
let alice: KeyIdentity, bob: KeyIdentity, mallory: KeyIdentity;
let asAlice: NodeSession, asBob: NodeSession, asMallory: NodeSession;

/** The value of the sample `name` whose labels include `labels`, or undefined when there is none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

async function scrape(url = node.url, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** A free TCP port on 127.0.0.1 (for a listener whose port the test must know beforehand). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  tmp = await tempDir('dta-metrics-');
  const home = await makeHome(join(tmp.dir, 'fiduciary'), {
    name: 'fiduciary',
    config: { plugins: ['safeguard'], registrationsPerMinute: 0, metricsToken: TOKEN },
  });
  node = await startInProcess(home);
  [alice, bob, mallory] = await aliceBobMallory();
  asAlice = await clientOf(node.url, alice, { registerFirst: true });
  asBob = await clientOf(node.url, bob, { registerFirst: true });
  asMallory = await clientOf(node.url, mallory, { registerFirst: true });
  for (const s of [asAlice, asBob, asMallory]) await s.register();
}, 60_000);

afterAll(async () => {
  await node?.close();
  await tmp?.cleanup();
});

describe('health and metrics', () => {
  it('/healthz answers without asking anything; /readyz lists each dependency as ok', async () => {
    const live = await fetch(`${node.url}/healthz`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${node.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { node: 'ok', helia: 'ok', keystore: 'ok' } });
  });

  it('counts orders by plugin and step, a forged signature, requests by route template, storage latency', async () => {
    const before = await scrape();
    const ordered = await orderSafeguardWith(asAlice, { beneficiary: bob.identity.cid, generate: 32 });
    await asBob.redeem('safeguard', ordered.reply.order);
    // Alice's request with Mallory's signature on it: a valid point that does not verify
    const request = { type: 'safeguard/order', content: { beneficiary: bob.identity.cid, generate: 16 } };
    const env = dagCbor.decode((await asAlice.request({ ...request, intentFor: bob.identity })).bytes) as {
      signature: Uint8Array;
    };
    const forged = dagCbor.decode((await asMallory.request({ ...request, intentFor: bob.identity })).bytes) as {
      signature: Uint8Array;
    };
    env.signature = forged.signature;
    const refused = await fetch(`${node.url}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ envelope: toBase64(dagCbor.encode(env)) }),
    });
    expect([refused.status, ((await refused.json()) as { error: { code: string } }).error.code]).toEqual([
      401,
      'bad_signature',
    ]);
    expect((await fetch(`${node.url}/v1/orders/${ordered.reply.order}`)).status).toBe(200);
    expect((await fetch(`${node.url}/v1/no/such/route/${ordered.reply.order}`)).status).toBe(404);

    const after = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}) =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(moved('dta_orders_committed_total', { plugin: 'safeguard', step: 'order' })).toBe(1);
    expect(moved('dta_orders_committed_total', { plugin: 'safeguard', step: 'redeem' })).toBe(1);
    expect(moved('dta_failed_signatures_total')).toBe(1);
    expect(moved('dta_http_requests_total', { route: '/v1/orders', method: 'POST', status: '201' })).toBe(1);
    expect(moved('dta_http_requests_total', { route: '/v1/orders', method: 'POST', status: '401' })).toBe(1);
    // the redeem read the order too: every GET of an order is one series, whatever its id
    expect(moved('dta_http_requests_total', { route: '/v1/orders/:id', method: 'GET', status: '200' })).toBe(2);
    expect(moved('dta_http_requests_total', { route: 'unmatched', method: 'GET', status: '404' })).toBe(1);
    expect(moved('dta_http_request_duration_seconds_count', { route: '/v1/orders', method: 'POST' })).toBe(2);
    // the route template, never the raw URL: no label carries an order id
    expect(after).not.toContain(ordered.reply.order);
    // the order file written at each step, and the secret the plugin drew kept in the keystore
    expect(moved('dta_storage_duration_seconds_count', { backend: 'files', op: 'put' })).toBe(2);
    expect(moved('dta_storage_duration_seconds_count', { backend: 'file', op: 'put' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'dta_pool_queue_depth')).toBe(0);
    expect(sample(after, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('/metrics answers this machine or the token, not a client a local proxy forwards', async () => {
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      const proxied = await fetch(`${node.url}/metrics`, { headers: { [header]: '203.0.113.7' } });
      expect([proxied.status, await proxied.json()]).toEqual([
        403,
        { error: { code: 'forbidden', message: 'metrics are served to this machine or with the metrics token only' } },
      ]);
    }
    const wrong = await fetch(`${node.url}/metrics`, {
      headers: { 'x-forwarded-for': '203.0.113.7', authorization: `Bearer ${TOKEN}x` },
    });
    expect(wrong.status).toBe(403);
    const text = await scrape(node.url, { 'x-forwarded-for': '203.0.113.7', authorization: `Bearer ${TOKEN}` });
    expect(sample(text, 'dta_failed_signatures_total')).toBeGreaterThanOrEqual(1);
  });

  it('a listener of their own serves /metrics, /healthz and /readyz apart; "off" serves no metrics', async () => {
    const port = await freePort();
    const own = await startInProcess(
      await makeHome(join(tmp.dir, 'own-listener'), {
        config: { plugins: [], metricsPort: port, registrationsPerMinute: 1 },
      }),
    );
    const off = await startInProcess(await makeHome(join(tmp.dir, 'off'), { config: { plugins: [], metrics: 'off' } }));
    try {
      const apart = `http://127.0.0.1:${port}`;
      await fetch(`${own.url}/v1/status`);
      expect(sample(await scrape(apart), 'dta_http_requests_total', { route: '/v1/status', status: '200' })).toBe(1);
      expect((await fetch(`${apart}/healthz`)).status).toBe(200);
      expect((await fetch(`${apart}/readyz`)).status).toBe(200);
      expect((await fetch(`${apart}/v1/status`)).status).toBe(404);
      expect((await fetch(`${own.url}/metrics`)).status).toBe(404);
      // one registration a minute: the rest are refused 429, each counted as rate limited
      const statuses: number[] = [];
      for (const who of [alice, bob, mallory]) {
        const res = await fetch(`${own.url}/v1/identities`, {
          method: 'POST',
          headers: { 'content-type': 'application/cbor' },
          body: Buffer.from(who.identity.bytes),
        });
        statuses.push(res.status);
      }
      const limited = statuses.filter((s) => s === 429).length;
      expect(limited).toBeGreaterThanOrEqual(2);
      expect(sample(await scrape(apart), 'dta_rate_limited_total', { reason: 'rate_limited' })).toBe(limited);
      expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${off.url}/readyz`)).status).toBe(200);
    } finally {
      await own.close();
      await off.close();
    }
  });

  it('/readyz is 503 naming Helia, then the keystore, once they are closed; /healthz still answers', async () => {
    await node.rt.blocks.stop();
    const noHelia = await fetch(`${node.url}/readyz`);
    const body = (await noHelia.json()) as { error: { code: string; message: string }; checks: Record<string, string> };
    expect(noHelia.status).toBe(503);
    expect(body.error.code).toBe('unavailable');
    expect(body.error.message).toMatch(/^not ready: helia \(libp2p stopp(ed|ing)\)$/);
    expect(body.checks).toMatchObject({ node: 'ok', keystore: 'ok' });
    await node.rt.home.keystore.close();
    const locked = (await (await fetch(`${node.url}/readyz`)).json()) as { checks: Record<string, string> };
    expect(locked.checks.keystore).not.toBe('ok');
    expect(Object.keys(locked.checks).filter((k) => locked.checks[k] !== 'ok')).toEqual(['helia', 'keystore']);
    expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
  });
});
