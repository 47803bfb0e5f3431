/**
 * The M-Pin plugin's pure parts over the real core: the identity rule,
 * the issuer's policy and its once-drawn master-secret share, the
 * authentication server's checks (freshness, replay, permits, lockout,
 * invalid points), the replay cache, the login codec, the settings and
 * the issue requests and replies. The keystore is
 * an in-memory one with the same no-replace rule as the file keystore.
 */
import * as dagCbor from '@ipld/dag-cbor';
import { base58btc } from 'multiformats/bases/base58';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.ts';
import type { Core } from '../../src/core/types.ts';
import type { ScopedKeystore } from '../../src/node/keystore/types.ts';
import { AUTH_SERVER_DEFAULTS, AuthServer, type AuthServerOptions, type Login } from '../../src/node/plugins/mpin/auth-server.ts';
import { fromBase64, toBase64 } from '../../src/core/bytes.ts';
import { parseMpinConfig } from '../../src/node/plugins/mpin/config.ts';
import { MpinError } from '../../src/plugins/mpin/errors.ts';
import { mpinIdOf, parseMpinId } from '../../src/plugins/mpin/id.ts';
import { parseIssueReply, parseIssueRequest } from '../../src/plugins/mpin/issue-messages.ts';
import { Issuer, type IssuerPolicy } from '../../src/node/plugins/mpin/issuer.ts';
import { parseLogin } from '../../src/node/plugins/mpin/login.ts';
import { LoginReplayCache } from '../../src/node/plugins/mpin/login-replay.ts';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 4, 17, 12, 0, 0);
const PIN = 1234;

class MemoryKeystore implements ScopedKeystore {
  readonly map = new Map<string, Uint8Array>();
  puts = 0;
  async put(name: string, secret: Uint8Array): Promise<void> {
    this.puts++;
    const old = this.map.get(name);
    if (old !== undefined && Buffer.compare(old, secret) !== 0) throw Object.assign(new Error('exists'), { name: 'KeyExistsError' });
    this.map.set(name, secret.slice());
  }
  async get(name: string) {
    return this.map.get(name)?.slice();
  }
  async has(name: string) {
    return this.map.has(name);
  }
}

async function identityCid(name: string): Promise<CID> {
  return CID.create(1, dagCbor.code, await sha256.digest(dagCbor.encode({ name })));
}

function expectMpinError(fn: () => unknown, code: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(MpinError);
  expect((err as MpinError).code).toBe(code);
}

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toSatisfy((e: unknown) => e instanceof MpinError && e.code === code);
}

let core: Core;
let alice: CID, server: CID, other: CID;
const policy = (over: Partial<IssuerPolicy> = {}): IssuerPolicy => ({
  servers: new Set([server.toString()]),
  revoked: new Set(),
  ...over,
});

beforeAll(async () => {
  core = await createCore();
  [alice, server, other] = await Promise.all(['alice', 'server', 'other'].map(identityCid)) as [CID, CID, CID];
});

describe('identity rule', () => {
  it('the M-Pin ID is the UTF-8 of the canonical CID string', () => {
    expect(new TextDecoder().decode(mpinIdOf(alice))).toBe(alice.toString());
    expect(parseMpinId(alice.toString()).cid.equals(alice)).toBe(true);
  });

  it('refuses other spellings and other kinds of CID', () => {
    expectMpinError(() => parseMpinId(alice.toString().toUpperCase()), 'malformed');
    expectMpinError(() => parseMpinId(alice.toString(base58btc)), 'malformed');
    const raw = CID.create(1, 0x55, alice.multihash);
    expectMpinError(() => parseMpinId(raw.toString()), 'malformed');
    expectMpinError(() => parseMpinId('alice@example.org'), 'malformed');
    expectMpinError(() => parseMpinId(42), 'malformed');
  });
});

/** Two issuing nodes, a client token from both, an auth server with both server shares. */
async function setup(options: Partial<AuthServerOptions> = {}, now = () => NOW) {
  const stores = [new MemoryKeystore(), new MemoryKeystore()];
  const issuers = stores.map((k) => new Issuer(core, k, policy(), now));
  const cs = core.mpin.recombineG1(await Promise.all(issuers.map(async (i) => (await i.clientSecret(alice)).share)));
  const idBytes = mpinIdOf(alice);
  const token = core.mpin.extractPin(idBytes, PIN, cs);
  const auth = new AuthServer(core, { ...AUTH_SERVER_DEFAULTS, now, ...options });
  auth.setShares(await Promise.all(issuers.map(async (i) => (await i.serverSecret(server)).share)));
  const login = (pin = PIN, time = Math.floor(now() / 1000), tk = token): Login => {
    const c = core.mpin.client({ id: idBytes, pin, token: tk, time });
    return { id: alice.toString(), idBytes, time, u: c.u, v: c.v };
  };
  return { stores, issuers, cs, token, auth, login, idBytes };
}

