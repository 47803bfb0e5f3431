/**
 * M-Pin with two issuing nodes (issue 4, item 4): real nodes (real Helia,
 * real HTTP on 127.0.0.1, each its own home and encrypted keystore).
 *  - the authentication server's identity (its own, kept in its keystore)
 *    is registered by the issuers' operators in their settings;
 *  - a client identity obtains client-secret shares from both issuers,
 *    adds them and extracts its PIN into a token;
 *  - the authentication server obtains the server-secret shares of both;
 *  - logins: right PIN accepted; wrong PIN, one node's shares, replay and
 *    stale logins refused; time permits;
 *  - policy and bad input: 4xx {error: {code, message}}, the nodes keep serving;
 *  - restarts: the issuer keeps its master-secret share, the server its
 *    identity; a server can count itself among its issuers.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import type { Core } from '../../src/core/types.ts';
import { createMpinPlugin } from '../../src/node/plugins/mpin/index.ts';
import { mpinIdOf } from '../../src/plugins/mpin/id.ts';
import { parseChallenge } from '../../src/plugins/mpin/login-binding.ts';
import { type LoginInput, loginBody } from '../../src/plugins/mpin/login-request.ts';
import { requestShare } from '../../src/plugins/mpin/request-share.ts';
import {
  clientIdentity,
  clientOf,
  countOrders,
  makeHome,
  type RunningNode,
  sharedCore,
  startInProcess,
  tempDir,
} from './harness.ts';

const PIN = 4321;
const cleanups: Array<() => Promise<void>> = [];
let core: Core;
let homes: { i1: string; i2: string; a: string };
let i1: RunningNode, i2: RunningNode, a: RunningNode;
let authCid: string;
let alice: KeyIdentity;
let aliceAt: NodeSession[];
let token: Uint8Array;
let csShares: Uint8Array[];
let permitShares: Uint8Array[];

async function start(home: string, settings: unknown): Promise<RunningNode> {
  const node = await startInProcess(home, { plugins: [createMpinPlugin(settings)] });
  cleanups.push(() => node.close());
  return node;
}

async function post(url: string, body: unknown, raw = false): Promise<{ status: number; json: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ? (body as string) : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, json: await res.json() };
}

const login = (body: unknown) => post(`${a.url}/v1/plugins/mpin/login`, body);
/** A login body for server `a` with a nonce it just handed out (enrolment 1 unless told). */
async function bodyFor(input: Omit<LoginInput, 'challenge' | 'session' | 'identity'>, at = a) {
  const challenge = parseChallenge((await post(`${at.url}/v1/plugins/mpin/challenge`, {})).json);
  return loginBody(core, { identity: alice.identity.cid, enrolment: 1, session: 'flow', challenge, ...input });
}
const now = () => Math.floor(Date.now() / 1000);

/** A 4xx with the API's error shape and the expected code. */
function refused(r: { status: number; json: any }, status: number, code: string): void {
  expect(r.status).toBe(status);
  expect(r.json).toEqual({ error: { code, message: expect.any(String) } });
}

