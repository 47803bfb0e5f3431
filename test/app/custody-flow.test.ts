/**
 * Threshold custody through the app's data modules (src/app/custody/flow.ts, the worker's custody API run
 * in-process) against three real nodes with the custody plugin (real Helia, real HTTP on 127.0.0.1, each on a
 * port of its own so that a stopped node comes back at the same URL): a 2-of-3 order with per-node progress,
 * an order placed while one node is down (stored, incomplete, the node named with its reason) completed once it
 * is back, retrieval with one node down (named), a node whose kept share was altered on disk (named as a liar,
 * the secret recovered from the others), a second retrieval read back from the chains, and refusals.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeCustody, orderCustody, retrieveCustody } from '../../src/app/custody/flow.ts';
import { importCustody } from '../../src/app/custody/import.ts';
import { reshareCustody } from '../../src/app/custody/reshare.ts';
import { custodySummaryOf } from '../../src/app/custody/summary.ts';
import { addNode } from '../../src/app/nodes/registry.ts';
import { getOrder } from '../../src/app/orders/repo.ts';
import { printableText, utf8 } from '../../src/core/bytes.ts';
import type { CustodyOrderProgress } from '../../src/worker/api/custody.ts';
import { tempDir } from '../node/harness.ts';
import { alterShare, type CustodyNodes, startCustodyNodes } from './custody-nodes.ts';
import { type Device, device } from './orders-world.ts';

const cleanups: Array<() => Promise<void>> = [];
let fleet: CustodyNodes;
let urls: string[];
let alice: Device;
let bob: Device;
const stop = (i: number) => fleet.stop(i);
const start = (i: number) => fleet.start(i);

beforeAll(async () => {
  const t = await tempDir('dta-app-custody-');
  cleanups.push(t.cleanup);
  fleet = await startCustodyNodes(join(t.dir, 'nodes'), 4);
  cleanups.push(() => fleet.stopAll());
  urls = fleet.urls.slice(0, 3); // the fourth joins a group by resharing
  alice = await device('alice');
  bob = await device('bob');
  for (const url of fleet.urls) {
    await addNode(alice.deps, url);
    await addNode(bob.deps, url);
  }
}, 90_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('threshold custody through the app data modules, three real nodes', () => {
  let forBob: string;
  let incomplete: string;

  it('orders 2-of-3 for another identity: every node holds its share, progress per node', async () => {
    const progress: CustodyOrderProgress[] = [];
    const order = await orderCustody(
      alice.deps,
      { nodes: urls, t: 2, beneficiary: bob.cid, secret: utf8('for Bob, 2 of 3'), label: 'bob' },
      (p) => progress.push(p),
    );
    forBob = order.id;
    const s = custodySummaryOf(order)!;
    expect(order).toMatchObject({ plugin: 'custody', state: 'open', role: 'principal', beneficiary: bob.cid });
    expect(order.error).toBeUndefined();
    expect([s.t, s.n, s.label]).toEqual([2, 3, 'bob']);
    expect(s.members.map((m) => [m.index, m.url, m.state])).toEqual(urls.map((u, i) => [i + 1, u, 'holds']));
    expect(s.members[0]!.order).toBe(order.id);
    for (const index of [1, 2, 3]) {
      expect(progress.filter((p) => p.index === index).map((p) => p.state)).toEqual(['sealing', 'sent', 'committed']);
    }
    // Bob's device has no record of the group, and Alice is not its beneficiary.
    await expect(retrieveCustody(alice.deps, forBob)).rejects.toMatchObject({ name: 'InputError' });
  });

  it('the beneficiary adds the group on its device from the order ids and retrieves it', async () => {
    const members = custodySummaryOf(await getOrder(alice.deps, alice.cid, forBob))!.members;
    const ids = members.map((m) => m.order);
    // The principal is not the beneficiary: its own orders do not name it.
    await expect(importCustody(alice.deps, ids.join(' '))).rejects.toMatchObject({ name: 'InputError' });
    await expect(importCustody(bob.deps, 'not-an-order')).rejects.toMatchObject({ name: 'InputError' });
    // Two bare order ids (looked for on every node) are enough to retrieve; the third node holds nothing here.
    const partial = await importCustody(bob.deps, `${ids[2]}\n${ids[0]}`);
    expect(custodySummaryOf(partial)!.members.map((m) => m.state)).toEqual(['holds', 'refused', 'holds']);
    // As the principal's page lists them: each order with the node that holds it.
    const order = await importCustody(bob.deps, members.map((m) => `${m.order}@${m.identity}`).join(' '));
    const s = custodySummaryOf(order)!;
    expect(order).toMatchObject({ id: forBob, role: 'beneficiary', principal: alice.cid, state: 'open', label: 'bob' });
    expect([s.t, s.n, s.deal]).toEqual([2, 3, undefined]);
    expect(s.members.map((m) => [m.url, m.state, m.order])).toEqual(urls.map((u, i) => [u, 'holds', ids[i]]));
    const got = await retrieveCustody(bob.deps, forBob);
    expect(printableText(got.secret)).toBe('for Bob, 2 of 3');
    expect(got.usedIndices).toHaveLength(2);
  });

  it('an order placed with a node down is stored incomplete, names the node, completes once it is back', async () => {
    await stop(2);
    let order = await orderCustody(alice.deps, { nodes: urls, t: 2, beneficiary: 'me', secret: utf8('self') });
    incomplete = order.id;
    let s = custodySummaryOf(order)!;
    expect(order.state).toBe('open'); // two of three hold: retrievable already
    expect(order.error).toMatch(/2 of 3 nodes hold their share/);
    expect(s.members.map((m) => m.state)).toEqual(['holds', 'holds', 'refused']);
    expect(s.members[2]!.reason).toMatch(/unreachable|fetch|connect/i);
    await start(2);
    const again: CustodyOrderProgress[] = [];
    order = await completeCustody(alice.deps, incomplete, (p) => again.push(p));
    s = custodySummaryOf(order)!;
    expect(s.members.map((m) => m.state)).toEqual(['holds', 'holds', 'holds']);
    expect(order.error).toBeUndefined();
    expect(
      again
        .filter((p) => p.state === 'committed')
        .map((p) => p.index)
        .sort(),
    ).toEqual([1, 2, 3]);
  });

  it('retrieves from two with one node down (named), then again from the chains with all up', async () => {
    await stop(0);
    const got = await retrieveCustody(alice.deps, incomplete).finally(() => start(0));
    expect(printableText(got.secret)).toBe('self');
    expect([...got.usedIndices].sort()).toEqual([2, 3]);
    const s = custodySummaryOf(await getOrder(alice.deps, alice.cid, incomplete))!;
    expect(s.members.map((m) => m.answer?.state)).toEqual(['failed', 'good', 'good']);
    expect(s.retrievedAt).toBeGreaterThan(0);
    // Nodes 2 and 3 were redeemed already: their replies are read back from the chains; node 1 redeems now.
    const twice = await retrieveCustody(alice.deps, incomplete);
    expect(printableText(twice.secret)).toBe('self');
    expect([twice.wrong, twice.failed]).toEqual([[], []]);
    const after = await getOrder(alice.deps, alice.cid, incomplete);
    expect(after.state).toBe('redeemed');
    expect(custodySummaryOf(after)!.members.map((m) => m.answer?.state)).toEqual(['good', 'good', 'good']);
  });

  it('names a node whose kept share was altered on disk as a liar and recovers from the others', async () => {
    const order = await orderCustody(alice.deps, { nodes: urls, t: 2, beneficiary: 'me', secret: utf8('liar') });
    const s = custodySummaryOf(order)!;
    await stop(1);
    await alterShare(fleet.homes[1]!, s.members[1]!.order);
    await start(1);
    const got = await retrieveCustody(alice.deps, order.id);
    expect(printableText(got.secret)).toBe('liar');
    expect(got.wrong).toEqual([{ node: s.members[1]!.identity, reason: expect.stringMatching(/commitments/) }]);
    const after = custodySummaryOf(await getOrder(alice.deps, alice.cid, order.id))!;
    expect(after.members.map((m) => m.answer?.state)).toEqual(['good', 'wrong', 'good']);
  });

  it('reshares a group to a committee with one node replaced; the secret comes back from the new one', async () => {
    const order = await orderCustody(alice.deps, { nodes: urls, t: 2, beneficiary: 'me', secret: utf8('moved') });
    const before = custodySummaryOf(order)!;
    const committee = [urls[0]!, urls[1]!, fleet.urls[3]!];
    const steps: string[] = [];
    const { order: after, result } = await reshareCustody(alice.deps, order.id, { nodes: committee, t: 2 }, (p) =>
      steps.push(p.step),
    );
    const s = custodySummaryOf(after)!;
    expect(after.id).toBe(order.id);
    expect(s.group).not.toBe(before.group);
    expect(s.reshared).toEqual([{ from: before.group, at: expect.any(Number) }]);
    expect(s.members.map((m) => [m.url, m.state])).toEqual(committee.map((u) => [u, 'holds']));
    expect(s.deal).toBeUndefined();
    expect(result.confirmed).toHaveLength(3);
    expect(new Set(steps)).toEqual(new Set(['deal', 'place', 'confirm']));
    // Only the new committee is asked, and it gives the secret back even with the old node 3 stopped.
    await stop(2);
    const got = await retrieveCustody(alice.deps, order.id).finally(() => start(2));
    expect(printableText(got.secret)).toBe('moved');
    expect(got.failed).toEqual([]);
  });

  it('refuses a threshold above n and a node chosen twice before anything is dealt', async () => {
    await expect(
      orderCustody(alice.deps, { nodes: urls, t: 4, beneficiary: 'me', secret: utf8('x') }),
    ).rejects.toMatchObject({ name: 'InputError', field: 'threshold' });
    await expect(
      orderCustody(alice.deps, { nodes: [urls[0]!, urls[0]!], t: 1, beneficiary: 'me', secret: utf8('x') }),
    ).rejects.toMatchObject({ name: 'InputError', field: 'nodes' });
  });
});
