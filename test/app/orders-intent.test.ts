/**
 * Issue 16, finding 4: the beneficiary sees the principal's intent and trusts no unsigned field. Against a real
 * node: an order made by the app is sealed to the node and the beneficiary, whose app reads and checks it; a node
 * that pairs Alice's order for Bob with a reply naming Carol (built here with the node's own keys) is refused by
 * Carol's app by name; JSON fields of GET /v1/orders/{id} changed on the way (principal, status, head) change
 * nothing the app shows; an order made before intents is shown as such and still retrieved with today's checks.
 */
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNode, sessionFor } from '../../src/app/nodes/registry.ts';
import { importOrder, verifyOrder } from '../../src/app/orders/flow.ts';
import { putOrder } from '../../src/app/orders/repo.ts';
import { intentTitle } from '../../src/app/orders/titles.ts';
import { orderSafeguard, retrieveSafeguard, summarizeSafeguard } from '../../src/app/safeguard/flow.ts';
import { describeError } from '../../src/app/ui/errors.ts';
import type { Fetch } from '../../src/core/api/http.ts';
import { printableText, toBase64, utf8 } from '../../src/core/bytes.ts';
import { createEnvelope, decodeEnvelope, recipientOf } from '../../src/core/protocol/index.ts';
import { INTENTS_REQUIRED_FROM, IntentError } from '../../src/core/protocol/intent.ts';
import { commitmentOf } from '../../src/plugins/safeguard/commitment.ts';
import { makeHome, type RunningNode, sharedCore, startInProcess, tempDir } from '../node/harness.ts';
import { type Device, device } from './orders-world.ts';

type Rewrite = (url: string, body: { order: Record<string, unknown>; history: Record<string, unknown>[] }) => unknown;

const cleanups: Array<() => Promise<void>> = [];
let node: RunningNode;
/** A node whose clock a test sets (an order signed before the intents cut-over is fresh to it then). */
let oldNode: RunningNode;
let oldClock: () => number = Date.now;
let alice: Device, bob: Device, carol: Device;
let rewrite: Rewrite | undefined; // what the "network" does to GET /v1/orders/{id} answers for bob and carol

/** The global fetch, except that order views pass through `rewrite` when a test sets it. */
const tampering: Fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (!rewrite || (init.method ?? 'GET') !== 'GET' || !/\/v1\/orders\/[a-z0-9]+$/.test(input)) return res;
  const changed = rewrite(input, res.status === 200 ? await res.json() : undefined!);
  return new Response(JSON.stringify(changed), { status: 200, headers: { 'content-type': 'application/json' } });
};