beforeAll(async () => {
  core = await sharedCore();
  const dirs = await Promise.all(
    ['i1', 'i2', 'a'].map(async (n) => {
      const t = await tempDir(`dta-mpin-${n}-`);
      cleanups.push(t.cleanup);
      return makeHome(t.dir, { name: `mpin ${n}` });
    }),
  );
  homes = { i1: dirs[0]!, i2: dirs[1]!, a: dirs[2]! };
  // The authentication server's identity exists once its node has run with the role.
  const first = await start(homes.a, { authServer: { issuers: [] } });
  authCid = ((await (await fetch(`${first.url}/v1/plugins/mpin/`)).json()) as any).authServer.identity;
  await first.close();
  // The issuers' operators register that identity; then the server learns where the issuers are.
  [i1, i2] = await Promise.all([start(homes.i1, { servers: [authCid] }), start(homes.i2, { servers: [authCid] })]);
  // Logins without a time permit here (the permit path has its own test; permits are on by default).
  a = await start(homes.a, {
    authServer: {
      issuers: [i1, i2].map((n) => ({ identity: n.rt.identity.cid.toString(), url: n.url })),
      requirePermit: false,
    },
  });
  alice = await clientIdentity('alice');
  aliceAt = await Promise.all([i1, i2].map((n) => clientOf(n.url, alice)));
  await Promise.all(aliceAt.map((c) => c.api.registerIdentity(alice.identity.bytes)));
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('M-Pin with two issuing nodes', () => {
  it('a client adds the client-secret shares of both nodes and extracts its PIN', async () => {
    csShares = await Promise.all(aliceAt.map((c) => requestShare(c, { issue: 'client-secret', enrolment: 1 })));
    expect(csShares[0]).toHaveLength(97);
    expect(csShares[0]).not.toEqual(csShares[1]);
    token = core.mpin.extractPin(mpinIdOf(alice.identity.cid, 1), PIN, core.mpin.recombineG1(csShares));
  });

  it('the authentication server obtains and adds the server-secret shares of both', async () => {
    const status = (await fetch(`${a.url}/v1/plugins/mpin/`).then((r) => r.json())) as any;
    expect(status.authServer).toMatchObject({ identity: authCid, ready: false });
    const r = await post(`${a.url}/v1/plugins/mpin/server/setup`, {});
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      identity: authCid,
      ready: true,
      issuers: [i1.rt.identity.cid.toString(), i2.rt.identity.cid.toString()],
    });
  });

  it('right PIN accepted; wrong PIN, one node only, replay and stale logins refused', async () => {
    const id = `${alice.identity.cid}#1`;
    const good = await bodyFor({ pin: PIN, token });
    expect(await login(good)).toEqual({ status: 200, json: { accepted: true, id, time: good.time, session: 'flow' } });
    expect((await login(good)).json).toEqual({ accepted: false, id, reason: 'replayed' });
    const wrong = await bodyFor({ pin: PIN + 1, token });
    expect((await login(wrong)).json).toMatchObject({ accepted: false, reason: 'refused' });
    const oneNode = core.mpin.extractPin(mpinIdOf(alice.identity.cid, 1), PIN, csShares[0]!);
    expect((await login(await bodyFor({ pin: PIN, token: oneNode }))).json).toMatchObject({ reason: 'refused' });
    const old = await bodyFor({ pin: PIN, token, time: now() - 120 });
    expect((await login(old)).json).toMatchObject({ accepted: false, reason: 'stale' });
    expect((await login(await bodyFor({ pin: PIN, token }))).json).toMatchObject({ accepted: true });
  });

  it('time permits from both nodes', async () => {
    const date = core.mpin.today();
    const permits = await Promise.all(aliceAt.map((c) => requestShare(c, { issue: 'permit', date, enrolment: 1 })));
    permitShares = permits;
    const permit = core.mpin.recombineG1(permits);
    const r = await login(await bodyFor({ pin: PIN, token, date, permit }));
    expect(r.json).toMatchObject({ accepted: true });
    const half = await login(await bodyFor({ pin: PIN, token, date, permit: permits[0] }));
    expect(half.json).toMatchObject({ accepted: false, reason: 'refused' });
  });

  it('shares only for who may have them', async () => {
    const [c1] = aliceAt;
    const orders = await countOrders(join(homes.i1, 'orders'));
    expect(orders).toBe(3); // alice's client secret and permit, the server's server secret
    await expect(requestShare(c1!, { issue: 'server-secret' })).rejects.toMatchObject({
      status: 403,
      code: 'forbidden',
    });
    await expect(
      requestShare(c1!, { issue: 'permit', date: core.mpin.today() + 30, enrolment: 1 }),
    ).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    await expect(requestShare(c1!, { issue: 'client-secret', enrolment: 1 })).rejects.toMatchObject({
      status: 409,
      code: 'already_issued',
    });
    await expect(requestShare(c1!, { issue: 'client-secret' })).rejects.toMatchObject({
      status: 400,
      code: 'bad_request',
    }); // enrolment 0 is no longer issued
    const stranger = await clientIdentity('stranger'); // not registered at the node
    const s = await clientOf(i1.url, stranger);
    await expect(requestShare(s, { issue: 'client-secret' })).rejects.toMatchObject({
      status: 401,
      code: 'unknown_identity',
    });
    expect(await countOrders(join(homes.i1, 'orders'))).toBe(orders); // refusals commit nothing
  });

  it('malformed requests and invalid points are 4xx {error} and change nothing', async () => {
    const [c1] = aliceAt;
    const orders = await countOrders(join(homes.i1, 'orders'));
    for (const content of [
      { issue: 'master-secret' },
      { issue: 'client-secret', date: 1 },
      { issue: 'permit' },
      { issue: 'client-secret', x: 1 },
      'client-secret',
    ]) {
      await expect(c1!.order('mpin', content)).rejects.toMatchObject({ status: 400, code: 'malformed' });
    }
    const good = await bodyFor({ pin: PIN, token });
    const v = Buffer.from(good.v as string, 'base64');
    v[96]! ^= 1; // off the curve
    refused(await login({ ...good, v: v.toString('base64') }), 400, 'invalid_point');
    refused(await login({ ...good, u: Buffer.alloc(97).toString('base64') }), 400, 'invalid_point');
    refused(await login({ ...good, extra: 1 }), 400, 'malformed');
    refused(await login({ ...good, u: 'not base64!' }), 400, 'malformed');
    refused(await login({ ...good, id: 'alice@example.org' }), 400, 'malformed');
    refused(await login({ ...good, time: 'now' }), 400, 'malformed');
    refused(await login({ ...good, nonce: undefined }), 400, 'malformed');
    refused(await login({ ...good, session: 'a b' }), 400, 'malformed');
    refused(await post(`${a.url}/v1/plugins/mpin/login`, '{"id":', true), 400, 'malformed');
    refused(await post(`${i1.url}/v1/plugins/mpin/login`, good), 400, 'bad_request'); // not an authentication server
    expect(await countOrders(join(homes.i1, 'orders'))).toBe(orders);
    // None of the refused attempts consumed the login: it still goes through once.
    expect((await login(good)).json).toMatchObject({ accepted: true });
    expect((await fetch(`${a.url}/v1/status`)).status).toBe(200);
  });
});

