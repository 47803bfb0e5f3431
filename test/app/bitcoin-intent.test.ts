/**
 * Issue 16, finding 4 for Bitcoin: an order for another identity is written with the principal's intent (sealed
 * to the node and the beneficiary: network, address type and the beneficiary's key card), which the beneficiary's
 * app reads and checks the node's reply against; the node refuses an order sealed to others than its beneficiary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderBitcoin, summarizeBitcoin } from '../../src/app/bitcoin/flow.ts';
import { createKeyCard, keyCardText } from '../../src/app/bitcoin/keycard.ts';
import { addNode, sessionFor } from '../../src/app/nodes/registry.ts';
import { importOrder } from '../../src/app/orders/flow.ts';
import { NodeApiError } from '../../src/core/api/errors.ts';
import { decodeEnvelope } from '../../src/core/protocol/envelope.ts';
import { checkReplyAgainstIntent } from '../../src/plugins/bitcoin/intent.ts';
import { parseOrderReply } from '../../src/plugins/bitcoin/schema.ts';
import { makeHome, type RunningNode, startInProcess, tempDir } from '../node/harness.ts';
import { type Device, device } from './orders-world.ts';

const cleanups: Array<() => Promise<void>> = [];
let node: RunningNode;
let bea: Device, paul: Device;

beforeAll(async () => {
  const t = await tempDir('dta-app-btc-intent-');
  cleanups.push(t.cleanup);
  node = await startInProcess(await makeHome(t.dir, { name: 'bitcoin fiduciary' }));
  cleanups.push(() => node.close());
  bea = await device('bea');
  paul = await device('paul');
  for (const d of [bea, paul]) await addNode(d.deps, node.url);
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe("Bitcoin orders with the principal's intent", () => {
  it('an order by key card is sealed to the node and the beneficiary, whose app reads the intent', async () => {
    const card = await createKeyCard(bea.deps, 'regtest');
    const { order, content } = await orderBitcoin(paul.deps, {
      node: node.url,
      network: 'regtest',
      addressType: 'p2wpkh',
      card: keyCardText(card.bytes),
    });
    const first = decodeEnvelope(order.envelopes[0]!.bytes).value.header;
    expect(first.recipients.map(String)).toEqual([node.rt.identity.cid.toString(), bea.cid]);
    expect(order.intent).toEqual({ kind: 'intent' });
    const imported = await importOrder(bea.deps, node.url, order.id, summarizeBitcoin);
    expect(imported).toMatchObject({ role: 'beneficiary', principal: paul.cid, intent: { kind: 'intent' } });
    // The reply must say what the intent asked for.
    const reply = parseOrderReply(content);
    const intent = { network: 'regtest', addressType: 'p2wpkh', beneficiaryKey: card.bytes };
    expect(() => checkReplyAgainstIntent(reply, intent)).not.toThrow();
    expect(() => checkReplyAgainstIntent(reply, { ...intent, addressType: 'p2tr' })).toThrow(
      expect.objectContaining({ code: 'mismatch', message: expect.stringMatching(/address type/) }),
    );
    const other = await createKeyCard(bea.deps, 'regtest');
    expect(() => checkReplyAgainstIntent(reply, { ...intent, beneficiaryKey: other.bytes })).toThrow(
      expect.objectContaining({ code: 'mismatch', message: expect.stringMatching(/key card/) }),
    );
  });

  it('the node refuses an order with its intent that is not sealed to its beneficiary', async () => {
    const card = await createKeyCard(bea.deps, 'regtest');
    const session = await sessionFor(paul.deps, node.url);
    const request = await session.me.createEnvelope({
      type: 'bitcoin/order',
      recipients: [session.node, session.me.identity],
      sealed: true,
      content: { network: 'regtest', addressType: 'p2wpkh', beneficiaryKey: card.bytes },
    });
    const refused = await session.postOrder(request).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NodeApiError);
    expect(refused).toMatchObject({
      status: 400,
      code: 'bad_request',
      message: expect.stringMatching(/sealed to its beneficiary too/),
    });
  });
});
