// Threshold custody against five separate `dta serve` processes, t = 3: the principal deals a secret to all five
// (in parallel), the beneficiary retrieves it from any three; two nodes killed, one node whose kept share was
// altered on disk (named, skipped), the keystores of two nodes' homes (t − 1) that recover nothing with the
// project's own recovery code while three do, a share that fails the commitments refused before commit, a group
// that does not list the node, a group signed by someone else than the sender, a second order for a group, and a
// node killed (kill -9) in the middle of ordering whose order completes after its restart.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { utf8 } from '../../src/core/bytes.ts';
import type { Core } from '../../src/core/types.ts';
import { homePaths } from '../../src/node/config.ts';
import { FileKeystore, scopeKeystore } from '../../src/node/keystore/file-keystore.ts';
import { holdingName, keepHolding, readHolding } from '../../src/node/plugins/custody/holding.ts';
import { ciphertextCid, decryptSecret } from '../../src/plugins/custody/cipher.ts';
import { type CustodyDeal, dealCustody } from '../../src/plugins/custody/deal.ts';
import {
  CustodyIncompleteError,
  custodyOrder,
  type NodeProgress,
  placeCustodyOrders,
} from '../../src/plugins/custody/order.ts';
import { custodyRetrieve } from '../../src/plugins/custody/retrieve.ts';
import { SHARE_TYPE } from '../../src/plugins/custody/schema.ts';
import { useFleet } from './fleet-for-file.ts';
import { aliceBobMallory, PASS, sharedCore } from './harness.ts';

const T = 3;
const N = 5;
const setup = useFleet('dta-custody-', N, ['custody']);
let core: Core;
let alice: KeyIdentity, bob: KeyIdentity, mallory: KeyIdentity;

const sign = (me: KeyIdentity) => (m: Uint8Array) => core.bls.sign(me.secrets.bls, m);
const secretOf = (text: string) => utf8(`custody test secret: ${text}`);

/** Deals `secret` to all five nodes as Alice for Bob; the placed orders, by node position. */
async function order(secret: Uint8Array, progress?: NodeProgress[]) {
  const sessions = await setup.fleet.sessionsAs(alice);
  const input = { secret, beneficiary: bob.identity, t: T };
  const { deal, placed } = await custodyOrder(core, sessions, sign(alice), input, {
    onProgress: (p) => progress?.push(p),
  });
  return { deal, orders: placed.map((p) => p.order) };
}

/** Bob's holders: a session with each running node among `at` (positions), and the order it holds. */
async function holders(orders: string[], at: readonly number[] = [0, 1, 2, 3, 4]) {
  const sessions = await setup.fleet.sessionsAs(bob);
  return at.map((i) => ({ session: sessions[i]!, order: orders[i]! }));
}

/** The keystore of node `i`'s home, scoped to the custody plugin (the node may be running: reads only). */
async function keystoreOf(i: number) {
  const ks = await FileKeystore.open(homePaths(setup.fleet.homes[i]!).keystore, PASS);
  return { ks, scoped: scopeKeystore(ks, 'custody') };
}

beforeAll(async () => {
  core = await sharedCore();
  [alice, bob, mallory] = await aliceBobMallory();
}, 120_000);

