// t-of-n M-Pin issuing over five separate `dta serve` processes (issue 11, item 5): a DKG (n = 5, t = 3,
// purpose "mpin:master secret") run by runDkg, then every node restarted with "dkg" naming the session, so its
// master-secret share is its DKG share. With nodes 4 and 5 stopped, Alice enrols at nodes 1-3 (client-secret and
// permit shares, each tagged with the session, her index there and t) and recombines them with Lagrange
// coefficients; then with nodes 2 and 3 stopped, the authentication server of node 1 obtains its server secret
// from nodes 1, 4 and 5 (checked against the DKG's commitments) and her login succeeds, a wrong PIN does not.
// The recombination refuses a share attributed to a node outside the session or carrying another index, and
// nodes 1-3's sum (the n-of-n rule) does not log in.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDkg } from '../../src/core/api/dkg-relay.ts';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { fromBase64 } from '../../src/core/bytes.ts';
import { type DkgSession, readSession } from '../../src/core/dkg/messages.ts';
import type { Verified } from '../../src/core/protocol/types.ts';
import type { Core } from '../../src/core/types.ts';
import { mpinIdOf } from '../../src/plugins/mpin/id.ts';
import type { IssueRequest } from '../../src/plugins/mpin/issue-messages.ts';
import { parseChallenge } from '../../src/plugins/mpin/login-binding.ts';
import { type LoginInput, loginBody } from '../../src/plugins/mpin/login-request.ts';
import { requestIssued } from '../../src/plugins/mpin/request-share.ts';
import { inG1, MPIN_DKG_PURPOSE, type NodeShare, recombineShares } from '../../src/plugins/mpin/threshold.ts';
import { type Fleet, startFleet } from './custody-nodes.ts';
import { clientIdentity, clientOf, postJson, sharedCore, tempDir } from './harness.ts';
import { freePorts } from './witnessing-nodes.ts';

const T = 3;
const N = 5;
const PIN = 2468;
let tmp: { dir: string; cleanup: () => Promise<void> };
let fleet: Fleet;
let core: Core;
let alice: KeyIdentity;
let nodes: string[]; // identity CIDs, in the session's order
let authCid: string;
let session: Verified<DkgSession>;
let token: Uint8Array;
let permit: Uint8Array;
let enrolled: { cs: NodeShare[]; permits: NodeShare[] };
const date = () => core.mpin.today();

/** Replaces the "plugins" of node i's config.json (and its port), keeping the rest. */
async function configure(i: number, mpin: unknown, port?: number): Promise<void> {
  const file = join(fleet.homes[i]!, 'config.json');
  const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  await writeFile(file, JSON.stringify({ ...config, ...(port ? { port } : {}), plugins: { mpin } }));
}

async function stop(...which: number[]): Promise<void> {
  await Promise.all(which.map((i) => fleet.children[i]?.kill('SIGTERM')));
}

const urlOf = (i: number) => fleet.children[i]!.url;

const post = (url: string, body: unknown) => postJson(url, body, 30_000);

/** A login at node 1's authentication server with a nonce it just handed out. */
async function login(input: Omit<LoginInput, 'challenge' | 'session' | 'identity'>) {
  const challenge = parseChallenge((await post(`${urlOf(0)}/v1/plugins/mpin/challenge`, {})).json);
  const body = loginBody(core, {
    identity: alice.identity.cid,
    enrolment: 1,
    session: 'threshold',
    challenge,
    ...input,
  });
  return post(`${urlOf(0)}/v1/plugins/mpin/login`, body);
}

/** Alice's share of `asked` from each node in `which`, with the node that signed it. */
async function sharesFrom(which: number[], asked: IssueRequest): Promise<NodeShare[]> {
  const sessions: NodeSession[] = await Promise.all(which.map((i) => clientOf(urlOf(i), alice)));
  return Promise.all(sessions.map(async (s) => ({ node: s.node.cid, reply: await requestIssued(s, asked) })));
}

beforeAll(async () => {
  core = await sharedCore();
  tmp = await tempDir('dta-mpin-threshold-');
  fleet = await startFleet(tmp.dir, N, ['mpin']);
  alice = await clientIdentity('alice');
  // Node 1 also verifies logins: its authentication-server identity exists once it has run with the role.
  await stop(0);
  await configure(0, { authServer: { issuers: [] } });
  await fleet.start(0);
  authCid = ((await (await fetch(`${urlOf(0)}/v1/plugins/mpin/`)).json()) as any).authServer.identity;
}, 180_000);

afterAll(async () => {
  await fleet?.stopAll();
  await tmp?.cleanup();
});

