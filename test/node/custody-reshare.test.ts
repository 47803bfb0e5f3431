// Resharing custody groups across six separate `dta serve` processes (docs/protocol.md#resharing-a-custody-group):
// 3-of-5 → 3-of-5 with node 5 replaced by node 6, then retrieval from the new committee only while the old homes no
// longer hold their shares (read from their keystores with the project's own code); 2-of-3 → 3-of-5; an old holder
// that deals a wrong subshare is named, nothing is confirmed and every old share stays; an old holder killed (kill -9)
// after it kept its dealing deals the very same one after its restart and the resharing completes; a refresh of the
// same committee keeps the secret and changes every share; an old holder left out deletes its share later, and only
// once it sees every new node's signed reply.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { equalBytes, fromBase64, utf8 } from '../../src/core/bytes.ts';
import { blsGroup } from '../../src/core/dkg/bls-group.ts';
import { newCommitments } from '../../src/core/reshare/combine.ts';
import type { Core } from '../../src/core/types.ts';
import { homePaths } from '../../src/node/config.ts';
import { FileKeystore, scopeKeystore } from '../../src/node/keystore/file-keystore.ts';
import { readHolding } from '../../src/node/plugins/custody/holding.ts';
import { readDealing } from '../../src/node/plugins/custody/reshare-store.ts';
import type { VerifiedGroup } from '../../src/plugins/custody/group.ts';
import { custodyOrder } from '../../src/plugins/custody/order.ts';
import { ReshareIncompleteError, type ReshareProgress, reshareGroup } from '../../src/plugins/custody/reshare-run.ts';
import { parseConfirmReply, reshareId } from '../../src/plugins/custody/reshare-schema.ts';
import { custodyRetrieve } from '../../src/plugins/custody/retrieve.ts';
import { type Fleet, startFleet } from './custody-nodes.ts';
import { clientIdentity, PASS, sharedCore, tempDir } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let fleet: Fleet;
let core: Core;
let alice: KeyIdentity, bob: KeyIdentity;

const sign = (m: Uint8Array) => core.bls.sign(alice.secrets.bls, m);
const at = (sessions: NodeSession[], positions: readonly number[]) => positions.map((i) => sessions[i]!);

/** Alice deals `text` t-of-n to the nodes at `positions` (0-based) for Bob. */
async function order(text: string, t: number, positions: readonly number[]) {
  const sessions = at(await fleet.sessionsAs(alice), positions);
  const secret = utf8(`reshare test secret: ${text}`);
  const { deal, placed } = await custodyOrder(core, sessions, sign, { secret, beneficiary: bob.identity, t });
  return { secret, group: deal.group, orders: placed.map((p) => p.order) };
}

/** Alice reshares `group` from the old holders at `from` to the committee at `to`, t'-of-n'. */
async function reshare(group: VerifiedGroup, from: readonly number[], to: readonly number[], t: number) {
  const sessions = await fleet.sessionsAs(alice);
  const progress: ReshareProgress[] = [];
  const options = { core, sign, group, sessions: at(sessions, from), newNodes: at(sessions, to), t };
  const result = await reshareGroup({ ...options, onProgress: (p) => progress.push(p) });
  return { ...result, progress };
}

/** Bob retrieves from the nodes at `positions` holding `orders` (same order). */
async function retrieve(group: VerifiedGroup, orders: readonly string[], positions: readonly number[]) {
  const sessions = at(await fleet.sessionsAs(bob), positions);
  const holders = sessions.map((session, k) => ({ session, order: orders[k]! }));
  return custodyRetrieve(core, holders, { group: group.cid });
}

/** Reads node `i`'s custody keystore (the node may be running: reads only). */
async function withKeystore<T>(i: number, read: (ks: ReturnType<typeof scopeKeystore>) => Promise<T>): Promise<T> {
  const ks = await FileKeystore.open(homePaths(fleet.homes[i]!).keystore, PASS);
  try {
    return await read(scopeKeystore(ks, 'custody'));
  } finally {
    await ks.close();
  }
}

const holdingAt = (i: number, order: string) => withKeystore(i, (ks) => readHolding(ks, order));

