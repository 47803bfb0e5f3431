/**
 * Issue 16, finding 6 in the app: a beneficiary whose device clock is behind the node's still redeems. The node
 * here runs two minutes ahead, so its reply is stamped after the device's "now"; the app stamps the redemption
 * no earlier than the step it follows (as NodeSession.redeem does), the node takes it and the chain verifies.
 * Also: the app says in plain words what a key commitment failure means.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNode } from '../../src/app/nodes/registry.ts';
import { importOrder, verifyOrder } from '../../src/app/orders/flow.ts';
import { orderSafeguard, retrieveSafeguard, summarizeSafeguard } from '../../src/app/safeguard/flow.ts';
import { describeError } from '../../src/app/ui/errors.ts';
import { printableText, utf8 } from '../../src/core/bytes.ts';
import { KeyCommitmentError } from '../../src/core/protocol/errors.ts';
import { IntentError } from '../../src/core/protocol/intent.ts';
import { makeHome, type RunningNode, startInProcess, tempDir } from '../node/harness.ts';
import { type Device, device } from './orders-world.ts';

const AHEAD_MS = 120_000;
const cleanups: Array<() => Promise<void>> = [];
let node: RunningNode;
let alice: Device;
let bob: Device;

beforeAll(async () => {
  const t = await tempDir('dta-app-clock-');
  cleanups.push(t.cleanup);
  node = await startInProcess(await makeHome(t.dir, { name: 'fast clock' }), { now: () => Date.now() + AHEAD_MS });
  cleanups.push(() => node.close());
  alice = await device('alice');
  bob = await device('bob');
  await addNode(alice.deps, node.url);
  await addNode(bob.deps, node.url);
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe("the app with a device clock behind the node's", () => {
  it("the beneficiary redeems: its redemption is stamped at the reply's time and the chain verifies", async () => {
    const { order } = await orderSafeguard(alice.deps, { node: node.url, beneficiary: bob.cid, secret: utf8('4711') });
    const reply = order.envelopes[1]!;
    expect(reply.created).toBeGreaterThan(Date.now() + AHEAD_MS / 2); // the node's clock, ahead of the device's
    await importOrder(bob.deps, node.url, order.id, summarizeSafeguard);
    const { order: redeemed, secret } = await retrieveSafeguard(bob.deps, order.id);
    expect(printableText(secret)).toBe('4711');
    const redeem = redeemed.envelopes.find((e) => e.type === 'safeguard/redeem')!;
    expect(redeem.created).toBeGreaterThanOrEqual(reply.created);
    const checked = await verifyOrder(bob.deps, order.id);
    expect(checked.check).toMatchObject({ verified: true });
    expect(checked.check!.steps).toHaveLength(4);
  });
});

describe('readable errors', () => {
  it('a key commitment failure says that the envelope is not the same for every recipient', () => {
    const d = describeError(new KeyCommitmentError('the content key does not match the signed key commitment'));
    expect(d.message).toMatch(/not the same for every recipient/);
    expect(d.detail).toMatch(/^KeyCommitmentError/);
  });

  it('an intent that does not name the reader says so, naming the principal as the one who decides', () => {
    const d = describeError(new IntentError('not_addressed', 'the principal sealed order bafy… to others, not to you'));
    expect(d.message).toMatch(/^The principal's own order does not name you/);
  });
});
