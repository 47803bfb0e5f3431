/**
 * Issue 16, findings 1 and 5, against real nodes (real HTTP on 127.0.0.1,
 * real homes and encrypted keystores): two issuing nodes and two
 * authentication servers A and B that use the same issuers (so they hold
 * the same s·Q), with the default settings (time permits required).
 *  - one client-secret share per node and M-Pin ID; re-enrolling revokes
 *    the older enrolment at the issuers (no permit) and at the servers;
 *  - a login is bound to the server, its nonce and the session: captured
 *    at A it is refused at B and refused when replayed at A; a nonce used
 *    twice is refused;
 *  - the lockout survives a restart of the server and grows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import type { Core } from '../../src/core/types.ts';
import { createMpinPlugin } from '../../src/node/plugins/mpin/index.ts';
import { mpinIdOf } from '../../src/plugins/mpin/id.ts';
import { type Challenge, parseChallenge } from '../../src/plugins/mpin/login-binding.ts';
import { loginBody } from '../../src/plugins/mpin/login-request.ts';
import { requestShare } from '../../src/plugins/mpin/request-share.ts';
import {
  clientIdentity,
  clientOf,
  makeHome,
  postJson,
  type RunningNode,
  sharedCore,
  startInProcess,
  tempDir,
} from './harness.ts';

const PIN = 2468;
const cleanups: Array<() => Promise<void>> = [];
let core: Core;
let homes: Record<'i1' | 'i2' | 'a' | 'b', string>;
let i1: RunningNode, i2: RunningNode, a: RunningNode, b: RunningNode;
let alice: KeyIdentity;
let aliceAt: NodeSession[];
let authSettings: unknown;

async function start(home: string, settings: unknown): Promise<RunningNode> {
  const node = await startInProcess(home, { plugins: [createMpinPlugin(settings)] });
  cleanups.push(() => node.close());
  return node;
}

const post = (url: string, body: unknown) => postJson(url, body, 20_000);

const challengeAt = async (n: RunningNode): Promise<Challenge> =>
  parseChallenge((await post(`${n.url}/v1/plugins/mpin/challenge`, {})).json);
const loginAt = (n: RunningNode, body: unknown) => post(`${n.url}/v1/plugins/mpin/login`, body);

/** Alice's shares of enrolment n from both issuers, added, and her token. */
async function enrol(n: number, pin = PIN): Promise<Uint8Array> {
  const shares = await Promise.all(aliceAt.map((c) => requestShare(c, { issue: 'client-secret', enrolment: n })));
  return core.mpin.extractPin(mpinIdOf(alice.identity.cid, n), pin, core.mpin.recombineG1(shares));
}

/** Today's permit of enrolment n from both issuers. */
async function permitOf(n: number): Promise<{ date: number; permit: Uint8Array }> {
  const date = core.mpin.today();
  const shares = await Promise.all(aliceAt.map((c) => requestShare(c, { issue: 'permit', date, enrolment: n })));
  return { date, permit: core.mpin.recombineG1(shares) };
}

async function body(token: Uint8Array, enrolment: number, challenge: Challenge, pin = PIN, session = 'tab-1') {
  const permit = await permitOf(enrolment);
  return loginBody(core, { identity: alice.identity.cid, enrolment, pin, token, challenge, session, ...permit });
}

