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
import { fromBase64, toBase64 } from '../../src/core/bytes.ts';
import { createCore } from '../../src/core/index.ts';
import type { Core } from '../../src/core/types.ts';
import type { ScopedKeystore } from '../../src/node/keystore/types.ts';
import {
  AUTH_SERVER_DEFAULTS,
  AuthServer,
  type AuthServerOptions,
  type Login,
} from '../../src/node/plugins/mpin/auth-server.ts';
import { parseMpinConfig } from '../../src/node/plugins/mpin/config.ts';
import { Issuer, type IssuerPolicy } from '../../src/node/plugins/mpin/issuer.ts';
import { parseLogin } from '../../src/node/plugins/mpin/login.ts';
import { LoginReplayCache } from '../../src/node/plugins/mpin/login-replay.ts';
import { MpinError } from '../../src/plugins/mpin/errors.ts';
import { mpinIdOf, mpinIdText, parseMpinId } from '../../src/plugins/mpin/id.ts';
import { parseIssueReply, parseIssueRequest } from '../../src/plugins/mpin/issue-messages.ts';
import { loginMessage } from '../../src/plugins/mpin/login-binding.ts';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 4, 17, 12, 0, 0);
const PIN = 1234;

class MemoryKeystore implements ScopedKeystore {
  readonly map = new Map<string, Uint8Array>();
  puts = 0;
  async put(name: string, secret: Uint8Array): Promise<void> {
    this.puts++;
    const old = this.map.get(name);
    if (old !== undefined && Buffer.compare(old, secret) !== 0)
      throw Object.assign(new Error('exists'), { name: 'KeyExistsError' });
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
  [alice, server, other] = (await Promise.all(['alice', 'server', 'other'].map(identityCid))) as [CID, CID, CID];
});