describe('restarts and a server that issues too', () => {
  it('a restarted issuer issues the same shares; a server can count itself', async () => {
    await i2.close();
    await a.close();
    i2 = await start(homes.i2, { servers: [authCid] });
    // The restarted issuer keeps its record (a second share for the same ID is refused) and its s_i (same permit).
    const atI2 = await clientOf(i2.url, alice);
    await expect(requestShare(atI2, { issue: 'client-secret', enrolment: 1 })).rejects.toMatchObject({
      code: 'already_issued',
    });
    const date = core.mpin.today();
    expect(await requestShare(atI2, { issue: 'permit', date, enrolment: 1 })).toEqual(permitShares[1]);
    // The server restarts with the same identity, now with itself and i1 as issuers.
    const self = a.rt.identity.cid.toString();
    const issuers = [{ identity: i1.rt.identity.cid.toString(), url: i1.url }, { identity: self }];
    a = await start(homes.a, { authServer: { issuers, requirePermit: false } });
    const status = (await fetch(`${a.url}/v1/plugins/mpin/`).then((r) => r.json())) as any;
    expect(status.authServer.identity).toBe(authCid);
    const atA = await clientOf(a.url, alice);
    await atA.api.registerIdentity(alice.identity.bytes);
    const shares = [csShares[0]!, await requestShare(atA, { issue: 'client-secret', enrolment: 1 })];
    const t = core.mpin.extractPin(mpinIdOf(alice.identity.cid, 1), PIN, core.mpin.recombineG1(shares));
    expect((await login(await bodyFor({ pin: PIN, token: t }))).json).toMatchObject({ accepted: true });
    expect((await login(await bodyFor({ pin: PIN, token }))).json).toMatchObject({ reason: 'refused' });
  });
});
