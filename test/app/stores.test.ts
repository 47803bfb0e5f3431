/**
 * The page stores (Solid signals over the flows' IndexedDB) against a real node: the orders store lists
 * this identity's orders newest first and only its own; the nodes store re-reads its list after every
 * action, failed ones included; the M-Pin store lists an identity's registrations and removes one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MpinRegistration } from '../../src/app/mpin/model.ts';
import { createMpinStore } from '../../src/app/mpin/store.ts';
import { createNodesStore } from '../../src/app/nodes/store.ts';
import { createOrdersStore } from '../../src/app/orders/store.ts';
import { orderSafeguard } from '../../src/app/safeguard/flow.ts';
import { utf8 } from '../../src/core/bytes.ts';
import { makeHome, type RunningNode, startInProcess, tempDir } from '../node/harness.ts';
import { type Device, device } from './orders-world.ts';

const cleanups: Array<() => Promise<void>> = [];
let node: RunningNode;
let alice: Device;

beforeAll(async () => {
  const t = await tempDir('dta-app-stores-');
  cleanups.push(t.cleanup);
  node = await startInProcess(await makeHome(t.dir, { name: 'store node' }));
  cleanups.push(() => node.close());
  alice = await device('alice');
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('nodes store', () => {
  it('starts empty and not loaded; add() verifies the node and the list follows', async () => {
    const store = createNodesStore(alice.deps);
    expect([store.nodes(), store.loaded()]).toEqual([[], false]);
    await store.refresh();
    expect([store.nodes(), store.loaded()]).toEqual([[], true]);
    const added = await store.add(node.url);
    expect(added.node.identity).toBe(node.rt.identity.cid.toString());
    expect(store.nodes().map((n) => n.url)).toEqual([node.url]);
  });

  it('a failed action still re-reads the list (nothing stale stays on the page)', async () => {
    const store = createNodesStore(alice.deps);
    await expect(store.add('http://127.0.0.1:9/')).rejects.toThrow();
    expect(store.loaded()).toBe(true);
    expect(store.nodes().map((n) => n.url)).toEqual([node.url]);
  });

  it('check() records the status; remove() takes the node out of the list', async () => {
    const store = createNodesStore(alice.deps);
    await store.refresh();
    const status = await store.check(node.url);
    expect(status).toMatchObject({ reachable: true, identityMatches: true });
    expect(store.nodes()[0]!.status).toEqual(status);
    await store.remove(node.url);
    expect(store.nodes()).toEqual([]);
    await store.add(node.url); // for the orders below
  });
});

describe('orders store', () => {
  it("lists this identity's orders newest first, and another identity's not at all", async () => {
    const store = createOrdersStore(alice.deps);
    await store.refresh(alice.cid);
    expect([store.orders(), store.loaded()]).toEqual([[], true]);
    const first = await orderSafeguard(alice.deps, { node: node.url, beneficiary: 'me', secret: utf8('one') });
    const second = await orderSafeguard(alice.deps, { node: node.url, beneficiary: 'me', secret: utf8('two') });
    await store.refresh(alice.cid);
    expect(store.orders().map((o) => o.id)).toEqual([second.order.id, first.order.id]);
    await store.refresh('bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy');
    expect(store.orders()).toEqual([]);
  });
});

describe('M-Pin store', () => {
  it("lists an identity's registrations newest first and removes one", async () => {
    // Registration ids are 16 hex digits (the worker refuses others when it drops a registration's token).
    const [OLD, NEW] = ['00000000000000a1', '00000000000000b2'];
    const db = await alice.deps.db();
    const record = (id: string, created: number, owner = alice.cid): MpinRegistration => ({
      id,
      owner,
      issuers: [],
      token: new Uint8Array(97),
      created,
    });
    await db.put('mpin', record(OLD, 1));
    await db.put('mpin', record(NEW, 2));
    await db.put('mpin', record('00000000000000c3', 3, 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'));
    const store = createMpinStore(alice.deps);
    await store.refresh(alice.cid);
    expect(store.registrations().map((r) => r.id)).toEqual([NEW, OLD]);
    await store.remove(alice.cid, NEW);
    expect(store.registrations().map((r) => r.id)).toEqual([OLD]);
  });
});