beforeAll(async () => {
  const t = await tempDir('dta-app-intent-');
  cleanups.push(t.cleanup);
  node = await startInProcess(await makeHome(t.dir, { name: 'fiduciary' }));
  cleanups.push(() => node.close());
  oldNode = await startInProcess(await makeHome(join(t.dir, 'old'), { name: 'old fiduciary' }), {
    now: () => oldClock(),
  });
  cleanups.push(() => oldNode.close());
  alice = await device('alice');
  bob = await device('bob', { fetch: tampering });
  carol = await device('carol', { fetch: tampering });
  for (const d of [alice, bob, carol]) for (const n of [node, oldNode]) await addNode(d.deps, n.url);
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe("the principal's intent, read by the beneficiary", () => {
  it('an order made by the app is sealed to the node and the beneficiary, who reads it and retrieves against it', async () => {
    const { order } = await orderSafeguard(alice.deps, {
      node: node.url,
      beneficiary: bob.cid,
      secret: utf8('4711'),
      label: 'safe',
    });
    const first = decodeEnvelope(order.envelopes[0]!.bytes).value.header;
    expect(first.recipients.map(String)).toEqual([node.rt.identity.cid.toString(), bob.cid]);
    expect(order.intent).toEqual({ kind: 'intent' });
    const imported = await importOrder(bob.deps, node.url, order.id, summarizeSafeguard);
    expect(imported).toMatchObject({
      role: 'beneficiary',
      principal: alice.cid,
      beneficiary: bob.cid,
      intent: { kind: 'intent' },
    });
    expect(intentTitle(imported)).toMatch(/signed by the principal/);
    const { secret } = await retrieveSafeguard(bob.deps, order.id);
    expect(printableText(secret)).toBe('4711');
    // The principal on another device: it signed the first step, sealed to the node and bob, not to itself.
    const elsewhere = await alice.clone();
    await addNode(elsewhere.deps, node.url);
    const own = await importOrder(elsewhere.deps, node.url, order.id, summarizeSafeguard);
    expect(own).toMatchObject({
      role: 'principal',
      principal: alice.cid,
      beneficiary: bob.cid,
      intent: { kind: 'intent' },
    });
  });

  it("a node pairing Alice's order for Bob with a reply naming Carol: Carol's app refuses it by name", async () => {
    const { order } = await orderSafeguard(alice.deps, {
      node: node.url,
      beneficiary: bob.cid,
      secret: utf8('for bob'),
    });
    const core = await sharedCore();
    const first = order.envelopes[0]!;
    const forged = await createEnvelope(core.bls, node.self.secrets.bls, {
      type: 'safeguard/order-reply',
      sender: node.self.identity.cid,
      recipients: [recipientOf(alice.identity), recipientOf(carol.identity)],
      previous: CID.parse(first.cid),
      order: order.id,
      content: {
        order: order.id,
        beneficiary: carol.identity.cid,
        size: 7,
        generated: false,
        commitment: commitmentOf(order.id, utf8('for bob')),
      },
      sealed: true,
      created: first.created,
    });
    rewrite = (_url, body) => ({
      order: { ...body.order, beneficiary: carol.cid, head: forged.cid.toString() },
      history: [
        body.history[0],
        {
          cid: forged.cid.toString(),
          type: 'safeguard/order-reply',
          sender: node.self.identity.cid.toString(),
          recipients: [alice.cid, carol.cid],
          created: first.created,
          envelope: toBase64(forged.bytes),
        },
      ],
    });
    try {
      await expect(importOrder(carol.deps, node.url, order.id, summarizeSafeguard)).rejects.toMatchObject({
        name: 'IntentError',
        reason: 'not_addressed',
      });
    } finally {
      rewrite = undefined;
    }
  });

  it('tampered JSON (principal, status, head) changes nothing: the app shows what the envelopes say', async () => {
    const { order } = await orderSafeguard(alice.deps, { node: node.url, beneficiary: bob.cid, secret: utf8('kept') });
    const reply = order.envelopes[1]!.cid;
    rewrite = (_url, body) => ({
      ...body,
      order: { ...body.order, principal: carol.cid, status: 'redeemed', head: order.id },
    });
    try {
      const imported = await importOrder(bob.deps, node.url, order.id, summarizeSafeguard);
      expect(imported).toMatchObject({ principal: alice.cid, beneficiary: bob.cid, state: 'open', head: reply });
      const verified = await verifyOrder(bob.deps, order.id);
      expect(verified).toMatchObject({ state: 'open', head: reply, check: { verified: true } });
      const { secret, order: redeemed } = await retrieveSafeguard(bob.deps, order.id);
      expect(printableText(secret)).toBe('kept');
      expect(redeemed.state).toBe('redeemed');
    } finally {
      rewrite = undefined;
    }
  });

  it('an order made before intents (sealed to the node alone, signed before the cut-over) is shown and retrieved', async () => {
    const before = INTENTS_REQUIRED_FROM - 86_400_000;
    oldClock = () => before;
    const session = await sessionFor(alice.deps, oldNode.url);
    const old = await session.postOrder(
      await session.request({
        type: 'safeguard/order',
        content: { beneficiary: bob.identity.cid, secret: utf8('old way') },
        created: before,
      }),
    );
    oldClock = Date.now;
    const id = old.request.cid.toString();
    const imported = await importOrder(bob.deps, oldNode.url, id, summarizeSafeguard);
    expect(imported).toMatchObject({ principal: alice.cid, beneficiary: bob.cid, intent: { kind: 'before-intents' } });
    expect(intentTitle(imported)).toBe("Made before intents: the principal's wishes cannot be checked");
    expect(intentTitle({ role: 'beneficiary' })).toBe(intentTitle(imported)); // a record stored before intents
    // A record stored before this change took its parties from the node's JSON: importing again corrects them.
    const { intent: _, ...stored } = imported;
    await putOrder(bob.deps, { ...stored, principal: carol.cid });
    expect(await importOrder(bob.deps, oldNode.url, id, summarizeSafeguard)).toMatchObject({ principal: alice.cid });
    const { secret } = await retrieveSafeguard(bob.deps, id);
    expect(printableText(secret)).toBe('old way');
  });

  it('an order sealed to the node alone but signed after the cut-over is refused: a downgrade, not an old order', async () => {
    const core = await sharedCore();
    const session = await sessionFor(alice.deps, node.url);
    const first = await session.request({
      type: 'safeguard/order',
      content: { beneficiary: carol.identity.cid, secret: utf8('x') },
    });
    const id = first.cid.toString();
    const created = decodeEnvelope(first.bytes).value.header.created;
    const forged = await createEnvelope(core.bls, node.self.secrets.bls, {
      type: 'safeguard/order-reply',
      sender: node.self.identity.cid,
      recipients: [recipientOf(alice.identity), recipientOf(carol.identity)],
      previous: first.cid,
      order: id,
      content: {
        order: id,
        beneficiary: carol.identity.cid,
        size: 1,
        generated: false,
        commitment: commitmentOf(id, utf8('x')),
      },
      sealed: true,
      created,
    });
    const entry = (cid: string, type: string, sender: string, recipients: string[], bytes: Uint8Array) => ({
      cid,
      type,
      sender,
      recipients,
      created,
      envelope: toBase64(bytes),
    });
    const node_ = node.self.identity.cid.toString();
    rewrite = () => ({
      order: {
        id,
        plugin: 'safeguard',
        principal: alice.cid,
        beneficiary: carol.cid,
        head: forged.cid.toString(),
        history: [id, forged.cid.toString()],
        status: 'open',
        created,
      },
      history: [
        entry(id, 'safeguard/order', alice.cid, [node_], first.bytes),
        entry(forged.cid.toString(), 'safeguard/order-reply', node_, [alice.cid, carol.cid], forged.bytes),
      ],
    });
    try {
      await expect(importOrder(carol.deps, node.url, id, summarizeSafeguard)).rejects.toMatchObject({
        name: 'IntentError',
        reason: 'intent_missing',
        message: expect.stringMatching(/after/),
      });
      expect(describeError(new IntentError('intent_missing', 'x')).message).toMatch(
        /^This order carries no intent signed/,
      );
    } finally {
      rewrite = undefined;
    }
  });
});
