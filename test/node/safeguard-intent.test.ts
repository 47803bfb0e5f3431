// Issue 16, finding 4 at a running node: a safeguard order with its intent is sealed to the node and the
// beneficiary and carries the secret in a deposit sealed to the node alone, beside a salted commitment. The node
// takes a matching deposit and refuses, changing nothing, a deposit that does not match its commitment, one signed
// by someone else, an intent not sealed to its beneficiary, and a plain secret sealed to the beneficiary.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeApiError } from '../../src/core/api/errors.ts';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { utf8 } from '../../src/core/bytes.ts';
import { decodeEnvelope } from '../../src/core/protocol/envelope.ts';
import { INTENTS_REQUIRED_FROM } from '../../src/core/protocol/intent.ts';
import { homePaths } from '../../src/node/config.ts';
import { DEPOSIT_TYPE, depositCommitmentOf } from '../../src/plugins/safeguard/deposit.ts';
import { checkRetrievedSecret, orderSafeguardWith } from '../../src/plugins/safeguard/order.ts';
import { verifyOrderReply } from '../../src/plugins/safeguard/reply.ts';
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

let tmp: { dir: string; cleanup: () => Promise<void> };
let node: RunningNode;
let alice: KeyIdentity, bob: KeyIdentity, carol: KeyIdentity;
let asAlice: NodeSession;

beforeAll(async () => {
  tmp = await tempDir();
  node = await startInProcess(await makeHome(join(tmp.dir, 'node')));
  [alice, bob, carol] = await Promise.all([clientIdentity('alice'), clientIdentity('bob'), clientIdentity('carol')]);
  for (const who of [alice, bob, carol]) await (await clientOf(node.url, who)).register();
  asAlice = await clientOf(node.url, alice);
}, 60_000);

afterAll(async () => {
  await node?.close();
  await tmp?.cleanup();
});

const salt = new Uint8Array(32).fill(7);

/** An order content with its intent, the deposit signed by `by` (alice unless given). */
async function intentContent(secret: Uint8Array, options: { by?: KeyIdentity; committed?: Uint8Array } = {}) {
  const by = options.by ? await clientOf(node.url, options.by) : asAlice;
  const deposit = await by.request({ type: DEPOSIT_TYPE, content: { secret } });
  const depositCommitment = depositCommitmentOf(salt, options.committed ?? secret);
  return { beneficiary: bob.identity.cid, deposit: deposit.bytes, depositSalt: salt, depositCommitment };
}

/** Alice's order sealed to the node and `to`. */
async function order(content: unknown, to: KeyIdentity = bob) {
  const request = await asAlice.me.createEnvelope({
    type: 'safeguard/order',
    recipients: [asAlice.node, to.identity],
    content,
    sealed: true,
  });
  return asAlice.postOrder(request);
}

async function refusal(call: () => Promise<unknown>): Promise<[string, string]> {
  try {
    await call();
  } catch (e) {
    if (e instanceof NodeApiError) return [e.code, e.message];
    throw e;
  }
  throw new Error('the node accepted it');
}

describe('safeguard orders with their intent', () => {
  it('a matching deposit is kept; the reply commits to its secret', async () => {
    const secret = new TextEncoder().encode('the deposit');
    const result = await order(await intentContent(secret));
    const reply = verifyOrderReply(result.content, {
      order: result.request.cid.toString(),
      beneficiary: bob.identity.cid.toString(),
      secret,
    });
    expect(reply).toMatchObject({ size: secret.length, generated: false });
  });

  it('refusals name the problem and commit nothing', async () => {
    const secret = new TextEncoder().encode('s');
    const before = await countOrders(homePaths(node.config.home).orders);
    expect(
      await refusal(async () => order(await intentContent(secret, { committed: new TextEncoder().encode('t') }))),
    ).toEqual(['bad_request', expect.stringMatching(/does not match its commitment/)]);
    expect(await refusal(async () => order(await intentContent(secret, { by: carol })))).toEqual([
      'bad_request',
      expect.stringMatching(/signed by someone else/),
    ]);
    expect(await refusal(async () => order(await intentContent(secret), carol))).toEqual([
      'bad_request',
      expect.stringMatching(/sealed to its beneficiary too/),
    ]);
    expect(await refusal(() => order({ beneficiary: bob.identity.cid, secret }))).toEqual([
      'bad_request',
      expect.stringMatching(/carries the secret in a deposit/),
    ]);
    expect(await countOrders(homePaths(node.config.home).orders)).toBe(before);
  });

  it('a new order sealed to the node alone is refused (400 intent_required); an old one still answers 409 replay', async () => {
    const before = await countOrders(homePaths(node.config.home).orders);
    const [code, message] = await refusal(() =>
      asAlice.order('safeguard', { beneficiary: bob.identity.cid, secret: utf8('s') }),
    );
    expect([code, message]).toEqual(['intent_required', expect.stringMatching(/update the app/)]);
    expect(await countOrders(homePaths(node.config.home).orders)).toBe(before);
    // An order signed before the cut-over, committed by a node whose clock was then, is answered again as a replay.
    const t = await tempDir();
    const past = INTENTS_REQUIRED_FROM - 3_600_000;
    let clock = () => past;
    const old = await startInProcess(await makeHome(join(t.dir, 'old')), { now: () => clock() });
    try {
      const s = await clientOf(old.url, alice, { registerFirst: true });
      const request = await s.request({
        type: 'safeguard/order',
        content: { beneficiary: alice.identity.cid, secret: utf8('o') },
        created: past,
      });
      const first = await s.postOrder(request);
      clock = Date.now;
      const again = await s.postOrder(request);
      expect(again.reply).toMatchObject({ replayed: true, cid: first.reply.cid });
    } finally {
      await old.close();
      await t.cleanup();
    }
  });

  it('the one API client writes the intent; at retrieval the secret is checked against its salted commitment', async () => {
    const secret = utf8('via the client');
    const placed = await orderSafeguardWith(asAlice, { beneficiary: bob.identity.cid, secret, label: 'cli' });
    const first = decodeEnvelope(placed.request.bytes).value.header;
    expect(first.recipients.map(String)).toEqual([node.rt.identity.cid.toString(), bob.identity.cid.toString()]);
    const asBob = await clientOf(node.url, bob);
    const got = (await asBob.redeem('safeguard', placed.reply.order)).content as { secret: Uint8Array };
    const core = await sharedCore();
    await expect(checkRetrievedSecret(asBob, core.bls, placed.reply.order, got.secret)).resolves.toBeUndefined();
    await expect(
      checkRetrievedSecret(asBob, core.bls, placed.reply.order, utf8('another secret')),
    ).rejects.toMatchObject({
      name: 'SafeguardError',
      message: expect.stringMatching(/not the one the principal deposited/),
    });
  });
});
