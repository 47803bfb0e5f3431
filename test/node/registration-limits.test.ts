/**
 * Issue 13, F4: the registration limit was per exact address, so every IPv6 address (and 127.0.0.2, …) had a
 * budget of its own. Now a client is its IPv4 address or its IPv6 /64 (IPv4-mapped addresses as IPv4), and the
 * whole node has a cap too, so rotating addresses does not multiply registrations. Also the store's rules:
 * cost 0 asks without spending, memory stays bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientKey } from '../../src/node/limits/client-key.ts';
import { MemoryRateLimitStore } from '../../src/node/limits/memory-rate-limit-store.ts';
import { postFrom } from './edge-client.ts';
import { clientIdentity, makeHome, type RunningNode, startInProcess, tempDir } from './harness.ts';

describe('client keys', () => {
  it('IPv4 as is; IPv6 by its /64, however written; IPv4-mapped IPv6 as IPv4', () => {
    expect(clientKey('203.0.113.7')).toBe('v4:203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('v4:203.0.113.7');
    expect(clientKey('::FFFF:cb00:7107')).toBe('v4:203.0.113.7');
    const net = 'v6:2001:db8:1:2::/64';
    expect(clientKey('2001:db8:1:2::1')).toBe(net);
    expect(clientKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(net);
    expect(clientKey('2001:db8:1:2:a:b:c:d%eth0')).toBe(net);
    expect(clientKey('2001:db8:1:3::1')).not.toBe(net);
    expect(clientKey('::1')).toBe('v6:0:0:0:0::/64');
    expect(clientKey(undefined)).toBe('unknown');
    expect(clientKey('not an address')).toBe('unknown');
  });
});

describe('the in-memory store', () => {
  it('cost 0 asks whether a token is there without spending it', async () => {
    const store = new MemoryRateLimitStore();
    for (let i = 0; i < 5; i++) expect(await store.take('k', 0, 2, 1, 0)).toEqual({ ok: true });
    expect(await store.take('k', 1, 2, 1, 0)).toEqual({ ok: true });
    expect(await store.take('k', 1, 2, 1, 0)).toEqual({ ok: true });
    expect(await store.take('k', 0, 2, 1, 0)).toEqual({ ok: false, retryAfterS: 1 });
    expect(await store.take('k', 0, 2, 1, 1000)).toEqual({ ok: true });
  });

  it('keeps at most its bound of buckets', async () => {
    const store = new MemoryRateLimitStore(3);
    for (const k of ['a', 'b', 'c']) await store.take(k, 1, 1, 0.001, 0);
    expect((await store.take('c', 1, 1, 0.001, 0)).ok).toBe(false);
    await store.take('d', 1, 1, 0.001, 0); // makes room: the oldest ('a') goes
    expect((await store.take('a', 1, 1, 0.001, 0)).ok).toBe(true);
  });
});

describe('POST /v1/identities: per client and node-wide', () => {
  let node: RunningNode;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const t = await tempDir('dta-reglimit-');
    cleanup = t.cleanup;
    const config = { registrationsPerMinute: 2, registrationsPerMinuteTotal: 3 };
    node = await startInProcess(await makeHome(t.dir, { config }));
  }, 60_000);
  afterAll(async () => {
    await node?.close();
    await cleanup?.();
  });

  const register = async (from: string, name: string) =>
    postFrom(`${node.url}/v1/identities`, (await clientIdentity(name)).identity.bytes, from);

  it('two from one address, a third refused; another address its own; then the node-wide cap', async () => {
    expect((await register('127.0.0.1', 'a')).status).toBe(201);
    expect((await register('127.0.0.1', 'b')).status).toBe(201);
    const own = await register('127.0.0.1', 'c');
    expect([own.status, own.json.error.code]).toEqual([429, 'rate_limited']);
    expect((await register('127.0.0.2', 'd')).status).toBe(201); // a fresh address: its own budget, the node's last
    const rotated = await register('127.0.0.3', 'e');
    expect([rotated.status, rotated.json.error.code]).toEqual([429, 'rate_limited']);
    expect(Number(rotated.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${node.url}/v1/status`)).status).toBe(200);
  });
});
