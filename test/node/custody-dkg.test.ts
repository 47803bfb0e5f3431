// A custody key nobody knew in advance, across five separate `dta serve` processes, t = 3: Alice runs a DKG
// (purpose custody:secret) through runDkg, binds every node's share to an order for Bob in parallel, and Bob
// recovers the key (its public key is the DKG's group key) — from all five, with two nodes killed, and with one
// node whose kept share was altered in its home (named, skipped). Two homes' shares (t − 1) are refused by the
// project's own recovery code while three recover the key. A second order for the session (group_taken), an
// order by someone who did not start the DKG (not_requester) and an unknown session (not_found) are refused; a node
// killed (kill -9) after binding but before committing its order completes it once restarted (a secp256k1 key).
import { beforeAll, describe, expect, it } from 'vitest';
import { type DkgResult, runDkg } from '../../src/core/api/dkg-relay.ts';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { toBase64, wipe } from '../../src/core/bytes.ts';
import { blsGroup } from '../../src/core/dkg/bls-group.ts';
import { createSession } from '../../src/core/dkg/messages.ts';
import type { DoneState } from '../../src/core/dkg/participant.ts';
import { recoverFromShares } from '../../src/core/dkg/recover.ts';
import { secp256k1Group } from '../../src/core/dkg/secp256k1-group.ts';
import type { Core } from '../../src/core/types.ts';
import { homePaths } from '../../src/node/config.ts';
import { DkgStateStore } from '../../src/node/dkg/state-store.ts';
import { FileKeystore } from '../../src/node/keystore/file-keystore.ts';
import {
  CustodyDkgIncompleteError,
  custodyDkgOrder,
  placeDkgOrders,
  writeDkgOrders,
} from '../../src/plugins/custody/dkg-order.ts';
import { custodyDkgRetrieve } from '../../src/plugins/custody/dkg-retrieve.ts';
import { readDkgRecord } from './dkg-homes.ts';
import { useFleet } from './fleet-for-file.ts';
import { aliceBobMallory, PASS, sharedCore } from './harness.ts';

const T = 3;
const N = 5;
const setup = useFleet('dta-custody-dkg-', N, ['custody']);
let core: Core;
let alice: KeyIdentity, bob: KeyIdentity, mallory: KeyIdentity;

beforeAll(async () => {
  core = await sharedCore();
  [alice, bob, mallory] = await aliceBobMallory();
}, 120_000);

/** `dta custody keygen` as a library: a DKG among the five, then one order per node for Bob. */
async function keygen(): Promise<{ dkg: DkgResult; orders: string[] }> {
  const sessions = await setup.fleet.sessionsAs(alice);
  const dkg = await runDkg({ sessions, t: T, group: 'bls12-381', purpose: 'custody:secret' });
  const input = { ...dkg, beneficiary: bob.identity };
  const { placed } = await custodyDkgOrder(sessions, input);
  expect(placed.map((p) => p.index)).toEqual([1, 2, 3, 4, 5]);
  return { dkg, orders: placed.map((p) => p.order) };
}

/** Bob's holders among the running nodes at `at` (positions). */
async function holders(orders: string[], at: readonly number[] = [0, 1, 2, 3, 4]) {
  const sessions = await setup.fleet.sessionsAs(bob);
  return at.map((i) => ({ session: sessions[i]!, order: orders[i]! }));
}

const retrieve = async (dkg: DkgResult, orders: string[], at?: readonly number[]) =>
  custodyDkgRetrieve(core, await holders(orders, at), { dkg: dkg.session.cid, commitments: dkg.commitments });

/** The public key of a recovered key, to compare with the group key (the secret itself is wiped). */
function publicOf(secret: Uint8Array): string {
  try {
    return toBase64(blsGroup(core).publicKey(secret));
  } finally {
    wipe(secret);
  }
}

