// Issue 15 with threshold custody: a 2-of-3 group whose every node's order carries the same dead man's switch,
// three in-process nodes (real HTTP on 127.0.0.1, real Helia) sharing an injected clock with the clients. Each node
// enforces its own copy: each refuses before its deadline, a check-in at all three moves every deadline, and once
// the period passes without one the beneficiary recovers the secret from the nodes' shares.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeApiError } from '../../src/core/api/errors.ts';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { utf8 } from '../../src/core/bytes.ts';
import type { Core } from '../../src/core/types.ts';
import type { CustodyDeal } from '../../src/plugins/custody/deal.ts';
import { custodyOrder } from '../../src/plugins/custody/order.ts';
import { custodyRetrieve } from '../../src/plugins/custody/retrieve.ts';
import {
  aliceBobMallory,
  clientOf,
  makeHome,
  type RunningNode,
  sharedCore,
  startInProcess,
  tempDir,
} from './harness.ts';

const DAY = 86_400_000;
const EVERY = 30 * DAY;
let clock = Date.now();
const now = () => clock;

let tmp: { dir: string; cleanup: () => Promise<void> };
let nodes: RunningNode[] = [];
let core: Core;
let alice: KeyIdentity, bob: KeyIdentity;
let asAlice: NodeSession[], asBob: NodeSession[];
let deal: CustodyDeal;
let orders: string[];
const secret = utf8('custody with a dead man switch');

const sessionsAs = (me: KeyIdentity) => Promise.all(nodes.map((n) => clientOf(n.url, me, { now })));

beforeAll(async () => {
  tmp = await tempDir('dta-conditions-custody-');
  core = await sharedCore();
  const homes = await Promise.all(
    [1, 2, 3].map((i) => makeHome(join(tmp.dir, `node${i}`), { name: `node ${i}`, config: { plugins: ['custody'] } })),
  );
  nodes = await Promise.all(homes.map((home) => startInProcess(home, { now })));
  [alice, bob] = await aliceBobMallory();
  [asAlice, asBob] = await Promise.all([sessionsAs(alice), sessionsAs(bob)]);
  const sign = (m: Uint8Array) => core.bls.sign(alice.secrets.bls, m);
  const input = { secret, beneficiary: bob.identity, t: 2, conditions: { checkIn: { every: EVERY } } };
  const placed = await custodyOrder(core, asAlice, sign, input);
  deal = placed.deal;
  orders = placed.placed.map((p) => p.order);
}, 90_000);

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  await tmp?.cleanup();
});

/** Each node's refusal of Bob's redeem: the time it names for the dead man's switch. */
async function deadlines(): Promise<number[]> {
  return Promise.all(
    asBob.map(async (session, i) => {
      try {
        await session.redeem('custody', orders[i]!);
      } catch (e) {
        if (e instanceof NodeApiError && e.code === 'condition_not_met') return e.unmet[0]!.until;
        throw e;
      }
      throw new Error(`node ${i + 1} released before the deadline`);
    }),
  );
}

/** The node's time of its reply to each order (where each deadline starts). */
async function orderReplyTimes(): Promise<number[]> {
  return Promise.all(asBob.map(async (s, i) => (await s.api.order(orders[i]!)).history[1]!.created));
}

describe("custody 2-of-3 with a dead man's switch", () => {
  it('every node keeps the same conditions, and each refuses before its own deadline', async () => {
    for (const [i, node] of nodes.entries()) {
      expect((await node.rt.orders.get(orders[i]!))!.record.conditions).toEqual({ checkIn: { every: EVERY } });
    }
    clock += EVERY - DAY;
    const replies = await orderReplyTimes();
    expect(await deadlines()).toEqual(replies.map((t) => t + EVERY));
  });

  it('a check-in at all three moves every deadline', async () => {
    const checkIns = await Promise.all(asAlice.map((s, i) => s.checkIn('custody', orders[i]!)));
    const times = checkIns.map((c) => c.envelope.value.header.created);
    expect(times).toEqual([clock, clock, clock]);
    clock += 2 * DAY; // past the first deadlines
    expect(await deadlines()).toEqual(times.map((t) => t + EVERY));
  });

  it('after the period without a check-in, the beneficiary recovers the secret', async () => {
    clock += EVERY;
    const holders = asBob.map((session, i) => ({ session, order: orders[i]! }));
    const got = await custodyRetrieve(core, holders, { group: deal.group.cid });
    expect(Buffer.from(got.secret).toString()).toBe(Buffer.from(secret).toString());
  });
});