beforeAll(async () => {
  core = await sharedCore();
  const names = ['i1', 'i2', 'a', 'b'] as const;
  const dirs = await Promise.all(
    names.map(async (n) => {
      const t = await tempDir(`dta-mpin16-${n}-`);
      cleanups.push(t.cleanup);
      return makeHome(t.dir, { name: `mpin16 ${n}` });
    }),
  );
  homes = { i1: dirs[0]!, i2: dirs[1]!, a: dirs[2]!, b: dirs[3]! };
  const authCids = await Promise.all(
    [homes.a, homes.b].map(async (h) => {
      const first = await start(h, { authServer: { issuers: [] } });
      const cid = ((await (await fetch(`${first.url}/v1/plugins/mpin/`)).json()) as any).authServer.identity as string;
      await first.close();
      return cid;
    }),
  );
  [i1, i2] = await Promise.all([start(homes.i1, { servers: authCids }), start(homes.i2, { servers: authCids })]);
  const issuers = [i1, i2].map((n) => ({ identity: n.rt.identity.cid.toString(), url: n.url }));
  authSettings = { authServer: { issuers } };
  [a, b] = await Promise.all([start(homes.a, authSettings), start(homes.b, authSettings)]);
  alice = await clientIdentity('alice');
  aliceAt = await Promise.all([i1, i2].map((n) => clientOf(n.url, alice)));
  await Promise.all(aliceAt.map((c) => c.api.registerIdentity(alice.identity.bytes)));
}, 90_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('M-Pin hardening (issue 16)', () => {
  let token1: Uint8Array;

  it('permits are on by default: a login without one is refused', async () => {
    token1 = await enrol(1);
    const status = (await fetch(`${a.url}/v1/plugins/mpin/`).then((r) => r.json())) as any;
    expect(status.authServer.requirePermit).toBe(true);
    const c = await challengeAt(a);
    const noPermit = loginBody(core, {
      identity: alice.identity.cid,
      enrolment: 1,
      pin: PIN,
      token: token1,
      challenge: c,
      session: 's',
    });
    expect((await loginAt(a, noPermit)).json).toMatchObject({ accepted: false, reason: 'permit_required' });
  });

  it('a client-secret share once per node and M-Pin ID', async () => {
    await expect(requestShare(aliceAt[0]!, { issue: 'client-secret', enrolment: 1 })).rejects.toMatchObject({
      status: 409,
      code: 'already_issued',
    });
    const r = await fetch(`${i1.url}/v1/plugins/mpin/enrolment/${alice.identity.cid}`).then((x) => x.json());
    expect(r).toEqual({ identity: alice.identity.cid.toString(), enrolment: 1 });
  });

  it('a login captured at A is refused at B and when replayed at A', async () => {
    const atA = await body(token1, 1, await challengeAt(a));
    // B never gave that nonce.
    expect((await loginAt(b, atA)).json).toMatchObject({ accepted: false, reason: 'replayed' });
    const bNonce = await challengeAt(b); // with one of B's nonces it still names A in its proof
    expect((await loginAt(b, { ...atA, nonce: Buffer.from(bNonce.nonce).toString('base64') })).json).toMatchObject({
      accepted: false,
      reason: 'refused',
    });
    expect((await loginAt(a, atA)).json).toMatchObject({ accepted: true, session: 'tab-1' });
    expect((await loginAt(a, atA)).json).toMatchObject({ accepted: false, reason: 'replayed' });
  });

  it('a nonce used twice is refused', async () => {
    const c = await challengeAt(b);
    expect((await loginAt(b, await body(token1, 1, c))).json).toMatchObject({ accepted: true });
    const second = await body(token1, 1, c, PIN, 'tab-2');
    expect((await loginAt(b, second)).json).toMatchObject({ accepted: false, reason: 'replayed' });
  });

  it('the lockout survives a restart of the server (its doubling delays: mpin-units)', async () => {
    for (let k = 0; k < 5; k++) {
      const wrong = await body(token1, 1, await challengeAt(a), PIN + 1 + k);
      expect((await loginAt(a, wrong)).json).toMatchObject({ reason: 'refused' });
    }
    await a.close();
    a = await start(homes.a, authSettings);
    const locked = (await loginAt(a, await body(token1, 1, await challengeAt(a)))).json;
    expect(locked).toMatchObject({ accepted: false, reason: 'locked' });
    expect(locked.retryAfter).toBeGreaterThan(290);
    expect(locked.retryAfter).toBeLessThanOrEqual(300);
  });

  it('a revoked enrolment cannot log in: no permit, and the servers refuse it', async () => {
    const kept = await permitOf(1); // today's permit, fetched before the new enrolment
    const token2 = await enrol(2);
    await expect(permitOf(1)).rejects.toMatchObject({ status: 403, code: 'revoked' });
    const stale = loginBody(core, {
      identity: alice.identity.cid,
      enrolment: 1,
      pin: PIN,
      token: token1,
      challenge: await challengeAt(b),
      session: 's',
      ...kept,
    });
    expect((await loginAt(b, stale)).json).toMatchObject({ accepted: false, reason: 'revoked' });
    expect((await loginAt(b, await body(token2, 2, await challengeAt(b)))).json).toMatchObject({ accepted: true });
  });
});