describe('Issuer', () => {
  it('draws its master-secret share once and keeps issuing the same shares after a restart', async () => {
    const ks = new MemoryKeystore();
    const a = new Issuer(core, ks, policy(), () => NOW);
    const [x, y] = await Promise.all([a.clientSecret(alice), a.clientSecret(alice)]);
    expect(ks.map.size).toBe(1);
    expect(ks.puts).toBe(1);
    expect(x.share).toEqual(y.share);
    expect(x.id).toBe(alice.toString());
    const restarted = new Issuer(core, ks, policy(), () => NOW);
    expect((await restarted.clientSecret(alice)).share).toEqual(x.share);
    expect((await restarted.serverSecret(server)).share).toEqual((await a.serverSecret(server)).share);
    const s = ks.map.get('master')!;
    expect(x.share).toEqual(core.mpin.clientSecret(s, core.mpin.hashId(mpinIdOf(alice))));
  });

  it('two nodes have independent shares', async () => {
    const { issuers } = await setup();
    const [a, b] = await Promise.all(issuers.map((i) => i.clientSecret(alice)));
    expect(a!.share).not.toEqual(b!.share);
  });

  it('a concurrent writer wins: the node adopts the secret already committed', async () => {
    const ks = new MemoryKeystore();
    const first = core.mpin.masterSecret();
    const racing = new Issuer(core, {
      ...ks,
      get: async (n) => (ks.map.size === 0 && n === 'master' ? undefined : ks.get(n)),
      put: async (n, s) => {
        await ks.put(n, first); // someone else committed first
        await ks.put(n, s);
      },
      has: (n) => ks.has(n),
    }, policy(), () => NOW);
    const share = (await racing.clientSecret(alice)).share;
    expect(share).toEqual(core.mpin.clientSecret(first, core.mpin.hashId(mpinIdOf(alice))));
  });

  it('server-secret shares only for registered servers', async () => {
    const i = new Issuer(core, new MemoryKeystore(), policy(), () => NOW);
    expect((await i.serverSecret(server)).share.length).toBe(192);
    await rejectsWith(i.serverSecret(alice), 'forbidden');
    await rejectsWith(i.serverSecret(other), 'forbidden');
  });

  it('permits for today or tomorrow only, nothing for a revoked identity', async () => {
    const i = new Issuer(core, new MemoryKeystore(), policy({ revoked: new Set([other.toString()]) }), () => NOW);
    const today = Math.floor(NOW / DAY_MS);
    expect((await i.permit(alice, today)).date).toBe(today);
    expect((await i.permit(alice, today + 1)).share.length).toBe(97);
    for (const d of [today - 1, today + 2, 0, '19000', today + 0.5, undefined]) await rejectsWith(i.permit(alice, d), 'forbidden');
    await rejectsWith(i.clientSecret(other), 'forbidden');
    await rejectsWith(i.permit(other, today), 'forbidden');
  });
});

