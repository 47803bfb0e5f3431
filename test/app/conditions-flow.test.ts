/**
 * Release conditions through the app's data modules (src/app/orders/conditions/, the worker's custody API run
 * in-process) against three real custody nodes (real Helia, real HTTP on 127.0.0.1): a 2-of-3 group ordered with a
 * 30-day dead man's switch carries it to every node, which each refuse a retrieval before the deadline (the
 * beneficiary's app reads the switch from the principal's orders when it adds the group); "Check in"
 * reaches every node of the group, each node's answer reported and its time stored, and moves the date shown;
 * "Cancel release" reaches every node (a second press counts the nodes that cancelled already), after which nothing
 * is released. The browser's side of the same, with a node clock moved past the deadline, is
 * test/e2e/conditions.e2e.ts.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderCustody, retrieveCustody } from '../../src/app/custody/flow.ts';
import { importCustody } from '../../src/app/custody/import.ts';
import { addNode } from '../../src/app/nodes/registry.ts';
import { type HolderProgress, releaseStep } from '../../src/app/orders/conditions/flow.ts';
import { releaseInputOf } from '../../src/app/orders/conditions/record.ts';
import { releaseOf } from '../../src/app/orders/conditions/release.ts';
import { getOrder } from '../../src/app/orders/repo.ts';
import { utf8 } from '../../src/core/bytes.ts';
import { tempDir } from '../node/harness.ts';
import { type CustodyNodes, startCustodyNodes } from './custody-nodes.ts';
import { type Device, device } from './orders-world.ts';

const DAY = 86_400_000;
const cleanups: Array<() => Promise<void>> = [];
let fleet: CustodyNodes;
let alice: Device;
let bob: Device;
let group: string;

beforeAll(async () => {
  const t = await tempDir('dta-app-conditions-');
  cleanups.push(t.cleanup);
  fleet = await startCustodyNodes(join(t.dir, 'nodes'), 3);
  cleanups.push(() => fleet.stopAll());
  [alice, bob] = await Promise.all([device('alice'), device('bob')]);
  for (const url of fleet.urls) {
    await addNode(alice.deps, url);
    await addNode(bob.deps, url);
  }
}, 90_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** Each node's view of the order it holds: its status and the types of its chain. */
async function nodeViews(): Promise<{ status: string; types: string[] }[]> {
  const o = await getOrder(alice.deps, alice.cid, group);
  return Promise.all(
    o.release!.holders.map(async (h) => {
      const res = await fetch(`${h.url}/v1/orders/${h.order}`, { signal: AbortSignal.timeout(10_000) });
      const body = (await res.json()) as { order: { status: string }; history: { type: string }[] };
      return { status: body.order.status, types: body.history.map((e) => e.type) };
    }),
  );
}

describe('a custody group with a dead man’s switch, through the app', () => {
  it('orders 2-of-3 with a 30-day switch: every node holds it, each refuses a retrieval before the date', async () => {
    const before = Date.now();
    const order = await orderCustody(alice.deps, {
      nodes: fleet.urls,
      t: 2,
      beneficiary: bob.cid,
      secret: utf8('the deeds'),
      conditions: { checkIn: { every: 30 * DAY } },
    });
    group = order.id;
    expect(order.state).toBe('open');
    expect(order.release?.holders.map((h) => h.url)).toEqual(fleet.urls);
    expect(order.release?.threshold).toBe(2);
    const release = releaseOf(releaseInputOf(order)!, Date.now());
    expect(release.kind).toBe('waiting');
    expect(release.kind === 'waiting' && release.at).toBeGreaterThanOrEqual(before + 30 * DAY);
    // Bob adds the group from its orders: his app reads the conditions from Alice's signed orders.
    const ids = order.release!.holders.map((h) => `${h.order}@${h.identity}`).join(' ');
    const his = await importCustody(bob.deps, ids);
    expect(his.release?.conditions).toEqual({ checkIn: { every: 30 * DAY } });
    // His date comes from the nodes' own times on the chains; Alice's, until her first check-in, from her device's
    // time of the order, just before the nodes answered (so never later than theirs).
    const seen = releaseOf(releaseInputOf(his)!, Date.now());
    expect(seen.kind).toBe('waiting');
    const [mine, theirs] = [release, seen].map((r) => (r.kind === 'waiting' ? r.at : 0));
    expect(theirs! - mine!).toBeGreaterThanOrEqual(0);
    expect(theirs! - mine!).toBeLessThan(60_000);
    await expect(retrieveCustody(bob.deps, group)).rejects.toThrow(/condition_not_met/);
    expect((await nodeViews()).map((v) => v.status)).toEqual(['open', 'open', 'open']);
  });

  it('checks in at every node: each answers with its time, the stored times and the date move', async () => {
    const before = releaseInputOf(await getOrder(alice.deps, alice.cid, group))!;
    const progress: HolderProgress[] = [];
    const outcome = await releaseStep(alice.deps, group, 'check-in', (p) => progress.push(p));
    expect(outcome).toMatchObject({ done: 3, refused: [] });
    const holders = outcome.order.release!.holders.map((h) => h.identity);
    for (const node of holders) {
      expect(progress.filter((p) => p.node === node).map((p) => p.state)).toEqual(['sent', 'done']);
    }
    const since = outcome.order.release!.since;
    expect(Object.keys(since).sort()).toEqual([...holders].sort());
    const after = releaseInputOf(outcome.order)!;
    expect(Math.min(...after.since)).toBeGreaterThanOrEqual(Math.max(...before.since));
    for (const v of await nodeViews())
      expect(v.types.slice(-2)).toEqual(['custody/check-in', 'custody/check-in-reply']);
  });

  it('cancels at every node; a second press counts them as done; nothing is released after', async () => {
    const outcome = await releaseStep(alice.deps, group, 'cancel');
    expect(outcome).toMatchObject({ done: 3, refused: [] });
    expect(outcome.order.state).toBe('cancelled');
    expect(releaseOf(releaseInputOf(outcome.order)!, Date.now())).toEqual({ kind: 'cancelled' });
    expect((await nodeViews()).map((v) => v.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(await releaseStep(alice.deps, group, 'cancel')).toMatchObject({ done: 3, refused: [] });
    await expect(retrieveCustody(bob.deps, group)).rejects.toThrow(/cancelled/);
  });
});
