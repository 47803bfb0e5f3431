/**
 * Ordering a Bitcoin key for another identity through the app's data modules, against a real node: the
 * beneficiary makes a key card (a fresh, reserved index), the principal orders with it (the card checked
 * for the network, its signature verified with the identity the node knows, refused when used before),
 * the principal sees the address but cannot retrieve, and the beneficiary, after importing the order,
 * finds the card's index and recovers the key that owns that very address — also for an index beyond the
 * search range of orders from other devices.
 */

import { secp256k1 } from '@noble/curves/secp256k1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX_SEARCH, orderBitcoin, retrieveBitcoin, summarizeBitcoin } from '../../src/app/bitcoin/flow.ts';
import { createKeyCard, keyCardText, listKeyCards, parseKeyCard } from '../../src/app/bitcoin/keycard.ts';
import { addNode } from '../../src/app/nodes/registry.ts';
import { importOrder } from '../../src/app/orders/flow.ts';
import type { OrderRecord } from '../../src/app/orders/model.ts';
import { listOrders, putOrder } from '../../src/app/orders/repo.ts';
import { toHex } from '../../src/core/bytes.ts';
import { orderReply } from '../../src/node/plugins/bitcoin/fiduciary.ts';
import { generateShare, publicKeyOf } from '../../src/plugins/bitcoin/keys.ts';
import { makeHome, type RunningNode, startInProcess, tempDir } from '../node/harness.ts';
import { type Device, device } from './orders-world.ts';

const cleanups: Array<() => Promise<void>> = [];
let node: RunningNode;
let bea: Device; // beneficiary
let paul: Device; // principal