/** Restarts node `i` (kill -9, then `dta serve` again on the same home), with a failpoint or fault when given. */
async function restart(i: number, failpoint?: string): Promise<void> {
  await fleet.children[i]?.kill();
  await fleet.start(i, failpoint);
}

beforeAll(async () => {
  core = await sharedCore();
  tmp = await tempDir('dta-reshare-');
  [alice, bob] = (await Promise.all(['alice', 'bob'].map(clientIdentity))) as [KeyIdentity, KeyIdentity];
  fleet = await startFleet(tmp.dir, 6, ['custody']);
}, 180_000);

afterAll(async () => {
  await fleet?.stopAll();
  await tmp?.cleanup();
});

describe('resharing custody groups across six dta serve processes', () => {
  it('3-of-5 → 3-of-5 with node 5 replaced by node 6: old shares deleted, retrieval from the new committee', async () => {
    const old = await order('node five replaced', 3, [0, 1, 2, 3, 4]);
    const done = await reshare(old.group, [0, 1, 2, 3, 4], [0, 1, 2, 3, 5], 3);
    expect(done.group.value.reshares?.equals(old.group.cid)).toBe(true);
    expect(done.group.value.commitments[0]).toEqual(old.group.value.commitments[0]);
    expect(done.confirmed).toHaveLength(5);
    expect(done.unconfirmed).toEqual([]);
    expect(done.progress.filter((p) => p.step === 'place').at(-1)).toMatchObject({ done: 5, of: 5 });
    for (let i = 0; i < 5; i++) expect(await holdingAt(i, old.orders[i]!)).toBeUndefined();
    const got = await retrieve(done.group, done.orders, [0, 1, 2, 3, 5]);
    expect(got.secret).toEqual(old.secret);
    expect(got.wrong).toEqual([]);
    // The replaced node's old order says where its share went.
    const bobAt5 = (await fleet.sessionsAs(bob))[4]!;
    await expect(bobAt5.redeem('custody', old.orders[4]!)).rejects.toMatchObject({ code: 'share_moved', status: 410 });
  }, 180_000);

  it('2-of-3 → 3-of-5: any three of the new committee recover, none of the old holders keeps a share', async () => {
    const old = await order('two of three grows', 2, [0, 1, 2]);
    const done = await reshare(old.group, [0, 1, 2], [1, 2, 3, 4, 5], 3);
    expect(done.group.value.t).toBe(3);
    for (let i = 0; i < 3; i++) expect(await holdingAt(i, old.orders[i]!)).toBeUndefined();
    const got = await retrieve(done.group, done.orders.slice(2), [3, 4, 5]);
    expect(got.secret).toEqual(old.secret);
    expect([...got.usedIndices].sort()).toEqual([3, 4, 5]);
  }, 180_000);

  it('an old holder dealing a wrong subshare is named; nothing is confirmed, every old share stays', async () => {
    const old = await order('a lying dealer', 3, [0, 1, 2, 3, 4]);
    await restart(0, 'custody:wrong-subshare'); // node 1 deals, and lies to new holder 1 (itself)
    try {
      const attempt = reshare(old.group, [0, 1, 2, 3, 4], [0, 1, 2, 3, 5], 3);
      const refused = await attempt.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(ReshareIncompleteError);
      const list = (refused as ReshareIncompleteError).refused;
      const node1 = (await fleet.sessionsAs(alice))[0]!.node.cid.toString();
      expect(list).toHaveLength(1);
      expect(list[0]!.node).toBe(node1);
      expect(list[0]!.reason).toContain(`bad_share: custody: old node 1 (${node1})`);
      for (let i = 0; i < 5; i++) expect(await holdingAt(i, old.orders[i]!)).toBeDefined();
      const got = await retrieve(old.group, old.orders.slice(1, 4), [1, 2, 3]);
      expect(got.secret).toEqual(old.secret);
    } finally {
      await restart(0);
    }
  }, 180_000);

  it('an old holder killed after keeping its dealing deals the same one after its restart', async () => {
    const old = await order('a dealer killed', 3, [0, 1, 2, 3, 4]);
    await restart(1, 'order:after-plugin'); // node 2 dies once its dealing is kept, before it replies
    const first = await reshare(old.group, [0, 1, 2], [0, 1, 2, 3, 5], 3).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(first).toBeInstanceOf(ReshareIncompleteError);
    expect(await fleet.children[1]!.exited).toBe('SIGKILL');
    await fleet.start(1);
    const newNodes = at(await fleet.sessionsAs(alice), [0, 1, 2, 3, 5]).map((s) => s.node.cid);
    const id = reshareId(old.group.cid, newNodes, 3);
    const kept = await withKeystore(1, (ks) => readDealing(ks, id));
    expect(kept?.index).toBe(2);
    const done = await reshare(old.group, [0, 1, 2, 3, 4], [0, 1, 2, 3, 5], 3);
    const dealings = await Promise.all([0, 1, 2].map((i) => withKeystore(i, (ks) => readDealing(ks, id))));
    expect(dealings[1]).toEqual(kept);
    const expected = newCommitments(
      blsGroup(core),
      old.group.value,
      dealings.map((d) => d!),
      3,
    );
    expect(done.group.value.commitments).toEqual(expected);
    const got = await retrieve(done.group, done.orders, [0, 1, 2, 3, 5]);
    expect(got.secret).toEqual(old.secret);
  }, 240_000);

  it("an old holder left out is confirmed later, and only on every new node's signed reply", async () => {
    const old = await order('an old holder confirmed later', 2, [0, 1, 2]);
    const sessions = await fleet.sessionsAs(alice);
    // Old node 3 is not asked now, but known to the new nodes, whose replies are then sealed to it too.
    await Promise.all([3, 4, 5].map((i) => sessions[i]!.api.registerIdentity(sessions[2]!.node.bytes)));
    const done = await reshare(old.group, [0, 1], [3, 4, 5], 2);
    expect(done.confirmed).toHaveLength(2);
    expect(await holdingAt(2, old.orders[2]!)).toBeDefined();
    const replies = await Promise.all(
      done.orders.map(async (o, k) => fromBase64((await sessions[3 + k]!.api.order(o)).history[1]!.envelope)),
    );
    const confirm = async (accepted: Uint8Array[]) => {
      const content = { reshareConfirm: { group: done.group.bytes, accepted } };
      const at3 = sessions[2]!;
      return at3.postOrder(await at3.request({ type: 'custody/order', content, intentFor: at3.me.identity }));
    };
    await expect(confirm(replies.slice(0, 2))).rejects.toMatchObject({ code: 'not_confirmed' });
    expect(await holdingAt(2, old.orders[2]!)).toBeDefined();
    const moved = parseConfirmReply((await confirm(replies)).content);
    expect(moved).toMatchObject({ moved: old.orders[2], index: 3 });
    expect(moved.to.equals(done.group.cid)).toBe(true);
    expect(await holdingAt(2, old.orders[2]!)).toBeUndefined();
  }, 180_000);

  it('a refresh of the same committee keeps the secret and changes every share', async () => {
    const old = await order('refreshed', 3, [0, 1, 2, 3, 4]);
    const before = await Promise.all(old.orders.map((o, i) => holdingAt(i, o)));
    const done = await reshare(old.group, [0, 1, 2, 3, 4], [0, 1, 2, 3, 4], 3);
    expect(done.group.value.commitments[0]).toEqual(old.group.value.commitments[0]);
    expect(done.group.value.commitments.slice(1)).not.toEqual(old.group.value.commitments.slice(1));
    const after = await Promise.all(done.orders.map((o, i) => holdingAt(i, o)));
    for (let i = 0; i < 5; i++) {
      expect(after[i]!.index).toBe(before[i]!.index);
      expect(equalBytes(after[i]!.share, before[i]!.share)).toBe(false);
      expect(await holdingAt(i, old.orders[i]!)).toBeUndefined();
    }
    const got = await retrieve(done.group, done.orders.slice(2), [2, 3, 4]);
    expect(got.secret).toEqual(old.secret);
  }, 180_000);
});
