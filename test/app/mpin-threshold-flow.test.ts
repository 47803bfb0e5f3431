/**
 * The app's M-Pin flow with t-of-n issuers (docs/mpin.md#threshold), against real nodes: three issuing nodes
 * run a DKG (t = 2, purpose "mpin:master secret") and restart with "dkg" naming it; Alice's app registers with
 * two of them (their shares name the session; the app reads its document from an issuer and interpolates in the
 * worker), and, with the third node stopped, logs in at an authentication server that lists all three issuers and
 * requires today's time permit (also interpolated from two shares). A wrong PIN is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRegistrations, loginMpin, registerMpin } from '../../src/app/mpin/flow.ts';
import { addNode } from '../../src/app/nodes/registry.ts';
import { runDkg } from '../../src/core/api/dkg-relay.ts';
import { createMpinPlugin } from '../../src/node/plugins/mpin/index.ts';
import { MPIN_DKG_PURPOSE } from '../../src/plugins/mpin/threshold.ts';
import { clientIdentity, clientOf, makeHome, type RunningNode, startInProcess, tempDir } from '../node/harness.ts';
import { type Device, device } from './orders-world.ts';

const cleanups: Array<() => Promise<void>> = [];
let homes: string[];
let issuers: RunningNode[];
let auth: RunningNode;
let alice: Device;
let dkg: string;

async function homeOf(name: string): Promise<string> {
  const t = await tempDir(`dta-app-mpin-th-${name.replace(/ /g, '-')}-`);
  cleanups.push(t.cleanup);
  return makeHome(t.dir, { name });
}

async function start(home: string, settings: unknown): Promise<RunningNode> {
  const node = await startInProcess(home, { plugins: [createMpinPlugin(settings)] });
  cleanups.push(() => node.close());
  return node;
}

beforeAll(async () => {
  const authHome = await homeOf('auth');
  const first = await start(authHome, { authServer: { issuers: [] } });
  const server = ((await (await fetch(`${first.url}/v1/plugins/mpin/`)).json()) as any).authServer.identity as string;
  await first.close();
  homes = await Promise.all(['issuer one', 'issuer two', 'issuer three'].map(homeOf));
  const before = await Promise.all(homes.map((h) => start(h, { servers: [server] })));
  const operator = await clientIdentity('operator');
  const sessions = await Promise.all(before.map((n) => clientOf(n.url, operator, { registerFirst: true })));
  dkg = (await runDkg({ sessions, t: 2, group: 'bls12-381', purpose: MPIN_DKG_PURPOSE })).session.cid.toString();
  await Promise.all(before.map((n) => n.close()));
  issuers = await Promise.all(homes.map((h) => start(h, { servers: [server], dkg })));
  const list = issuers.map((n) => ({ identity: n.rt.identity.cid.toString(), url: n.url }));
  auth = await start(authHome, { authServer: { issuers: list } }); // time permits required: the default
  alice = await device('alice');
  for (const n of [...issuers, auth]) await addNode(alice.deps, n.url);
}, 180_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('M-Pin through the app with 2-of-3 issuers', () => {
  let registration: string;

  it('registers with two of the three issuers: their tagged shares are interpolated', async () => {
    const reg = await registerMpin(alice.deps, { nodes: [issuers[0]!.url, issuers[2]!.url], pin: '8642' });
    registration = reg.id;
    expect(reg).not.toHaveProperty('token'); // sealed in the worker (issue 17)
    expect(reg.issuers.map((i) => i.name)).toEqual(['issuer one', 'issuer three']);
    expect(reg.threshold).toEqual({ session: dkg, t: 2 });
    expect((await listRegistrations(alice.deps, alice.cid)).map((r) => r.id)).toEqual([reg.id]);
  }, 60_000);

  it('with the third issuer down, the right PIN logs in (permits from the same two), a wrong PIN does not', async () => {
    await issuers[1]!.close();
    const ok = await loginMpin(alice.deps, { registration, server: auth.url, pin: '8642' });
    expect(ok).toMatchObject({ accepted: true, server: auth.url });
    expect(ok.mismatch).toBeUndefined(); // the server lists all three issuers; any two of them do
    const bad = await loginMpin(alice.deps, { registration, server: auth.url, pin: '8641' });
    expect(bad).toMatchObject({ accepted: false, reason: 'refused' });
  }, 90_000);
});