describe('AuthServer', () => {
  it('accepts the right PIN with shares from both nodes; refuses a wrong PIN and a one-node token', async () => {
    const { auth, login, issuers, idBytes } = await setup();
    expect(auth.verify(login())).toEqual({ accepted: true, id: alice.toString(), time: NOW / 1000 });
    expect(auth.verify(login(PIN + 1))).toMatchObject({ accepted: false, reason: 'refused' });
    const one = (await issuers[0]!.clientSecret(alice)).share;
    expect(auth.verify(login(PIN, undefined, core.mpin.extractPin(idBytes, PIN, one)))).toMatchObject({ accepted: false, reason: 'refused' });
  });

  it('refuses a server that holds one node share only', async () => {
    const { login, issuers } = await setup();
    const half = new AuthServer(core, { ...AUTH_SERVER_DEFAULTS, now: () => NOW });
    half.setShares([(await issuers[0]!.serverSecret(server)).share]);
    expect(half.verify(login())).toMatchObject({ accepted: false, reason: 'refused' });
  });

  it('refuses replays, stale, future and pre-start logins', async () => {
    let now = NOW;
    const { auth, login } = await setup({}, () => now);
    const l = login();
    expect(auth.verify(l).accepted).toBe(true);
    expect(auth.verify(l)).toMatchObject({ accepted: false, reason: 'replayed' });
    now += 61_000;
    expect(auth.verify(login(PIN, NOW / 1000 + 0))).toMatchObject({ accepted: false, reason: 'stale' });
    expect(auth.verify(login(PIN, now / 1000 + 61))).toMatchObject({ accepted: false, reason: 'stale' });
    expect(auth.verify(login(PIN, now / 1000 + 30))).toMatchObject({ accepted: true });
    // A server restarted at `now` refuses logins dated before its start, even inside the window.
    const restarted = new AuthServer(core, { ...AUTH_SERVER_DEFAULTS, now: () => now });
    restarted.setShares([core.mpin.serverSecret(core.mpin.masterSecret())]);
    expect(restarted.verify(login(PIN, now / 1000 - 5))).toMatchObject({ reason: 'stale' });
  });

  it('time permits: date of the login time, required when configured', async () => {
    const { auth, issuers, token, idBytes, login } = await setup({ requirePermit: true });
    const date = Math.floor(NOW / DAY_MS);
    const permit = core.mpin.recombineG1(await Promise.all(issuers.map(async (i) => (await i.permit(alice, date)).share)));
    const time = NOW / 1000;
    const c = core.mpin.client({ id: idBytes, pin: PIN, token, date, permit, time });
    const base = { id: alice.toString(), idBytes, time, v: c.v, ut: c.ut! };
    expect(auth.verify({ ...base, date: date + 1 })).toMatchObject({ reason: 'date' });
    expect(auth.verify({ ...base, date })).toMatchObject({ accepted: true });
    expect(auth.verify(login())).toMatchObject({ reason: 'permit_required' });
    const one = (await issuers[1]!.permit(alice, date)).share;
    const c1 = core.mpin.client({ id: idBytes, pin: PIN, token, date, permit: one, time });
    expect(auth.verify({ ...base, v: c1.v, ut: c1.ut!, date })).toMatchObject({ reason: 'refused' });
  });

  it('locks an identity out after 5 wrong logins in a row, for 5 minutes', async () => {
    let now = NOW;
    const { auth, login } = await setup({}, () => now);
    for (let k = 0; k < 5; k++) expect(auth.verify(login(k))).toMatchObject({ reason: 'refused' });
    expect(auth.verify(login())).toMatchObject({ reason: 'locked' });
    now += 301_000;
    expect(auth.verify(login())).toMatchObject({ accepted: true });
  });

  it('invalid points are errors, not refusals, and change nothing', async () => {
    const { auth, login } = await setup();
    const l = login();
    const offCurve = l.v.slice();
    offCurve[96]! ^= 1;
    expectMpinError(() => auth.verify({ ...l, v: offCurve }), 'invalid_point');
    expectMpinError(() => auth.verify({ ...l, u: new Uint8Array(97) }), 'invalid_point');
    expect(auth.verify(l).accepted).toBe(true); // (id, U) was not recorded by the failed attempts
    expectMpinError(() => auth.setShares([new Uint8Array(192)]), 'invalid_point');
    expectMpinError(() => auth.setShares([]), 'malformed');
  });

  it('is not ready before it has shares', () => {
    const auth = new AuthServer(core);
    expect(auth.ready).toBe(false);
    expectMpinError(() => auth.verify({ id: alice.toString(), idBytes: mpinIdOf(alice), time: 1, v: new Uint8Array(97) }), 'not_ready');
  });
});

describe('LoginReplayCache', () => {
  it('refuses when full of live entries and makes room from expired ones', () => {
    const c = new LoginReplayCache(2);
    expect(c.add('a', 10, 0)).toBe('new');
    expect(c.add('a', 10, 5)).toBe('seen');
    expect(c.add('b', 20, 5)).toBe('new');
    expect(c.add('c', 20, 5)).toBe('full');
    expect(c.add('c', 20, 11)).toBe('new');
    expect(c.size).toBe(2);
  });
});