describe('custody 3-of-5 across five dta serve processes', () => {
  it('orders from all five in parallel (progress per node) and retrieves from all', async () => {
    const progress: NodeProgress[] = [];
    const secret = secretOf('all five');
    const { deal, orders } = await order(secret, progress);
    expect(orders).toHaveLength(N);
    expect(progress.filter((p) => p.state === 'sent')).toHaveLength(N);
    expect(
      progress
        .filter((p) => p.state === 'committed')
        .map((p) => p.index)
        .sort(),
    ).toEqual([1, 2, 3, 4, 5]);
    const got = await custodyRetrieve(core, await holders(orders), { group: deal.group.cid });
    expect(Buffer.from(got.secret).toString()).toBe(Buffer.from(secret).toString());
    expect([got.wrong, got.failed, got.usedIndices.length]).toEqual([[], [], T]);
  });

  it('retrieves with two nodes killed, naming them', async () => {
    const secret = secretOf('two down');
    const { deal, orders } = await order(secret);
    const asBob = await holders(orders);
    await Promise.all([setup.fleet.children[0]!.kill(), setup.fleet.children[3]!.kill()]);
    const got = await custodyRetrieve(core, asBob, { group: deal.group.cid }).finally(() =>
      Promise.all([setup.fleet.start(0), setup.fleet.start(3)]),
    );
    expect(Buffer.from(got.secret).equals(Buffer.from(secret))).toBe(true);
    expect(got.failed.map((f) => f.node).sort()).toEqual(
      [deal.group.value.nodes[0]!, deal.group.value.nodes[3]!].map(String).sort(),
    );
    expect([...got.usedIndices].sort()).toEqual([2, 3, 5]);
  });

  it('names a node whose kept share was altered on disk and recovers from the others', async () => {
    const secret = secretOf('one liar');
    const { deal, orders } = await order(secret);
    await setup.fleet.children[3]!.kill();
    const { ks, scoped } = await keystoreOf(3);
    const held = (await readHolding(scoped, orders[3]!))!;
    await ks.close();
    // The keystore never replaces a name: the file goes, then a holding with another share is written in its place.
    const dir = homePaths(setup.fleet.homes[3]!).keystore;
    const file = `${Buffer.from(`custody/${holdingName(orders[3]!)}`).toString('hex')}.key`;
    expect(await readdir(dir)).toContain(file);
    await rm(join(dir, file));
    const again = await keystoreOf(3);
    await keepHolding(again.scoped, orders[3]!, { ...held, share: core.vss.random() });
    await again.ks.close();
    await setup.fleet.start(3);
    const got = await custodyRetrieve(core, await holders(orders), { group: deal.group.cid });
    expect(Buffer.from(got.secret).equals(Buffer.from(secret))).toBe(true);
    expect(got.wrong).toEqual([
      { node: deal.group.value.nodes[3]!.toString(), reason: expect.stringMatching(/commitments/) },
    ]);
    expect(got.usedIndices).not.toContain(4);
  });

  it("t − 1 nodes' keystores recover nothing with the project's own code; t of them do", async () => {
    const secret = secretOf('homes');
    const { deal } = await order(secret);
    const shares: { index: number; value: Uint8Array; ciphertext: Uint8Array }[] = [];
    for (const i of [0, 1, 2]) {
      const { ks, scoped } = await keystoreOf(i);
      const names = await scoped.list!('order/');
      const mine = [];
      for (const name of names) {
        const h = (await readHolding(scoped, name.slice('order/'.length)))!;
        if (ciphertextCid(h.ciphertext).equals(deal.group.value.ciphertext)) mine.push(h);
      }
      await ks.close();
      expect(mine).toHaveLength(1);
      shares.push({ index: mine[0]!.index, value: mine[0]!.share, ciphertext: mine[0]!.ciphertext });
    }
    const beneficiary = deal.group.value.beneficiary;
    const two = core.shamir.recover(shares.slice(0, 2));
    expect(() => decryptSecret(two, beneficiary, shares[0]!.ciphertext)).toThrow(
      expect.objectContaining({ code: 'decrypt_failed' }),
    );
    const three = core.shamir.recover(shares);
    expect(Buffer.from(decryptSecret(three, beneficiary, shares[0]!.ciphertext)).equals(Buffer.from(secret))).toBe(
      true,
    );
  });

  it('refuses a share that fails the commitments (400 bad_share) before committing anything', async () => {
    const sessions = await setup.fleet.sessionsAs(alice);
    const deal = await dealCustody(core, sessions, sign(alice), {
      secret: secretOf('bad'),
      beneficiary: bob.identity,
      t: T,
    });
    // Node 2's order, written again with another share in its part (the group and everything else unchanged).
    const s = sessions[1]!;
    const part = await s.me.createEnvelope({
      type: SHARE_TYPE,
      recipients: [s.node],
      content: { group: deal.group.cid, index: 2, value: core.vss.random() },
      sealed: true,
    });
    const content = {
      beneficiary: bob.identity.cid,
      group: deal.group.bytes,
      ciphertext: deal.ciphertext,
      share: part.bytes,
    };
    const bad = await s.request({ type: 'custody/order', content, intentFor: bob.identity });
    const forged: CustodyDeal = { ...deal, requests: deal.requests.map((r, i) => (i === 1 ? bad : r)) };
    const err = await placeCustodyOrders(forged, sessions).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CustodyIncompleteError);
    const incomplete = err as CustodyIncompleteError;
    expect(incomplete.placed).toHaveLength(4);
    expect(incomplete.refused).toEqual([
      { node: s.node.cid.toString(), index: 2, reason: expect.stringMatching(/^bad_share: /) },
    ]);
    expect(incomplete.message).toMatch(/4 of 5 nodes hold their share; not yet node 2/);
    await expect(s.api.order(bad.cid.toString())).rejects.toMatchObject({ status: 404 });
    const { ks, scoped } = await keystoreOf(1);
    expect(await scoped.has(holdingName(bad.cid.toString()))).toBe(false);
    await ks.close();
  });

  it('refuses a group that does not list the node, one signed for another principal, and a second order', async () => {
    const sessions = await setup.fleet.sessionsAs(alice);
    const three = sessions.slice(0, 3);
    const deal = await dealCustody(core, three, sign(alice), {
      secret: secretOf('three'),
      beneficiary: bob.identity,
      t: 2,
    });
    const refusalOf = async (s: NodeSession, content: unknown) => {
      await s.register();
      await s.api.registerIdentity(bob.identity.bytes);
      const r = await s.request({ type: 'custody/order', content, intentFor: bob.identity });
      return s.postOrder(r).catch((e: { status: number; code: string }) => [e.status, e.code]);
    };
    const share = async (s: NodeSession, index: number) =>
      (
        await s.me.createEnvelope({
          type: SHARE_TYPE,
          recipients: [s.node],
          content: { group: deal.group.cid, index, value: core.vss.random() },
          sealed: true,
        })
      ).bytes;
    const carrying = async (s: NodeSession, index: number) => ({
      beneficiary: bob.identity.cid,
      group: deal.group.bytes,
      ciphertext: deal.ciphertext,
      share: await share(s, index),
    });
    // Node 5 is not in the group.
    expect(await refusalOf(sessions[4]!, await carrying(sessions[4]!, 1))).toEqual([400, 'bad_group']);
    // Mallory relays Alice's group as her own order.
    const asMallory = (await setup.fleet.sessionsAs(mallory))[0]!;
    expect(await refusalOf(asMallory, await carrying(asMallory, 1))).toEqual([400, 'bad_group']);
    // The real orders go through; a second order for the same group (a new envelope) is refused.
    await placeCustodyOrders(deal, three);
    expect(await refusalOf(sessions[0]!, await carrying(sessions[0]!, 1))).toEqual([409, 'group_taken']);
  });

  it('completes an order interrupted by kill -9 of a node once it is back (the same requests again)', async () => {
    await setup.fleet.children[2]!.kill();
    await setup.fleet.start(2, 'order:after-plugin');
    const sessions = await setup.fleet.sessionsAs(alice);
    const secret = secretOf('crash');
    const deal = await dealCustody(core, sessions, sign(alice), { secret, beneficiary: bob.identity, t: T });
    const err = (await placeCustodyOrders(deal, sessions).catch((e: unknown) => e)) as CustodyIncompleteError;
    expect(err).toBeInstanceOf(CustodyIncompleteError);
    expect(err.refused.map((r) => r.index)).toEqual([3]);
    expect(await setup.fleet.children[2]!.exited).toBe('SIGKILL');
    await setup.fleet.start(2);
    const placed = await placeCustodyOrders(deal, await setup.fleet.sessionsAs(alice));
    expect(placed.map((p) => p.order)).toEqual(deal.requests.map((r) => r.cid.toString()));
    const got = await custodyRetrieve(core, await holders(placed.map((p) => p.order)), { group: deal.group.cid });
    expect(Buffer.from(got.secret).equals(Buffer.from(secret))).toBe(true);
  });
});