beforeAll(async () => {
  const t = await tempDir('dta-app-btc-other-');
  cleanups.push(t.cleanup);
  node = await startInProcess(await makeHome(t.dir, { name: 'bitcoin fiduciary' }));
  cleanups.push(() => node.close());
  bea = await device('bea');
  paul = await device('paul');
  await addNode(bea.deps, node.url); // registers bea with the node
  await addNode(paul.deps, node.url);
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

const bitcoinSummaryOf = (o: OrderRecord) => {
  if (o.summary?.kind !== 'bitcoin') throw new Error('not a bitcoin summary');
  return o.summary;
};

describe('a Bitcoin key for another identity, by its key card', () => {
  let cardText: string;
  let orderId: string;
  let address: string;

  it('the beneficiary makes a key card: a fresh index, its B, signed by its identity', async () => {
    const card = await createKeyCard(bea.deps, 'regtest');
    expect(card.index).toBe(0);
    cardText = keyCardText(card.bytes);
    const read = parseKeyCard(cardText);
    expect(read.signer.toString()).toBe(bea.cid);
    expect(toHex(read.beneficiaryPublicKey)).toBe(toHex(await bea.crypto.bitcoin.publicKey('regtest', 0)));
    // Its own next order does not take the card's index.
    const own = await orderBitcoin(bea.deps, { node: node.url, network: 'regtest', addressType: 'p2wpkh' });
    expect(own.order.bitcoin?.index).toBe(1);
  });

  it("the principal orders with the card: the beneficiary is the card's signer, no key index is stored", async () => {
    const { order } = await orderBitcoin(paul.deps, {
      node: node.url,
      network: 'regtest',
      addressType: 'p2tr',
      card: cardText,
      label: 'for Bea',
    });
    orderId = order.id;
    expect(order).toMatchObject({
      plugin: 'bitcoin',
      role: 'principal',
      principal: paul.cid,
      beneficiary: bea.cid,
      state: 'open',
      label: 'for Bea',
    });
    expect(order.bitcoin).toBeUndefined();
    const s = bitcoinSummaryOf(order);
    expect(s.address).toMatch(/^bcrt1p/);
    expect(s.beneficiaryPublicKey).toBe(toHex(parseKeyCard(cardText).beneficiaryPublicKey));
    address = s.address;
    // The node's view: between these two identities.
    const view = (await (await fetch(`${node.url}/v1/orders/${orderId}`)).json()) as {
      order: { principal: string; beneficiary: string };
    };
    expect(view.order).toMatchObject({ principal: paul.cid, beneficiary: bea.cid });
    // The card is marked used, with the order.
    expect(await listKeyCards(paul.deps, paul.cid)).toMatchObject([{ kind: 'used', signer: bea.cid, order: orderId }]);
  });

  it('the same card is refused for a second order', async () => {
    await expect(
      orderBitcoin(paul.deps, { node: node.url, network: 'regtest', addressType: 'p2wpkh', card: cardText }),
    ).rejects.toMatchObject({
      name: 'InputError',
      field: 'card',
      message: expect.stringContaining('already used this key card'),
    });
    expect((await listOrders(paul.deps, paul.cid)).length).toBe(1);
  });

  it("a card for another network, a card with a broken signature, one's own card and an identity the node does not know are refused", async () => {
    const testnet = keyCardText((await createKeyCard(bea.deps, 'testnet')).bytes);
    await expect(
      orderBitcoin(paul.deps, { node: node.url, network: 'regtest', addressType: 'p2wpkh', card: testnet }),
    ).rejects.toMatchObject({
      name: 'InputError',
      field: 'card',
      message: expect.stringContaining('for testnet, but the order is for regtest'),
    });

    const fresh = await createKeyCard(bea.deps, 'regtest');
    const broken = Uint8Array.from(fresh.bytes);
    broken[broken.length - 1]! ^= 1; // the last byte of the BLS signature
    await expect(
      orderBitcoin(paul.deps, { node: node.url, network: 'regtest', addressType: 'p2wpkh', card: keyCardText(broken) }),
    ).rejects.toMatchObject({
      name: 'InputError',
      field: 'card',
      message: expect.stringContaining('signature does not verify'),
    });

    const mine = keyCardText((await createKeyCard(paul.deps, 'regtest')).bytes);
    await expect(
      orderBitcoin(paul.deps, { node: node.url, network: 'regtest', addressType: 'p2wpkh', card: mine }),
    ).rejects.toMatchObject({
      name: 'InputError',
      field: 'card',
      message: expect.stringContaining('your own key cards'),
    });

    const stranger = await bea.stranger('stranger'); // never added the node
    const unknown = keyCardText((await createKeyCard(stranger.deps, 'regtest')).bytes);
    await expect(
      orderBitcoin(paul.deps, { node: node.url, network: 'regtest', addressType: 'p2wpkh', card: unknown }),
    ).rejects.toMatchObject({
      name: 'InputError',
      field: 'beneficiary',
      message: expect.stringContaining('does not know that identity'),
    });

    // None of these placed an order or left a "used" mark.
    expect((await listOrders(paul.deps, paul.cid)).length).toBe(1);
    expect((await listKeyCards(paul.deps, paul.cid)).filter((c) => c.kind === 'used')).toHaveLength(1);
    // The unbroken card still works.
    const { order } = await orderBitcoin(paul.deps, {
      node: node.url,
      network: 'regtest',
      addressType: 'p2wpkh',
      card: keyCardText(fresh.bytes),
    });
    expect(order.beneficiary).toBe(bea.cid);
  });

  it('the principal cannot retrieve the key', async () => {
    await expect(retrieveBitcoin(paul.deps, orderId, { name: 'paul' })).rejects.toMatchObject({
      name: 'InputError',
      field: 'order',
    });
  });

  it('the beneficiary imports the order and recovers the key of the address the principal saw', async () => {
    const imported = await importOrder(bea.deps, node.url, orderId, summarizeBitcoin);
    expect(imported).toMatchObject({ role: 'beneficiary', principal: paul.cid, beneficiary: bea.cid });
    expect(bitcoinSummaryOf(imported).address).toBe(address);
    const { key } = await retrieveBitcoin(bea.deps, orderId, { name: 'bea' });
    expect(key.address).toBe(address);
    expect(toHex(secp256k1.getPublicKey(key.privateKey, true))).toBe(toHex(key.publicKey));
    const stored = (await listOrders(bea.deps, bea.cid)).find((o) => o.id === orderId)!;
    expect(stored.bitcoin).toMatchObject({ network: 'regtest', index: 0 });
  });

  it('a card whose index lies beyond the search range is found through the reserved cards', async () => {
    // Orders up to index INDEX_SEARCH + 9 (e.g. from long use) push the next card past the plain search.
    await putOrder(bea.deps, {
      owner: bea.cid,
      id: 'bafy-placeholder-high-index',
      plugin: 'bitcoin',
      node: node.url,
      nodeIdentity: '',
      principal: bea.cid,
      beneficiary: bea.cid,
      role: 'both',
      created: 1,
      updated: 1,
      state: 'failed',
      envelopes: [],
      bitcoin: { network: 'regtest', addressType: 'p2wpkh', index: INDEX_SEARCH + 9 },
    });
    const card = await createKeyCard(bea.deps, 'regtest');
    expect(card.index).toBe(INDEX_SEARCH + 10);
    const { order } = await orderBitcoin(paul.deps, {
      node: node.url,
      network: 'regtest',
      addressType: 'p2wpkh',
      card: keyCardText(card.bytes),
    });
    await importOrder(bea.deps, node.url, order.id, summarizeBitcoin);
    const { key } = await retrieveBitcoin(bea.deps, order.id, { name: 'bea' });
    expect(key.address).toBe(bitcoinSummaryOf(order).address);
    expect((await listOrders(bea.deps, bea.cid)).find((o) => o.id === order.id)!.bitcoin).toMatchObject({
      index: INDEX_SEARCH + 10,
    });
  });

  it('expired cards and cards made before cards expired are refused, with a message to ask for a new one', async () => {
    const card = keyCardText((await createKeyCard(bea.deps, 'regtest')).bytes);
    const in31days = { ...paul.deps, now: () => Date.now() + 31 * 86_400_000 };
    await expect(
      orderBitcoin(in31days, { node: node.url, network: 'regtest', addressType: 'p2wpkh', card }),
    ).rejects.toMatchObject({
      name: 'InputError',
      field: 'card',
      message: expect.stringMatching(/expired on \d{4}-\d\d-\d\d: ask the beneficiary for a new card/),
    });
    // A card as the app made them before (no expiry): refused by the app, and by the node for anyone who bypasses it.
    const signer = (await bea.crypto.signer())!;
    const B = await bea.crypto.bitcoin.publicKey('regtest', 900);
    const old = await signer.createEnvelope({
      type: 'bitcoin/key',
      content: { network: 'regtest', beneficiaryPublicKey: B },
    });
    await expect(
      orderBitcoin(paul.deps, {
        node: node.url,
        network: 'regtest',
        addressType: 'p2wpkh',
        card: keyCardText(old.bytes),
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      field: 'card',
      message: expect.stringContaining('made before key cards expired'),
    });
    expect(
      (await listKeyCards(paul.deps, paul.cid)).filter((c) => c.kind === 'used' && c.publicKey === toHex(B)),
    ).toHaveLength(0);
  });

  it("a reply whose echoed statement or B is not the beneficiary's is refused by the beneficiary's app, no address shown", async () => {
    const card = await createKeyCard(bea.deps, 'regtest');
    const placed = await orderBitcoin(paul.deps, {
      node: node.url,
      network: 'regtest',
      addressType: 'p2wpkh',
      card: keyCardText(card.bytes),
    });
    const asBea: OrderRecord = { ...placed.order, owner: bea.cid, role: 'beneficiary', envelopes: [] };
    const { summary: _, ...unsummarized } = asBea;
    // The node's genuine reply: the echoed card is bea's and states the reply's B.
    expect((await summarizeBitcoin(placed.content, unsummarized, bea.crypto)).kind).toBe('bitcoin');
    // Replies a dishonest node (or principal) could make, each with a valid proof of f for its own B.
    const forged = (beneficiaryPublicKey: Uint8Array, statement?: Uint8Array) =>
      orderReply(
        generateShare(),
        asBea.id,
        { network: 'regtest', addressType: 'p2wpkh', beneficiaryPublicKey },
        statement,
      );
    const paulsCard = await createKeyCard(paul.deps, 'regtest');
    const bPrime = publicKeyOf(generateShare());
    const cases = [
      forged(bPrime, card.bytes), // bea's card echoed, another B (f + b′)
      forged(bPrime), // another B, no statement
      forged(await paul.crypto.bitcoin.publicKey('regtest', paulsCard.index), paulsCard.bytes), // someone else's card and B
    ];
    for (const content of cases) {
      await expect(summarizeBitcoin(content, unsummarized, bea.crypto)).rejects.toMatchObject({
        name: 'ReplyError',
        message: expect.stringMatching(/not one of yours.*do not send funds to it/),
      });
    }
    expect((await listOrders(bea.deps, bea.cid)).some((o) => o.id === asBea.id)).toBe(false);
  });
});
