/**
 * The safeguard flow of the app's data modules against a real node (real
 * Helia, real HTTP on 127.0.0.1): two devices (principal and beneficiary,
 * each its own identity and IndexedDB), orders for oneself and for someone
 * else, a generated secret, retrieval with the commitment checked, the
 * chain verified online and offline (and a tampered envelope caught), a
 * lost reply recovered by sending the same envelope again, refusals that
 * leave the order failed and nothing pending.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNode } from '../../src/app/nodes/registry.ts';
import { importOrder, resendOrder, verifyOrder } from '../../src/app/orders/flow.ts';
import { getOrder, listOrders, putOrder } from '../../src/app/orders/repo.ts';
import { orderSafeguard, retrieveSafeguard, summarizeSafeguard } from '../../src/app/safeguard/flow.ts';
import { printableText, utf8 } from '../../src/core/bytes.ts';
import { makeHome, type RunningNode, startInProcess, tempDir } from '../node/harness.ts';
import { type Device, device } from './orders-world.ts';

const cleanups: Array<() => Promise<void>> = [];
let node: RunningNode;
let alice: Device;
let bob: Device;

beforeAll(async () => {
  const t = await tempDir('dta-app-sg-');
  cleanups.push(t.cleanup);
  node = await startInProcess(await makeHome(t.dir, { name: 'fiduciary' }));
  cleanups.push(() => node.close());
  alice = await device('alice');
  bob = await device('bob');
  await addNode(alice.deps, node.url);
  await addNode(bob.deps, node.url);
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('safeguard through the app data modules', () => {
  let forBob: string;

  it('a principal deposits a typed secret for another identity; the node commits to exactly that secret', async () => {
    const { order } = await orderSafeguard(alice.deps, {
      node: node.url,
      beneficiary: bob.cid,
      secret: utf8('the vault code is 4711'),
      label: 'vault',
    });
    forBob = order.id;
    expect(order).toMatchObject({
      state: 'open',
      role: 'principal',
      principal: alice.cid,
      beneficiary: bob.cid,
      label: 'vault',
    });
    expect(order.pending).toBeUndefined();
    expect(order.summary).toMatchObject({ kind: 'safeguard', size: 22, generated: false, label: 'vault' });
    expect(order.envelopes.map((e) => e.type)).toEqual(['safeguard/order', 'safeguard/order-reply']);
    expect(order.head).toBe(order.envelopes[1]!.cid);
  });

  it('the beneficiary imports the order by id, retrieves the secret, and the commitment matches', async () => {
    const imported = await importOrder(bob.deps, node.url, forBob, summarizeSafeguard);
    expect(imported).toMatchObject({ role: 'beneficiary', state: 'open', summary: { kind: 'safeguard', size: 22 } });
    const { order, secret } = await retrieveSafeguard(bob.deps, forBob);
    expect(printableText(secret)).toBe('the vault code is 4711');
    expect(order.state).toBe('redeemed');
    expect(order.envelopes.map((e) => e.type)).toEqual([
      'safeguard/order',
      'safeguard/order-reply',
      'safeguard/redeem',
      'safeguard/redeem-reply',
    ]);
    // Retrieving again re-opens the redemption kept on the node (sealed to bob); nothing new is sent.
    const again = await retrieveSafeguard(bob.deps, forBob);
    expect(printableText(again.secret)).toBe('the vault code is 4711');
    expect(again.order.envelopes).toHaveLength(4);
  });

  it('only the beneficiary can retrieve', async () => {
    await expect(retrieveSafeguard(alice.deps, forBob)).rejects.toMatchObject({ name: 'InputError' });
  });

  it('the chain verifies online (node API) and offline (stored envelopes), with its marks', async () => {
    const online = await verifyOrder(alice.deps, forBob);
    expect(online.state).toBe('redeemed');
    const check = online.check!;
    expect(check.verified).toBe(true);
    expect(check.steps).toHaveLength(4);
    for (const s of check.steps)
      expect(s).toMatchObject({ cidVerified: true, signatureVerified: true, onChain: true, via: 'http' });
    expect(check.steps.map((s) => s.sender)).toEqual([
      alice.cid,
      node.rt.identity.cid.toString(),
      bob.cid,
      node.rt.identity.cid.toString(),
    ]);
    expect(check.steps.every((s) => s.sealed)).toBe(true);
    expect(check.identities[bob.cid]).toMatchObject({ name: 'bob' });
    expect(check.identities[node.rt.identity.cid.toString()]).toMatchObject({ name: 'fiduciary' });

    const offline = await verifyOrder(alice.deps, forBob, { offline: true });
    expect(offline.check!.verified).toBe(true);
    expect(offline.check!.steps.every((s) => s.via === 'stored' && s.signatureVerified)).toBe(true);
  });

  it('a stored envelope altered on the device is caught by the offline check', async () => {
    const o = await getOrder(alice.deps, alice.cid, forBob);
    const bad = o.envelopes.map((e, i) =>
      i === 2 ? { ...e, bytes: Uint8Array.from(e.bytes, (b, j) => (j === 40 ? b ^ 1 : b)) } : e,
    );
    await putOrder(alice.deps, { ...o, envelopes: bad });
    const checked = await verifyOrder(alice.deps, forBob, { offline: true });
    expect(checked.check!.verified).toBe(false);
    expect(checked.check!.steps[2]).toMatchObject({ cidVerified: false, signatureVerified: false });
    expect(checked.check!.steps[0]).toMatchObject({ cidVerified: true, signatureVerified: true });
    await putOrder(alice.deps, o);
  });

  it('a secret for oneself, generated by the node: the principal never sees it until retrieving it', async () => {
    const { order } = await orderSafeguard(alice.deps, { node: node.url, beneficiary: 'me', generate: 32 });
    expect(order).toMatchObject({ role: 'both', summary: { kind: 'safeguard', size: 32, generated: true } });
    const { secret } = await retrieveSafeguard(alice.deps, order.id);
    expect(secret).toHaveLength(32);
    expect((await listOrders(alice.deps, alice.cid)).map((o) => o.id)).toContain(order.id);
  });

  it('a reply lost after the node committed: the same envelope is sent again and the reply read back', async () => {
    let drop = true;
    const lossy: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (drop && init?.method === 'POST' && String(input).endsWith('/v1/orders')) {
        drop = false;
        throw new TypeError('fetch failed'); // the node committed, the reply never arrived
      }
      return res;
    };
    const carol = await device('carol', { fetch: lossy });
    await addNode(carol.deps, node.url);
    const placed = await orderSafeguard(carol.deps, { node: node.url, beneficiary: 'me', secret: utf8('x') });
    // The session sent the same bytes again: 409 replay, then the reply from the order's history.
    expect(placed.order.state).toBe('open');
    expect(placed.order.summary).toMatchObject({ size: 1 });
    expect(placed.order.envelopes[0]!.cid).toBe(placed.order.id);
  });

  it('a pending order whose reply was never read is completed by resending it', async () => {
    let fail = true;
    const down: typeof fetch = async (input, init) => {
      if (fail && init?.method === 'POST' && String(input).endsWith('/v1/orders')) {
        await fetch(input, init); // reaches the node, which commits …
        throw new TypeError('fetch failed'); // … and every reply is lost
      }
      return fetch(input, init);
    };
    const dave = await device('dave', { fetch: down });
    await addNode(dave.deps, node.url);
    await expect(
      orderSafeguard(dave.deps, { node: node.url, beneficiary: 'me', secret: utf8('y') }),
    ).rejects.toMatchObject({ name: 'NodeUnreachableError' });
    const [pending] = await listOrders(dave.deps, dave.cid);
    expect(pending).toMatchObject({ state: 'sending', pending: { step: 'order' } });
    fail = false;
    const { order } = await resendOrder(dave.deps, pending!.id, summarizeSafeguard);
    expect(order).toMatchObject({ id: pending!.id, state: 'open' });
    expect(order.pending).toBeUndefined();
  }, 30_000);

  it('refusals: an identity the node does not know as beneficiary, bad sizes; nothing stays pending', async () => {
    const stranger = await device('stranger');
    await expect(
      orderSafeguard(alice.deps, { node: node.url, beneficiary: stranger.cid, secret: utf8('z') }),
    ).rejects.toMatchObject({ name: 'InputError', field: 'beneficiary' });
    await expect(
      orderSafeguard(alice.deps, { node: node.url, beneficiary: 'not a cid', secret: utf8('z') }),
    ).rejects.toMatchObject({ name: 'InputError' });
    await expect(orderSafeguard(alice.deps, { node: node.url, beneficiary: 'me', generate: 8 })).rejects.toMatchObject({
      name: 'InputError',
      field: 'generate',
    });
    await expect(
      orderSafeguard(alice.deps, { node: node.url, beneficiary: 'me', secret: new Uint8Array(0) }),
    ).rejects.toMatchObject({ name: 'InputError' });
    expect((await listOrders(alice.deps, alice.cid)).every((o) => o.state !== 'sending')).toBe(true);
  });

  it('a locked identity cannot order', async () => {
    alice.setLocked(true);
    try {
      await expect(
        orderSafeguard(alice.deps, { node: node.url, beneficiary: 'me', generate: 16 }),
      ).rejects.toMatchObject({ name: 'NotReadyError' });
    } finally {
      alice.setLocked(false);
    }
  });
});