describe('t-of-n M-Pin from a DKG over five nodes, t = 3', () => {
  it('a DKG for the master secret, then every node restarted with "dkg" naming it', async () => {
    const sessions = await Promise.all(fleet.children.map((c) => clientOf(c!.url, alice, { registerFirst: true })));
    nodes = sessions.map((s) => s.node.cid.toString());
    const result = await runDkg({ sessions, t: T, group: 'bls12-381', purpose: MPIN_DKG_PURPOSE });
    session = result.session;
    const dkg = session.cid.toString();
    await fleet.stopAll();
    const ports = await freePorts(N);
    const issuers = nodes.map((identity, i) => ({ identity, url: `http://127.0.0.1:${ports[i]}` }));
    await configure(0, { dkg, servers: [authCid], authServer: { issuers } }, ports[0]);
    for (let i = 1; i < N; i++) await configure(i, { dkg, servers: [authCid] }, ports[i]);
    await Promise.all([0, 1, 2].map((i) => fleet.start(i))); // nodes 4 and 5 stay down while Alice enrols
    const status = (await (await fetch(`${urlOf(1)}/v1/plugins/mpin/`)).json()) as any;
    expect(status.issuer).toMatchObject({ identity: nodes[1], dkg: { session: dkg, done: true, index: 2, t: T } });
    // What a client that did not run the DKG reads: the session document, named by the CID the shares carry.
    expect(readSession(fromBase64(status.issuer.dkg.document)).cid.equals(session.cid)).toBe(true);
  }, 240_000);

  it('Alice enrols at nodes 1-3 only: tagged shares, recombined with Lagrange coefficients', async () => {
    const cs = await sharesFrom([0, 1, 2], { issue: 'client-secret', enrolment: 1 });
    const permits = await sharesFrom([0, 1, 2], { issue: 'permit', date: date(), enrolment: 1 });
    enrolled = { cs, permits };
    for (const [k, s] of cs.entries()) {
      expect(s.reply.tag?.session.equals(session.cid)).toBe(true);
      expect([s.reply.tag?.index, s.reply.tag?.t]).toEqual([k + 1, T]);
      expect(s.reply.group).toBeUndefined(); // the session document travels with server secrets only
    }
    const clientSecret = await recombineShares(inG1(core.mpin), cs, session);
    permit = await recombineShares(inG1(core.mpin), permits, session);
    token = core.mpin.extractPin(mpinIdOf(alice.identity.cid, 1), PIN, clientSecret);
    expect(token).toHaveLength(97);
  }, 120_000);

  it('node 1 gets its server secret from nodes 1, 4 and 5 (2 and 3 down); the right PIN logs in', async () => {
    await stop(1, 2);
    await Promise.all([3, 4].map((i) => fleet.start(i)));
    const setup = await post(`${urlOf(0)}/v1/plugins/mpin/server/setup`, {});
    expect(setup.status).toBe(200);
    expect(setup.json).toMatchObject({ identity: authCid, ready: true, issuers: nodes });
    const r = await login({ pin: PIN, token, date: date(), permit });
    expect(r.json).toMatchObject({ accepted: true, id: `${alice.identity.cid}#1` });
  }, 180_000);

  it('a wrong PIN, a permit short of t shares and the n-of-n sum are refused', async () => {
    const wrong = await login({ pin: PIN + 1, token, date: date(), permit });
    expect(wrong.json).toMatchObject({ accepted: false, reason: 'refused' });
    const short = await recombineShares(inG1(core.mpin), enrolled.permits.slice(0, 2).map(untagged));
    expect((await login({ pin: PIN, token, date: date(), permit: short })).json).toMatchObject({ accepted: false });
    const summed = await recombineShares(inG1(core.mpin), enrolled.cs.map(untagged));
    const sumToken = core.mpin.extractPin(mpinIdOf(alice.identity.cid, 1), PIN, summed);
    const r = await login({ pin: PIN, token: sumToken, date: date(), permit });
    expect(r.json).toMatchObject({ accepted: false, reason: 'refused' });
    expect((await login({ pin: PIN, token, date: date(), permit })).json).toMatchObject({ accepted: true });
  }, 120_000);

  it('the recombination refuses a share from a node outside the session, under another index or too few', async () => {
    const [a, b, c] = enrolled.cs as [NodeShare, NodeShare, NodeShare];
    const outsider = { node: alice.identity.cid, reply: c.reply };
    await expect(recombineShares(inG1(core.mpin), [a, b, outsider], session)).rejects.toMatchObject({
      code: 'bad_share',
      message: expect.stringContaining('not in the session'),
    });
    const renumbered = { node: c.node, reply: { ...c.reply, tag: { ...c.reply.tag!, index: 4 } } };
    await expect(recombineShares(inG1(core.mpin), [a, b, renumbered], session)).rejects.toMatchObject({
      code: 'bad_share',
      message: expect.stringContaining('index 4'),
    });
    const claimed = { node: c.node, reply: b.reply }; // node 2's share passed off as node 3's
    await expect(recombineShares(inG1(core.mpin), [a, claimed], session)).rejects.toMatchObject({
      code: 'bad_share',
    });
    await expect(recombineShares(inG1(core.mpin), [a, b], session)).rejects.toMatchObject({ code: 'not_ready' });
    await expect(recombineShares(inG1(core.mpin), [a, b, c])).rejects.toMatchObject({ code: 'bad_share' });
  });
});

/** The same share without its tag (as an n-of-n issuer would send it). */
function untagged(s: NodeShare): NodeShare {
  return { node: s.node, reply: { share: s.reply.share } };
}
