/**
 * The registration rate limit: the token bucket's arithmetic (with a given clock), its bounded memory, and
 * the real node refusing the registration past the limit with 429 rate_limited and Retry-After — before
 * verifying or storing anything — while other clients and every other route go on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter, MAX_CLIENTS } from '../../src/node/http/rate-limit.ts';
import { clientIdentity, makeHome, type RunningNode, startInProcess, tempDir } from './harness.ts';

describe('token bucket', () => {
  it('allows a burst of perMinute, then one more per 60/perMinute seconds', () => {
    const limit = createRateLimiter(6); // a token every 10 s
    for (let i = 0; i < 6; i++) expect(limit.take('a', 0).ok).toBe(true);
    expect(limit.take('a', 0)).toEqual({ ok: false, retryAfterS: 10 });
    expect(limit.take('a', 4_000)).toEqual({ ok: false, retryAfterS: 6 });
    expect(limit.take('a', 10_000).ok).toBe(true);
    expect(limit.take('a', 10_000).ok).toBe(false);
    expect(limit.take('b', 10_000).ok).toBe(true); // another client has its own bucket
  });

  it('refills to the burst and no further, however long the pause', () => {
    const limit = createRateLimiter(2);
    expect([limit.take('a', 0).ok, limit.take('a', 0).ok, limit.take('a', 0).ok]).toEqual([true, true, false]);
    const later = 10 * 60_000;
    expect([limit.take('a', later).ok, limit.take('a', later).ok, limit.take('a', later).ok]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('0 means no limit', () => {
    const limit = createRateLimiter(0);
    for (let i = 0; i < 1000; i++) expect(limit.take('a', 0).ok).toBe(true);
  });

  it('keeps at most MAX_CLIENTS buckets: past that the oldest is forgotten, the newest still limited', () => {
    const limit = createRateLimiter(1);
    for (let i = 0; i <= MAX_CLIENTS; i++) expect(limit.take(`client-${i}`, 0).ok).toBe(true);
    expect(limit.take(`client-${MAX_CLIENTS}`, 0).ok).toBe(false); // remembered
    expect(limit.take('client-0', 0).ok).toBe(true); // its bucket made room: a fresh bucket (bounded memory)
  });

  it('drops idle (full) buckets before busy ones', () => {
    const limit = createRateLimiter(1);
    expect(limit.take('busy', 0).ok).toBe(true);
    for (let i = 1; i < MAX_CLIENTS; i++) limit.take(`idle-${i}`, -60_000); // full again by time 0
    expect(limit.take('newcomer', 0).ok).toBe(true); // room made from the idle ones
    expect(limit.take('busy', 0).ok).toBe(false); // still remembered
  });
});

describe('POST /v1/identities under the limit', () => {
  let node: RunningNode;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const t = await tempDir('dta-ratelimit-');
    cleanups.push(t.cleanup);
    node = await startInProcess(await makeHome(t.dir, { config: { registrationsPerMinute: 3 } }));
    cleanups.push(() => node.close());
  }, 60_000);

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  const register = (bytes: Uint8Array) =>
    fetch(`${node.url}/v1/identities`, {
      method: 'POST',
      headers: { 'content-type': 'application/cbor' },
      body: new Uint8Array(bytes),
    });

  it('takes three registrations from one address, refuses the fourth with 429, Retry-After and nothing stored', async () => {
    const people = await Promise.all(['a', 'b', 'c', 'd'].map((n) => clientIdentity(n)));
    for (const p of people.slice(0, 3)) expect((await register(p.identity.bytes)).status).toBe(201);
    const refused = await register(people[3]!.identity.bytes);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/retry in \d+ s/);
    const lookup = await fetch(`${node.url}/v1/identities/${people[3]!.identity.cid}`);
    expect(lookup.status).toBe(404);
  });

  it('re-registering counts too (each costs a verification); reads are never limited', async () => {
    const again = await clientIdentity('a');
    expect((await register(again.identity.bytes)).status).toBe(429);
    for (let i = 0; i < 10; i++) expect((await fetch(`${node.url}/v1/status`)).status).toBe(200);
  });

  it('the limit is in /openapi.json', async () => {
    const doc = (await (await fetch(`${node.url}/openapi.json`)).json()) as {
      paths: Record<string, { post?: { responses: Record<string, unknown> } }>;
    };
    expect(Object.keys(doc.paths['/v1/identities']!.post!.responses)).toContain('429');
  });
});
