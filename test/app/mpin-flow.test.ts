/**
 * The app's M-Pin flow against real nodes: two issuing nodes and an
 * authentication server that adds both nodes' server-secret shares.
 * Registration collects a client-secret share from each issuer (through
 * mpin orders, recorded like any order), hands the sealed replies to the
 * worker, which adds them and keeps the PIN token sealed (issue 17); login with the right PIN is accepted, a wrong PIN
 * refused; a registration with one node is refused before anything is
 * asked; a server with other issuers is flagged; permits when required
 * (the default). Issue 16: the person is confirmed before any share is
 * asked; registering again is a new enrolment that revokes the older one;
 * registrations stored before enrolments existed are enrolment 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authServerInfo,
  enrolmentOf,
  issuerMismatch,
  listRegistrations,
  loginMpin,
  mpinIdOfRegistration,
  registerMpin,
} from '../../src/app/mpin/flow.ts';
import { parsePin } from '../../src/app/mpin/model.ts';
import { addNode } from '../../src/app/nodes/registry.ts';
import { listOrders } from '../../src/app/orders/repo.ts';
import { createMpinPlugin } from '../../src/node/plugins/mpin/index.ts';
import { makeHome, type RunningNode, startInProcess, tempDir } from '../node/harness.ts';
import { type Device, device } from './orders-world.ts';

const cleanups: Array<() => Promise<void>> = [];
let i1: RunningNode, i2: RunningNode, auth: RunningNode, strict: RunningNode;
let alice: Device;

async function start(name: string, settings: unknown, home?: string): Promise<{ node: RunningNode; home: string }> {
  let dir = home;
  if (!dir) {
    const t = await tempDir(`dta-app-mpin-${name}-`);
    cleanups.push(t.cleanup);
    dir = await makeHome(t.dir, { name });
  }
  const node = await startInProcess(dir, { plugins: [createMpinPlugin(settings)] });
  cleanups.push(() => node.close());
  return { node, home: dir };
}

const authIdentity = async (n: RunningNode): Promise<string> =>
  ((await (await fetch(`${n.url}/v1/plugins/mpin/`)).json()) as { authServer: { identity: string } }).authServer
    .identity;

beforeAll(async () => {
  // Authentication servers get their identity on a first run with the role; issuers then list them.
  const a0 = await start('auth', { authServer: { issuers: [] } });
  const s0 = await start('strict auth', { authServer: { issuers: [] } });
  const servers = [await authIdentity(a0.node), await authIdentity(s0.node)];
  await a0.node.close();
  await s0.node.close();
  i1 = (await start('issuer one', { servers })).node;
  i2 = (await start('issuer two', { servers })).node;
  const issuers = [i1, i2].map((n) => ({ identity: n.rt.identity.cid.toString(), url: n.url }));
  auth = (await start('auth', { authServer: { issuers, requirePermit: false } }, a0.home)).node;
  strict = (await start('strict auth', { authServer: { issuers } }, s0.home)).node; // permits: the default
  alice = await device('alice');
  for (const n of [i1, i2, auth]) await addNode(alice.deps, n.url);
}, 90_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('M-Pin through the app data modules', () => {
  let registration: string;

  it('PINs are four digits', () => {
    expect(parsePin('0042')).toBe(42);
    expect(parsePin('9999')).toBe(9999);
    for (const bad of ['', '123', '12345', '12a4', ' 1234']) expect(parsePin(bad)).toBeUndefined();
  });

  it('registration needs two distinct issuing nodes, and a 4-digit PIN', async () => {
    await expect(registerMpin(alice.deps, { nodes: [i1.url], pin: '1234' })).rejects.toMatchObject({
      name: 'InputError',
      field: 'nodes',
    });
    await expect(registerMpin(alice.deps, { nodes: [i1.url, i1.url], pin: '1234' })).rejects.toMatchObject({
      name: 'InputError',
      field: 'nodes',
    });
    await expect(registerMpin(alice.deps, { nodes: [i1.url, i2.url], pin: '12' })).rejects.toMatchObject({
      name: 'InputError',
      field: 'pin',
    });
    expect(await listOrders(alice.deps, alice.cid)).toHaveLength(0); // nothing was asked of any node
  });

  it('registers with two issuers: one share order each; the page keeps no token (the worker keeps it sealed)', async () => {
    const steps: string[] = [];
    const reg = await registerMpin(alice.deps, { nodes: [i1.url, i2.url], pin: '2468' }, (p) => steps.push(p.what));
    registration = reg.id;
    expect(reg.owner).toBe(alice.cid);
    expect(reg).not.toHaveProperty('token');
    expect(reg.issuers.map((i) => i.name)).toEqual(['issuer one', 'issuer two']);
    expect(steps.at(-1)).toBe('registered');
    const stored = (await listRegistrations(alice.deps, alice.cid))[0]!;
    expect(Object.keys(stored).sort()).toEqual(['created', 'enrolment', 'id', 'issuers', 'owner']);
    expect(stored.enrolment).toBe(1);
    const orders = await listOrders(alice.deps, alice.cid);
    expect(orders.map((o) => [o.plugin, o.state, o.summary])).toEqual([
      ['mpin', 'open', { kind: 'mpin', issue: 'client-secret' }],
      ['mpin', 'open', { kind: 'mpin', issue: 'client-secret' }],
    ]);
  });

  it('logs in with the right PIN; a wrong PIN is refused', async () => {
    const ok = await loginMpin(alice.deps, { registration, server: auth.url, pin: '2468' });
    expect(ok).toMatchObject({ accepted: true, server: auth.url });
    expect(ok.mismatch).toBeUndefined();
    const bad = await loginMpin(alice.deps, { registration, server: auth.url, pin: '2469' });
    expect(bad).toMatchObject({ accepted: false, reason: 'refused' });
    expect((await listRegistrations(alice.deps, alice.cid))[0]!.lastLogin).toMatchObject({
      accepted: false,
      reason: 'refused',
    });
  });

  it("a server that requires time permits: today's permits are fetched from the same issuers", async () => {
    expect(await authServerInfo(alice.deps, strict.url)).toMatchObject({ requirePermit: true });
    expect(await loginMpin(alice.deps, { registration, server: strict.url, pin: '2468' })).toMatchObject({
      accepted: true,
    });
  });

  it('the person is confirmed before any share is asked', async () => {
    const before = (await listOrders(alice.deps, alice.cid)).length;
    const verifyUser = async () => {
      throw Object.assign(new Error('the passkey prompt was dismissed'), { name: 'PasskeyError' });
    };
    await expect(registerMpin(alice.deps, { nodes: [i1.url, i2.url], pin: '1357', verifyUser })).rejects.toMatchObject({
      name: 'PasskeyError',
    });
    expect(await listOrders(alice.deps, alice.cid)).toHaveLength(before);
  });

  it('registering again is the next enrolment and revokes the older one', async () => {
    let asked = 0;
    const verifyUser = async () => void asked++;
    const again = await registerMpin(alice.deps, { nodes: [i1.url, i2.url], pin: '1357', verifyUser });
    expect([asked, again.enrolment, mpinIdOfRegistration(again)]).toEqual([1, 2, `${alice.cid}#2`]);
    const ok = await loginMpin(alice.deps, { registration: again.id, server: strict.url, pin: '1357' });
    expect(ok).toMatchObject({ accepted: true });
    expect(await loginMpin(alice.deps, { registration, server: auth.url, pin: '2468' })).toMatchObject({
      accepted: false,
      reason: 'revoked',
    });
    await expect(loginMpin(alice.deps, { registration, server: strict.url, pin: '2468' })).rejects.toMatchObject({
      status: 403,
      code: 'revoked',
    }); // no permit for it
  });

  it('a registration stored before enrolments existed is enrolment 0, the identity CID alone', async () => {
    const [latest] = await listRegistrations(alice.deps, alice.cid);
    const { enrolment: _, ...old } = latest!;
    expect([enrolmentOf(old), mpinIdOfRegistration(old)]).toEqual([0, alice.cid]);
  });

  it('a node that is not an authentication server is named as such; other issuers are flagged', async () => {
    await expect(loginMpin(alice.deps, { registration, server: i1.url, pin: '2468' })).rejects.toMatchObject({
      name: 'InputError',
      field: 'server',
    });
    const reg = (await listRegistrations(alice.deps, alice.cid))[0]!;
    const info = await authServerInfo(alice.deps, auth.url);
    expect(issuerMismatch(reg, info)).toEqual({ missing: [], extra: [] });
    expect(issuerMismatch({ ...reg, issuers: reg.issuers.slice(0, 1) }, info).missing).toEqual([
      i2.rt.identity.cid.toString(),
    ]);
  });
});