describe('identity rule', () => {
  it('the M-Pin ID is the UTF-8 of the canonical CID string (enrolment 0) or of "<CID>#<n>"', () => {
    expect(new TextDecoder().decode(mpinIdOf(alice))).toBe(alice.toString());
    expect(parseMpinId(alice.toString()).cid.equals(alice)).toBe(true);
    expect(new TextDecoder().decode(mpinIdOf(alice, 7))).toBe(`${alice}#7`);
    expect(parseMpinId(`${alice}#7`)).toMatchObject({ enrolment: 7, text: `${alice}#7` });
    expectMpinError(() => parseMpinId(`${alice}#4294967296`), 'malformed');
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

let requests = 0;
/** A fresh request CID (what the node hands the issuer with each order). */
const requestCid = () => identityCid(`request ${++requests}`);

interface SetupOptions extends Partial<AuthServerOptions> {
  readonly keystore?: MemoryKeystore; // the authentication server's (its lockout)
}

/** Two issuing nodes, a client token from both (enrolment 1), an auth server with both server shares. */
async function setup(options: SetupOptions = {}, now = () => NOW) {
  const stores = [new MemoryKeystore(), new MemoryKeystore()];
  const issuers = stores.map((k) => new Issuer(core, k, policy(), now));
  const shareOf = async (i: Issuer, n: number) => (await i.clientSecret(alice, n, await requestCid())).share;
  const enrol = async (n: number) => core.mpin.recombineG1(await Promise.all(issuers.map((i) => shareOf(i, n))));
  const cs = await enrol(1);
  const idBytes = mpinIdOf(alice, 1);
  const token = core.mpin.extractPin(idBytes, PIN, cs);
  const authKeystore = options.keystore ?? new MemoryKeystore();
  const auth = authServer(issuers, authKeystore, { ...options, now });
  auth.setShares(await Promise.all(issuers.map(async (i) => (await i.serverSecret(server)).share)));
  const login = (
    pin = PIN,
    time = Math.floor(now() / 1000),
    tk = token,
    enrolment = 1,
    at = auth,
    nonce = at.challenge().nonce,
  ): Login => {
    const session = 'session-1';
    const id = mpinIdText(alice, enrolment),
      bytes = mpinIdOf(alice, enrolment);
    const message = loginMessage({ server: server.toString(), nonce, session });
    const c = core.mpin.client({ id: bytes, pin, token: tk, time, message });
    return { id, idBytes: bytes, identity: alice, enrolment, time, nonce, session, u: c.u, v: c.v };
  };
  return { stores, issuers, cs, token, auth, authKeystore, login, idBytes, enrol };
}

/** An authentication server (identity `server`) over these issuers; permits off unless asked. */
function authServer(issuers: readonly Issuer[], keystore: MemoryKeystore, options: Partial<AuthServerOptions> = {}) {
  return new AuthServer(
    core,
    {
      identity: server.toString(),
      keystore,
      currentEnrolment: async (cid) => Math.max(...(await Promise.all(issuers.map((i) => i.currentEnrolment(cid))))),
    },
    { ...AUTH_SERVER_DEFAULTS, requirePermit: false, ...options },
  );
}

describe('Issuer', () => {
  it('draws its master-secret share once and keeps issuing the same shares after a restart', async () => {
    const ks = new MemoryKeystore();
    const a = new Issuer(core, ks, policy(), () => NOW);
    const r1 = await requestCid();
    const [x, y] = await Promise.all([a.clientSecret(alice, 1, r1), a.clientSecret(alice, 1, r1)]);
    expect([...ks.map.keys()].sort()).toEqual([`enrolment/${alice}/1`, 'master']);
    expect(x.share).toEqual(y.share);
    expect(x.id).toBe(`${alice}#1`);
    const restarted = new Issuer(core, ks, policy(), () => NOW);
    expect((await restarted.clientSecret(alice, 1, r1)).share).toEqual(x.share); // the same request again
    expect((await restarted.serverSecret(server)).share).toEqual((await a.serverSecret(server)).share);
    const s = ks.map.get('master')!;
    expect(x.share).toEqual(core.mpin.clientSecret(s, core.mpin.hashId(mpinIdOf(alice, 1))));
  });

  it('two nodes have independent shares', async () => {
    const { issuers } = await setup();
    const [a, b] = await Promise.all(issuers.map(async (i) => i.clientSecret(other, 1, await requestCid())));
    expect(a!.share).not.toEqual(b!.share);
  });

  it('a concurrent writer wins: the node adopts the secret already committed', async () => {
    const ks = new MemoryKeystore();
    const first = core.mpin.masterSecret();
    const racing = new Issuer(
      core,
      {
        ...ks,
        get: async (n) => (ks.map.size === 0 && n === 'master' ? undefined : ks.get(n)),
        put: async (n, s) => {
          if (n === 'master') await ks.put(n, first); // someone else committed first
          await ks.put(n, s);
        },
        has: (n) => ks.has(n),
      },
      policy(),
      () => NOW,
    );
    const share = (await racing.clientSecret(alice, 1, await requestCid())).share;
    expect(share).toEqual(core.mpin.clientSecret(first, core.mpin.hashId(mpinIdOf(alice, 1))));
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
    for (const d of [today - 1, today + 2, 0, '19000', today + 0.5, undefined])
      await rejectsWith(i.permit(alice, d), 'forbidden');
    await rejectsWith(i.clientSecret(other, 1, await requestCid()), 'forbidden');
    await rejectsWith(i.permit(other, today), 'forbidden');
  });
});

describe('Issuer: one client-secret share per M-Pin ID (issue 16, finding 1)', () => {
  it('a second request for one ID is already_issued, after a restart too; the same request is idempotent', async () => {
    const ks = new MemoryKeystore();
    const i = new Issuer(core, ks, policy(), () => NOW);
    const r1 = await requestCid();
    const first = await i.clientSecret(alice, 1, r1);
    await rejectsWith(i.clientSecret(alice, 1, await requestCid()), 'already_issued');
    const restarted = new Issuer(core, ks, policy(), () => NOW);
    await rejectsWith(restarted.clientSecret(alice, 1, await requestCid()), 'already_issued');
    expect((await restarted.clientSecret(alice, 1, r1)).share).toEqual(first.share);
    const concurrent = await Promise.allSettled([0, 1].map(async () => i.clientSecret(other, 1, await requestCid())));
    expect(concurrent.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('enrolment 0 is never issued again; enrolments go up by one', async () => {
    const i = new Issuer(core, new MemoryKeystore(), policy(), () => NOW);
    await rejectsWith(i.clientSecret(alice, 0, await requestCid()), 'bad_request');
    await rejectsWith(i.clientSecret(alice, 2, await requestCid()), 'bad_request');
    expect(await i.currentEnrolment(alice)).toBe(0);
    await i.clientSecret(alice, 1, await requestCid());
    await i.clientSecret(alice, 2, await requestCid());
    expect(await i.currentEnrolment(alice)).toBe(2);
    expect(await new Issuer(core, new MemoryKeystore(), policy(), () => NOW).currentEnrolment(alice)).toBe(0);
  });

  it('a new enrolment revokes the older ones: no permit for them', async () => {
    const i = new Issuer(core, new MemoryKeystore(), policy(), () => NOW);
    const today = Math.floor(NOW / DAY_MS);
    expect((await i.permit(alice, today, 0)).id).toBe(alice.toString()); // old data: enrolment 0 is current
    await i.clientSecret(alice, 1, await requestCid());
    await rejectsWith(i.permit(alice, today, 0), 'revoked');
    expect((await i.permit(alice, today, 1)).id).toBe(`${alice}#1`);
    await rejectsWith(i.permit(alice, today, 2), 'revoked');
  });
});

describe('AuthServer', () => {
  it('accepts the right PIN with shares from both nodes; refuses a wrong PIN and a one-node token', async () => {
    const { auth, login, issuers } = await setup();
    const accepted = { accepted: true, id: `${alice}#1`, time: NOW / 1000, session: 'session-1' };
    expect(await auth.verify(login())).toEqual(accepted);
    expect(await auth.verify(login(PIN + 1))).toMatchObject({ accepted: false, reason: 'refused' });
    const one = (await issuers[0]!.clientSecret(other, 1, await requestCid())).share;
    const alone = core.mpin.extractPin(mpinIdOf(alice, 1), PIN, one);
    expect(await auth.verify(login(PIN, undefined, alone))).toMatchObject({ accepted: false, reason: 'refused' });
  });

  it('refuses a server that holds one node share only', async () => {
    const { login, issuers } = await setup();
    const half = authServer(issuers, new MemoryKeystore(), { now: () => NOW });
    half.setShares([(await issuers[0]!.serverSecret(server)).share]);
    const atHalf = login(PIN, undefined, undefined, 1, half);
    expect(await half.verify(atHalf)).toMatchObject({ accepted: false, reason: 'refused' });
  });

  it('refuses replays, stale, future and pre-start logins', async () => {
    let now = NOW;
    const { auth, login, issuers } = await setup({}, () => now);
    const l = login();
    expect((await auth.verify(l)).accepted).toBe(true);
    expect(await auth.verify(l)).toMatchObject({ accepted: false, reason: 'replayed' });
    now += 61_000;
    expect(await auth.verify(login(PIN, NOW / 1000 + 0))).toMatchObject({ accepted: false, reason: 'stale' });
    expect(await auth.verify(login(PIN, now / 1000 + 61))).toMatchObject({ accepted: false, reason: 'stale' });
    expect(await auth.verify(login(PIN, now / 1000 + 30))).toMatchObject({ accepted: true });
    // A server restarted at `now` refuses logins dated before its start, even inside the window.
    const restarted = authServer(issuers, new MemoryKeystore(), { now: () => now });
    restarted.setShares(await Promise.all(issuers.map(async (i) => (await i.serverSecret(server)).share)));
    const before = login(PIN, now / 1000 - 5, undefined, 1, restarted);
    expect(await restarted.verify(before)).toMatchObject({ reason: 'stale' });
  });

  it('time permits: date of the login time, required when configured (the default)', async () => {
    const { auth, issuers, token, idBytes, login } = await setup({ requirePermit: true });
    const date = Math.floor(NOW / DAY_MS);
    const permitOf = async (i: Issuer) => (await i.permit(alice, date, 1)).share;
    const permit = core.mpin.recombineG1(await Promise.all(issuers.map(permitOf)));
    const time = NOW / 1000;
    const withPermit = (p: Uint8Array, d: number): Login => {
      const { nonce } = auth.challenge();
      const message = loginMessage({ server: server.toString(), nonce, session: 's' });
      const c = core.mpin.client({ id: idBytes, pin: PIN, token, date, permit: p, time, message });
      const id = `${alice}#1`;
      return { id, idBytes, identity: alice, enrolment: 1, time, nonce, session: 's', v: c.v, ut: c.ut!, date: d };
    };
    expect(await auth.verify(withPermit(permit, date + 1))).toMatchObject({ reason: 'date' });
    expect(await auth.verify(withPermit(permit, date))).toMatchObject({ accepted: true });
    expect(await auth.verify(login())).toMatchObject({ reason: 'permit_required' });
    const one = (await issuers[1]!.permit(alice, date, 1)).share;
    expect(await auth.verify(withPermit(one, date))).toMatchObject({ reason: 'refused' });
    expect(AUTH_SERVER_DEFAULTS.requirePermit).toBe(true);
  });

  it('locks an identity out after 5 wrong logins in a row, for 5 minutes', async () => {
    let now = NOW;
    const { auth, login } = await setup({}, () => now);
    for (let k = 0; k < 5; k++) expect(await auth.verify(login(k))).toMatchObject({ reason: 'refused' });
    expect(await auth.verify(login())).toMatchObject({ reason: 'locked' });
    now += 301_000;
    expect(await auth.verify(login())).toMatchObject({ accepted: true });
  });

  it('invalid points are errors, not refusals, and change nothing', async () => {
    const { auth, login } = await setup();
    const l = login();
    const offCurve = l.v.slice();
    offCurve[96]! ^= 1;
    await rejectsWith(auth.verify({ ...l, v: offCurve }), 'invalid_point');
    await rejectsWith(auth.verify({ ...l, u: new Uint8Array(97) }), 'invalid_point');
    expect((await auth.verify(l)).accepted).toBe(true); // nonce and (id, U) were not used by the failed attempts
    expectMpinError(() => auth.setShares([new Uint8Array(192)]), 'invalid_point');
    expectMpinError(() => auth.setShares([]), 'malformed');
  });

  it('is not ready before it has shares', async () => {
    const auth = authServer([], new MemoryKeystore());
    expect(auth.ready).toBe(false);
    const login: Login = {
      id: alice.toString(),
      idBytes: mpinIdOf(alice),
      identity: alice,
      enrolment: 0,
      time: 1,
      nonce: new Uint8Array(32),
      session: 's',
      v: new Uint8Array(97),
    };
    await rejectsWith(auth.verify(login), 'not_ready');
  });
});

describe('AuthServer: bound logins, durable lockout, revoked enrolments (issue 16, finding 5)', () => {
  it('a login made for another server, another nonce or another session does not verify', async () => {
    const { auth, login, token, idBytes } = await setup();
    const other = (server: string, session = 'session-1') => {
      const { nonce } = auth.challenge();
      const message = loginMessage({ server, nonce, session });
      const c = core.mpin.client({ id: idBytes, pin: PIN, token, time: NOW / 1000, message });
      return { ...login(), nonce, session: 'session-1', u: c.u, v: c.v };
    };
    expect(await auth.verify(other(alice.toString()))).toMatchObject({ accepted: false, reason: 'refused' });
    const otherSession = other(server.toString(), 'session-2');
    expect(await auth.verify(otherSession)).toMatchObject({ accepted: false, reason: 'refused' });
    const l = login();
    const { nonce } = auth.challenge();
    expect(await auth.verify({ ...l, nonce })).toMatchObject({ accepted: false, reason: 'refused' });
    const unknownNonce = { ...l, nonce: new Uint8Array(32) };
    expect(await auth.verify(unknownNonce)).toMatchObject({ accepted: false, reason: 'replayed' });
  });

  it('a nonce is good once and until it expires', async () => {
    let now = NOW;
    const { auth, login } = await setup({}, () => now);
    const early = auth.challenge().nonce;
    now += 61_000; // the nonce lived 60 s
    expect(await auth.verify(login(PIN, now / 1000, undefined, 1, auth, early))).toMatchObject({ reason: 'replayed' });
    const once = login(PIN, now / 1000);
    expect((await auth.verify(once)).accepted).toBe(true);
    const again = login(PIN, now / 1000, undefined, 1, auth, once.nonce); // a new proof, the used nonce
    expect(await auth.verify(again)).toMatchObject({ accepted: false, reason: 'replayed' });
  });

  it('the lockout survives a restart and its delay doubles with each further failure', async () => {
    let now = NOW;
    const keystore = new MemoryKeystore();
    const { login, issuers } = await setup({ keystore }, () => now);
    const fresh = async () => {
      const a = authServer(issuers, keystore, { now: () => now });
      a.setShares(await Promise.all(issuers.map(async (i) => (await i.serverSecret(server)).share)));
      return a;
    };
    let auth = await fresh();
    const tryPin = async (pin: number) => auth.verify(login(pin, undefined, undefined, 1, auth));
    for (let k = 0; k < 5; k++) expect(await tryPin(k)).toMatchObject({ reason: 'refused' });
    auth = await fresh(); // a restart does not reset the count
    expect(await tryPin(PIN)).toMatchObject({ reason: 'locked', retryAfter: 300 });
    now += 301_000;
    auth = await fresh();
    expect(await tryPin(1)).toMatchObject({ reason: 'refused' }); // the 6th
    now += 301_000;
    expect(await tryPin(PIN)).toMatchObject({ reason: 'locked' }); // 600 s now
    now += 300_000;
    auth = await fresh();
    expect(await tryPin(PIN)).toMatchObject({ accepted: true });
    expect(await tryPin(1)).toMatchObject({ reason: 'refused' }); // the count was reset
    expect(await tryPin(PIN)).toMatchObject({ accepted: true });
  });

  it('a wrong PIN says how many tries are left; the one that locks says for how long', async () => {
    const { auth, login } = await setup();
    const tryPin = async (pin: number) => auth.verify(login(pin, undefined, undefined, 1, auth));
    const left: Array<number | undefined> = [];
    for (let k = 0; k < 4; k++) {
      const refused = await tryPin(k);
      expect(refused).toMatchObject({ reason: 'refused' });
      expect(refused).not.toHaveProperty('retryAfter');
      left.push((refused as { attemptsLeft?: number }).attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1]);
    expect(await tryPin(4)).toMatchObject({ reason: 'refused', attemptsLeft: 0, retryAfter: 300 });
    expect(await tryPin(PIN)).toMatchObject({ reason: 'locked', retryAfter: 300 });
  });

  it('a revoked enrolment cannot log in; an old (enrolment 0) token works until its identity enrols', async () => {
    const { stores, issuers, auth, login } = await setup();
    // Old data: a token made for the identity CID alone, with shares issued before enrolments were recorded.
    const bob = await identityCid('bob');
    const legacy = core.mpin.recombineG1(
      stores.map((k) => core.mpin.clientSecret(k.map.get('master')!, core.mpin.hashId(mpinIdOf(bob)))),
    );
    const token0 = core.mpin.extractPin(mpinIdOf(bob), PIN, legacy);
    const bobLogin = (tk: Uint8Array, enrolment: number): Login => {
      const { nonce } = auth.challenge();
      const message = loginMessage({ server: server.toString(), nonce, session: 's' });
      const idBytes = mpinIdOf(bob, enrolment);
      const c = core.mpin.client({ id: idBytes, pin: PIN, token: tk, time: NOW / 1000, message });
      const id = mpinIdText(bob, enrolment);
      return { id, idBytes, identity: bob, enrolment, time: NOW / 1000, nonce, session: 's', u: c.u, v: c.v };
    };
    expect(await auth.verify(bobLogin(token0, 0))).toMatchObject({ accepted: true });
    const bobShare = async (i: Issuer) => (await i.clientSecret(bob, 1, await requestCid())).share;
    const cs1 = core.mpin.recombineG1(await Promise.all(issuers.map(bobShare)));
    const token1 = core.mpin.extractPin(mpinIdOf(bob, 1), PIN, cs1);
    expect(await auth.verify(bobLogin(token0, 0))).toMatchObject({ accepted: false, reason: 'revoked' });
    expect(await auth.verify(bobLogin(token1, 1))).toMatchObject({ accepted: true });
    // Alice enrols again at one issuer only: her enrolment 1 is revoked everywhere that issuer is asked.
    await issuers[0]!.clientSecret(alice, 2, await requestCid());
    expect(await auth.verify(login())).toMatchObject({ accepted: false, reason: 'revoked' });
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
  const nonce = toBase64(new Uint8Array(32).fill(7));
  const ok = () => ({ id: alice.toString(), time: 1_700_000_000, nonce, session: 'abc', u: v, v });

  it('decodes both shapes', () => {
    expect(parseLogin(ok()).u).toHaveLength(97);
    expect(parseLogin(ok())).toMatchObject({ enrolment: 0, session: 'abc' });
    expect(parseLogin({ ...ok(), id: `${alice}#12` })).toMatchObject({ enrolment: 12, id: `${alice}#12` });
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
    ['non-canonical base64', () => ({ ...ok(), v: `${v.slice(0, -3)}B==` })],
    ['time as string', () => ({ ...ok(), time: '1700000000' })],
    ['fractional time', () => ({ ...ok(), time: 1.5 })],
    ['id not a CID', () => ({ ...ok(), id: 'alice' })],
    ['enrolment with a leading zero', () => ({ ...ok(), id: `${alice}#01` })],
    ['enrolment 0 written out', () => ({ ...ok(), id: `${alice}#0` })],
    ['missing nonce', () => ({ ...ok(), nonce: undefined })],
    ['short nonce', () => ({ ...ok(), nonce: toBase64(new Uint8Array(16)) })],
    ['missing session', () => ({ ...ok(), session: undefined })],
    ['a session with a space', () => ({ ...ok(), session: 'a b' })],
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
      authServer: {
        issuers: [{ identity: alice.toString(), url: 'http://127.0.0.1:5556/' }, { identity: server.toString() }],
        windowSeconds: 30,
      },
    });
    expect(c.servers.has(server.toString())).toBe(true);
    expect(c.revoked.has(other.toString())).toBe(true);
    expect(c.authServer).toMatchObject({ windowSeconds: 30, requirePermit: true }); // permits on by default
    expect(c.authServer!.issuers.map((e) => e.url)).toEqual(['http://127.0.0.1:5556', undefined]);
  });

  it.each([
    ['an unknown key', () => ({ server: [] })],
    ['a server that is not a CID', () => ({ servers: ['alice'] })],
    [
      'an issuer listed twice',
      () => ({ authServer: { issuers: [{ identity: alice.toString() }, { identity: alice.toString() }] } }),
    ],
    [
      'an issuer URL with a query',
      () => ({ authServer: { issuers: [{ identity: alice.toString(), url: 'http://x/?a' }] } }),
    ],
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
    for (const r of [
      { issue: 'client-secret', enrolment: 3 },
      { issue: 'permit', date: 2, enrolment: 3 },
    ]) {
      expect(parseIssueRequest(r)).toEqual(r);
    }
    expect(parseIssueRequest({ issue: 'server-secret' })).toEqual({ issue: 'server-secret' });
  });

  it.each([
    ['bytes', () => new Uint8Array(3)],
    ['another kind', () => ({ issue: 'master-secret' })],
    ['a date without a permit', () => ({ issue: 'client-secret', date: 1 })],
    ['a permit without a date', () => ({ issue: 'permit' })],
    ['a fractional date', () => ({ issue: 'permit', date: 1.5 })],
    ['an extra field', () => ({ issue: 'server-secret', to: 'x' })],
    ['enrolment 0 written out', () => ({ issue: 'client-secret', enrolment: 0 })],
    ['an enrolment for a server secret', () => ({ issue: 'server-secret', enrolment: 1 })],
  ])('refuses %s', (_name, content) => {
    expectMpinError(() => parseIssueRequest(content()), 'malformed');
  });

  it('a reply must answer what was asked, for whom it was asked', () => {
    const share = new Uint8Array(97);
    const id = alice.toString();
    expect(parseIssueReply({ issue: 'client-secret', share, id }, { issue: 'client-secret' }, id)).toBe(share);
    expectMpinError(
      () => parseIssueReply({ issue: 'client-secret', share, id }, { issue: 'client-secret' }, other.toString()),
      'malformed',
    );
    expectMpinError(
      () => parseIssueReply({ issue: 'permit', share, id, date: 2 }, { issue: 'permit', date: 3 }, id),
      'malformed',
    );
    expectMpinError(() => parseIssueReply({ issue: 'server-secret', share }, { issue: 'server-secret' }), 'malformed');
    expectMpinError(
      () => parseIssueReply({ issue: 'permit', share, id, date: 3 }, { issue: 'client-secret' }, id),
      'malformed',
    );
  });
});