describe('login codec', () => {
  const v = toBase64(new Uint8Array(97).fill(4));
  const ok = () => ({ id: alice.toString(), time: 1_700_000_000, u: v, v });

  it('decodes both shapes', () => {
    expect(parseLogin(ok()).u).toHaveLength(97);
    const p = parseLogin({ ...ok(), date: 19_000, ut: v });
    expect([p.date, p.ut?.length, p.u]).toEqual([19_000, 97, undefined]);
  });

  it.each([
    ['not an object', () => []],
    ['unknown field', () => ({ ...ok(), x: 1 })],
    ['missing v', () => ({ ...ok(), v: undefined })],
    ['missing u', () => ({ ...ok(), u: undefined })],
    ['ut without date', () => ({ ...ok(), ut: v })],
    ['date without ut', () => ({ ...ok(), date: 19_000 })],
    ['short point', () => ({ ...ok(), u: toBase64(new Uint8Array(96)) })],
    ['bad base64', () => ({ ...ok(), v: '!!!!' })],
    ['non-canonical base64', () => ({ ...ok(), v: v.slice(0, -3) + 'B==' })],
    ['time as string', () => ({ ...ok(), time: '1700000000' })],
    ['fractional time', () => ({ ...ok(), time: 1.5 })],
    ['id not a CID', () => ({ ...ok(), id: 'alice' })],
  ])('refuses %s', (_name, body) => {
    expectMpinError(() => parseLogin(body()), 'malformed');
  });

  it('base64 round trip', () => {
    const b = crypto.getRandomValues(new Uint8Array(50));
    expect(fromBase64(toBase64(b), 'x')).toEqual(b);
  });
});

describe('settings', () => {
  it('defaults: issue to clients, register no server, no authentication server', () => {
    const c = parseMpinConfig();
    expect([c.servers.size, c.revoked.size, c.authServer]).toEqual([0, 0, undefined]);
  });

  it('reads servers, revocations and the authentication server', () => {
    const c = parseMpinConfig({
      servers: [server.toString()],
      revoked: [other.toString()],
      authServer: { issuers: [{ identity: alice.toString(), url: 'http://127.0.0.1:5556/' }, { identity: server.toString() }], windowSeconds: 30 },
    });
    expect(c.servers.has(server.toString())).toBe(true);
    expect(c.revoked.has(other.toString())).toBe(true);
    expect(c.authServer).toMatchObject({ windowSeconds: 30, requirePermit: false });
    expect(c.authServer!.issuers.map((e) => e.url)).toEqual(['http://127.0.0.1:5556', undefined]);
  });

  it.each([
    ['an unknown key', () => ({ server: [] })],
    ['a server that is not a CID', () => ({ servers: ['alice'] })],
    ['an issuer listed twice', () => ({ authServer: { issuers: [{ identity: alice.toString() }, { identity: alice.toString() }] } })],
    ['an issuer URL with a query', () => ({ authServer: { issuers: [{ identity: alice.toString(), url: 'http://x/?a' }] } })],
    ['a non-http URL', () => ({ authServer: { issuers: [{ identity: alice.toString(), url: 'file:///etc' }] } })],
    ['a tiny window', () => ({ authServer: { issuers: [], windowSeconds: 1 } })],
    ['requirePermit as text', () => ({ authServer: { issuers: [], requirePermit: 'yes' } })],
  ])('refuses %s', (_name, settings) => {
    expectMpinError(() => parseMpinConfig(settings()), 'malformed');
  });
});

describe('issue requests and replies', () => {
  it('parses the three kinds', () => {
    expect(parseIssueRequest({ issue: 'client-secret' })).toEqual({ issue: 'client-secret' });
    expect(parseIssueRequest({ issue: 'permit', date: 20_000 })).toEqual({ issue: 'permit', date: 20_000 });
    expect(parseIssueRequest({ issue: 'server-secret' })).toEqual({ issue: 'server-secret' });
  });

  it.each([
    ['bytes', () => new Uint8Array(3)],
    ['another kind', () => ({ issue: 'master-secret' })],
    ['a date without a permit', () => ({ issue: 'client-secret', date: 1 })],
    ['a permit without a date', () => ({ issue: 'permit' })],
    ['a fractional date', () => ({ issue: 'permit', date: 1.5 })],
    ['an extra field', () => ({ issue: 'server-secret', to: 'x' })],
  ])('refuses %s', (_name, content) => {
    expectMpinError(() => parseIssueRequest(content()), 'malformed');
  });

  it('a reply must answer what was asked, for whom it was asked', () => {
    const share = new Uint8Array(97);
    const id = alice.toString();
    expect(parseIssueReply({ issue: 'client-secret', share, id }, { issue: 'client-secret' }, id)).toBe(share);
    expectMpinError(() => parseIssueReply({ issue: 'client-secret', share, id }, { issue: 'client-secret' }, other.toString()), 'malformed');
    expectMpinError(() => parseIssueReply({ issue: 'permit', share, id, date: 2 }, { issue: 'permit', date: 3 }, id), 'malformed');
    expectMpinError(() => parseIssueReply({ issue: 'server-secret', share }, { issue: 'server-secret' }), 'malformed');
    expectMpinError(() => parseIssueReply({ issue: 'permit', share, id, date: 3 }, { issue: 'client-secret' }, id), 'malformed');
  });
});
