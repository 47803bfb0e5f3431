/**
 * The app's Bitcoin flow against a real node: the order carries a key
 * statement signed in the (in-process) worker, the reply is verified before
 * the address is shown, retrieval recombines f + b in the worker and the
 * key owns the address; an order imported on a second device of the same
 * identity finds its key index; only the beneficiary retrieves.
 */

import { secp256k1 } from '@noble/curves/secp256k1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nextIndex,
  orderBitcoin,
  retrieveBitcoin,
  retrieveBitcoinAddress,
  summarizeBitcoin,
} from '../../src/app/bitcoin/flow.ts';
import { listKeyCards } from '../../src/app/bitcoin/keycard.ts';
import { addNode } from '../../src/app/nodes/registry.ts';
import { importOrder, verifyOrder } from '../../src/app/orders/flow.ts';
import { listOrders } from '../../src/app/orders/repo.ts';
import { toHex } from '../../src/core/bytes.ts';
import { makeHome, type RunningNode, startInProcess, tempDir } from '../node/harness.ts';
import { type Device, device } from './orders-world.ts';

const cleanups: Array<() => Promise<void>> = [];
let node: RunningNode;
let alice: Device;

beforeAll(async () => {
  const t = await tempDir('dta-app-btc-');
  cleanups.push(t.cleanup);
  node = await startInProcess(await makeHome(t.dir, { name: 'bitcoin fiduciary' }));
  cleanups.push(() => node.close());
  alice = await device('alice');
  await addNode(alice.deps, node.url);
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('Bitcoin keys through the app data modules', () => {
  let first: string;
  let address: string;

  it('orders a key: the address is verified and shown before anything is retrieved', async () => {
    const { order } = await orderBitcoin(alice.deps, {
      node: node.url,
      network: 'regtest',
      addressType: 'p2tr',
      label: 'savings',
    });
    first = order.id;
    expect(order).toMatchObject({
      plugin: 'bitcoin',
      role: 'both',
      state: 'open',
      bitcoin: { network: 'regtest', addressType: 'p2tr', index: 0 },
    });
    const s = order.summary!;
    if (s.kind !== 'bitcoin') throw new Error('not a bitcoin summary');
    expect(s.address).toMatch(/^bcrt1p/);
    expect(s.addresses.p2wpkh).toMatch(/^bcrt1q/);
    expect(s.beneficiaryPublicKey).toBe(toHex(await alice.crypto.bitcoin.publicKey('regtest', 0)));
    address = s.address;
  });

  it('each order uses its own key index', async () => {
    const { order } = await orderBitcoin(alice.deps, { node: node.url, network: 'regtest', addressType: 'p2wpkh' });
    expect(order.bitcoin?.index).toBe(1);
    expect(nextIndex(await listOrders(alice.deps, alice.cid))).toBe(2);
  });

  it('retrieves the key as beneficiary: f + b owns the committed address', async () => {
    const { order, key } = await retrieveBitcoin(alice.deps, first, { name: 'alice' });
    expect(order.state).toBe('redeemed');
    expect(key.address).toBe(address);
    expect(toHex(secp256k1.getPublicKey(key.privateKey, true))).toBe(toHex(key.publicKey));
    expect(key.wif).toMatch(/^c/); // testnet/regtest compressed WIF
    const again = await retrieveBitcoin(alice.deps, first, { name: 'alice' });
    expect(again.key.wif).toBe(key.wif);
  });

  it('the key only on a fresh confirmation; the address without one', async () => {
    const { address: shown } = await retrieveBitcoinAddress(alice.deps, first);
    expect(shown.address).toBe(address);
    expect(shown).not.toHaveProperty('privateKey');
    await expect(retrieveBitcoin(alice.deps, first, { name: 'mallory' })).rejects.toMatchObject({
      name: 'SecretBoundaryError',
      message: expect.stringMatching(/needs a fresh confirmation/),
    });
  });

  it('the chain verifies', async () => {
    const o = await verifyOrder(alice.deps, first);
    expect(o.check).toMatchObject({ verified: true });
    expect(o.check!.steps.map((s) => s.type)).toEqual([
      'bitcoin/order',
      'bitcoin/order-reply',
      'bitcoin/redeem',
      'bitcoin/redeem-reply',
    ]);
  });

  it('on another device of the same identity, an imported order finds its key index and retrieves the key', async () => {
    const other = await alice.clone();
    await addNode(other.deps, node.url);
    const imported = await importOrder(other.deps, node.url, first, summarizeBitcoin);
    expect(imported.bitcoin).toBeUndefined();
    expect(imported.summary).toMatchObject({ kind: 'bitcoin', address });
    const { key, order } = await retrieveBitcoin(other.deps, first, { name: 'alice' });
    expect(key.address).toBe(address);
    expect(order.bitcoin).toBeUndefined(); // the returned record predates the index search; the stored one has it
    expect((await listOrders(other.deps, alice.cid))[0]!.bitcoin).toMatchObject({ index: 0 });
  });

  it('only the beneficiary retrieves', async () => {
    const mallory = await alice.stranger('mallory');
    await addNode(mallory.deps, node.url);
    await expect(importOrder(mallory.deps, node.url, first, summarizeBitcoin)).rejects.toMatchObject({
      name: 'InputError',
    });
  });

  it('two orders started at once (two tabs) reserve different key indexes, and no placeholder is left', async () => {
    const before = nextIndex(await listOrders(alice.deps, alice.cid));
    const [a, b] = await Promise.all([
      orderBitcoin(alice.deps, { node: node.url, network: 'regtest', addressType: 'p2wpkh' }),
      orderBitcoin(alice.deps, { node: node.url, network: 'regtest', addressType: 'p2wpkh' }),
    ]);
    expect([a.order.bitcoin!.index, b.order.bitcoin!.index].sort()).toEqual([before, before + 1]);
    expect(a.order.summary).not.toEqual(b.order.summary);
    expect(await listKeyCards(alice.deps, alice.cid)).toEqual([]);
  });
});