describe('a custody key from a DKG, 3-of-5 across five dta serve processes', () => {
  it('binds the five shares in parallel and Bob recovers the group key from them', async () => {
    const { dkg, orders } = await keygen();
    const got = await retrieve(dkg, orders);
    expect(publicOf(got.secret)).toBe(toBase64(dkg.groupKey));
    expect([got.wrong, got.failed, got.usedIndices.length, got.group]).toEqual([[], [], T, 'bls12-381']);
  }, 120_000);

  it('recovers with two nodes killed, naming them', async () => {
    const { dkg, orders } = await keygen();
    const asBob = await holders(orders);
    await Promise.all([setup.fleet.children[1]!.kill(), setup.fleet.children[4]!.kill()]);
    const got = await custodyDkgRetrieve(core, asBob, {
      dkg: dkg.session.cid,
      commitments: dkg.commitments,
    }).finally(() => Promise.all([setup.fleet.start(1), setup.fleet.start(4)]));
    expect(publicOf(got.secret)).toBe(toBase64(dkg.groupKey));
    const nodes = dkg.session.value.nodes;
    expect(got.failed.map((f) => f.node).sort()).toEqual([nodes[1]!, nodes[4]!].map(String).sort());
    expect([...got.usedIndices].sort()).toEqual([1, 3, 4]);
  }, 120_000);

  it('names a node whose kept share was altered in its home and recovers from the others', async () => {
    const { dkg, orders } = await keygen();
    await setup.fleet.children[2]!.kill();
    const home = homePaths(setup.fleet.homes[2]!);
    const ks = await FileKeystore.open(home.keystore, PASS);
    const store = await DkgStateStore.open(home.dkg, ks);
    const record = (await store.read(dkg.session.cid))!;
    const state = record.state as DoneState;
    expect(state.phase).toBe('done');
    await store.write(dkg.session.cid, { ...record, state: { ...state, share: blsGroup(core).random() } });
    store.close();
    await ks.close();
    await setup.fleet.start(2);
    const got = await retrieve(dkg, orders);
    expect(publicOf(got.secret)).toBe(toBase64(dkg.groupKey));
    expect(got.wrong).toEqual([
      { node: dkg.session.value.nodes[2]!.toString(), reason: expect.stringMatching(/commitments/) },
    ]);
    expect(got.usedIndices).not.toContain(3);
  }, 120_000);

  it("t − 1 nodes' homes recover nothing with the project's own code; t of them do", async () => {
    const { dkg } = await keygen();
    const shares: { index: number; value: Uint8Array }[] = [];
    for (const i of [0, 3, 4]) {
      const record = await readDkgRecord(setup.fleet.homes[i]!, dkg.session.cid);
      shares.push({ index: i + 1, value: (record!.state as DoneState).share });
    }
    const group = blsGroup(core);
    expect(() => recoverFromShares(group, shares.slice(0, 2), dkg.commitments, T)).toThrow(
      expect.objectContaining({ code: 'too_few_shares', message: expect.stringMatching(/2 good shares, 3 needed/) }),
    );
    expect(publicOf(recoverFromShares(group, shares, dkg.commitments, T).secret)).toBe(toBase64(dkg.groupKey));
  }, 120_000);

  it('completes binding interrupted by kill -9 of a node once it is back (the same requests again)', async () => {
    const sessions = await setup.fleet.sessionsAs(alice);
    const dkg = await runDkg({ sessions, t: T, group: 'secp256k1', purpose: 'custody:secret' });
    await setup.fleet.children[3]!.kill();
    await setup.fleet.start(3, 'order:after-plugin');
    const again = await setup.fleet.sessionsAs(alice);
    const deal = await writeDkgOrders(again, { ...dkg, beneficiary: bob.identity });
    const err = (await placeDkgOrders(deal, again).catch((e: unknown) => e)) as CustodyDkgIncompleteError;
    expect(err).toBeInstanceOf(CustodyDkgIncompleteError);
    expect(err.refused.map((r) => r.index)).toEqual([4]);
    expect(await setup.fleet.children[3]!.exited).toBe('SIGKILL');
    await setup.fleet.start(3);
    const placed = await placeDkgOrders(deal, await setup.fleet.sessionsAs(alice));
    expect(placed.map((p) => p.order)).toEqual(deal.requests.map((r) => r.cid.toString()));
    const got = await retrieve(
      dkg,
      placed.map((p) => p.order),
    );
    expect(got.group).toBe('secp256k1');
    expect(toBase64(secp256k1Group().publicKey(got.secret))).toBe(toBase64(dkg.groupKey));
    wipe(got.secret);
  }, 180_000);

  it('refuses a second order for the session, an order by another identity, and an unknown session', async () => {
    const { dkg } = await keygen();
    const refusal = async (s: NodeSession, content: unknown) => {
      await s.register();
      await s.api.registerIdentity(bob.identity.bytes);
      return s
        .order('custody', content, { intentFor: bob.identity })
        .then(() => 'accepted')
        .catch((e: { status: number; code: string }) => `${e.status} ${e.code}`);
    };
    const asAlice = (await setup.fleet.sessionsAs(alice))[0]!;
    const asMallory = (await setup.fleet.sessionsAs(mallory))[0]!;
    const content = { dkg: dkg.session.cid, beneficiary: bob.identity.cid };
    expect(await refusal(asAlice, content)).toBe('409 group_taken');
    expect(await refusal(asMallory, content)).toBe('403 not_requester');
    const unknown = createSession({
      group: 'bls12-381',
      nodes: dkg.session.value.nodes,
      t: T,
      purpose: 'custody:secret',
    });
    expect(await refusal(asAlice, { dkg: unknown.cid, beneficiary: bob.identity.cid })).toBe('404 not_found');
  }, 120_000);
});
