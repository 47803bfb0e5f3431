// Issue 16 at a running node (real Helia, real HTTP). Finding 6: a request from a clock ahead of the node's (within
// the freshness window) gets a reply stamped no earlier than the request, so the committed chain verifies; a
// redemption stamped before the step it follows is refused rather than committed into a chain that cannot verify.
// Finding 3: a node takes no version 1 (commitment-less) request, and changes nothing when it refuses one.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeApiError } from '../../src/core/api/errors.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { createEnvelope, recipientOf } from '../../src/core/protocol/index.ts';
import { homePaths } from '../../src/node/config.ts';
import { orderSafeguardWith } from '../../src/plugins/safeguard/order.ts';
import {
  chainSeenBy,
  clientIdentity,
  clientOf,
  countFiles,
  makeHome,
  type RunningNode,
  sharedCore,
  startInProcess,
  tempDir,
} from '../node/harness.ts';
import { sealVersion1 } from './legacy.ts';

const BEHIND_MS = 120_000; // the node's clock is two minutes behind its clients'

let tmp: { dir: string; cleanup: () => Promise<void> };
let node: RunningNode;
let alice: KeyIdentity, bob: KeyIdentity;

beforeAll(async () => {
  tmp = await tempDir();
  const home = await makeHome(join(tmp.dir, 'node'));
  node = await startInProcess(home, { now: () => Date.now() - BEHIND_MS });
  [alice, bob] = await Promise.all([clientIdentity('alice'), clientIdentity('bob')]);
  for (const who of [alice, bob]) await (await clientOf(node.url, who)).register();
}, 60_000);

afterAll(async () => {
  await node?.close();
  await tmp?.cleanup();
});

/** The code of the node's refusal of `call`. */
async function refusal(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (e) {
    if (e instanceof NodeApiError) return e.code;
    throw e;
  }
  throw new Error('the node accepted it');
}

describe('clocks: a reply is never stamped before its request', () => {
  it("an order from a clock two minutes ahead: the reply is stamped at the request's time and the chain verifies", async () => {
    const asAlice = await clientOf(node.url, alice);
    const result = await orderSafeguardWith(asAlice, {
      beneficiary: bob.identity.cid,
      secret: new TextEncoder().encode('s'),
    });
    const request = result.request.cid.toString();
    const steps = await chainSeenBy(node, result.reply.cid);
    expect(steps.map((s) => s.cid.toString())).toEqual([request, result.reply.cid]);
    const [asked, replied] = steps.map((s) => s.value.header.created) as [number, number];
    expect(asked).toBeGreaterThan(Date.now() - BEHIND_MS + 60_000); // ahead of the node's clock
    expect(replied).toBe(asked);

    // Bob's clock a minute behind that reply (still fresh for the node): refused, nothing committed.
    const asBob = await clientOf(node.url, bob);
    const early = await asBob.request({
      type: 'safeguard/redeem',
      content: {},
      order: request,
      previous: result.envelope.cid,
      created: replied - 60_000,
    });
    expect(await refusal(() => asBob.postRedeem(request, early))).toBe('bad_request');
    expect((await asBob.api.order(request)).order.status).toBe('open');

    // The client stamps its redemption no earlier than the head it follows; the four steps verify.
    const redeemed = await asBob.redeem('safeguard', request);
    const all = await chainSeenBy(node, redeemed.reply.cid);
    const times = all.map((s) => s.value.header.created);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(all.map((s) => s.value.header.version)).toEqual([2, 2, 2, 2]);
  });
});

describe('versions: a node takes only version 2 requests', () => {
  it('a version 1 order (sealed, no key commitment) is refused with bad_request and changes nothing', async () => {
    const core = await sharedCore();
    const asAlice = await clientOf(node.url, alice);
    const orders = await countFiles(homePaths(node.config.home).orders, '.json');
    const v1 = await sealVersion1(core, {
      sender: { cid: alice.identity.cid, bls: alice.secrets.bls },
      recipients: [node.rt.identity],
      type: 'safeguard/order',
      created: Date.now(),
      content: { beneficiary: bob.identity.cid, generate: 16 },
    });
    expect(await refusal(() => asAlice.api.postOrder(v1.bytes))).toBe('bad_request');
    expect(await countFiles(homePaths(node.config.home).orders, '.json')).toBe(orders);

    // The same request as version 2 is taken.
    const v2 = await createEnvelope(core.bls, alice.secrets.bls, {
      type: 'safeguard/order',
      sender: alice.identity.cid,
      recipients: [recipientOf(node.rt.identity), recipientOf(bob.identity)],
      sealed: true,
      content: { beneficiary: bob.identity.cid, generate: 16 },
    });
    expect((await asAlice.api.postOrder(v2.bytes)).order).toBe(v2.cid.toString());
  });
});
