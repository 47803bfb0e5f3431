// Bitcoin threshold mode across five separate `dta serve` processes, t = 3: the five nodes generate the fiduciary
// key f together (a secp256k1 DKG, purpose "bitcoin:fiduciary key", relayed by runDkg), Alice orders an address
// for Bob's signed key from each of them naming the session, and every reply gives the same address of F + B
// with F the DKG's group key. Bob redeems from three nodes (two are down), recovers f from their verified shares
// with the project's own code, adds b, and the key k = f + b signs a spend of a coin the test chain paid to the
// address, which our BIP-341 checks and the test chain's mempool accept. Two nodes' shares are refused; a lying
// redemption is named; a second order for the session, an order by another identity, a custody session, refused.
import { hexToBytes } from '@noble/hashes/utils.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DkgResult, runDkg } from '../../src/core/api/dkg-relay.ts';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { toHex } from '../../src/core/bytes.ts';
import { addressOf, addressToScript } from '../../src/plugins/bitcoin/address.ts';
import { generateShare, parsePublicKey, publicKeyOf } from '../../src/plugins/bitcoin/keys.ts';
import { network } from '../../src/plugins/bitcoin/network.ts';
import { verifyOrderReply } from '../../src/plugins/bitcoin/reply.ts';
import type { OrderReply } from '../../src/plugins/bitcoin/schema.ts';
import { signSpend } from '../../src/plugins/bitcoin/spend.ts';
import { createKeyStatement } from '../../src/plugins/bitcoin/statement.ts';
import { recoverThresholdKey, type ThresholdRedemption } from '../../src/plugins/bitcoin/threshold.ts';
import { verifySpend } from '../../src/plugins/bitcoin/verify.ts';
import { RegtestChain } from '../support/regtest/chain.ts';
import { useFleet } from './fleet-for-file.ts';
import { aliceBobMallory, sharedCore } from './harness.ts';

const T = 3;
const N = 5;
const PURPOSE = 'bitcoin:fiduciary key';
const setup = useFleet('dta-bitcoin-threshold-', N, ['bitcoin', 'custody']);
let alice: KeyIdentity, bob: KeyIdentity, mallory: KeyIdentity;

beforeAll(async () => {
  [alice, bob, mallory] = await aliceBobMallory();
}, 120_000);

/** Bob's key card for a fresh b (he keeps b). */
async function bobsKey(): Promise<{ b: Uint8Array; statement: Uint8Array }> {
  const core = await sharedCore();
  const b = generateShare();
  const statement = await createKeyStatement(core.bls, bob.secrets.bls, bob.identity.cid, {
    network: 'regtest',
    beneficiaryPublicKey: publicKeyOf(b),
  });
  return { b, statement };
}

/** Alice's threshold order at node `s` for Bob's key card, with her intent. */
async function orderAt(s: NodeSession, dkg: DkgResult, statement: Uint8Array) {
  await s.register();
  await s.api.registerIdentity(bob.identity.bytes);
  const content = { network: 'regtest', addressType: 'p2tr', beneficiaryKey: statement, dkg: dkg.session.cid };
  return s.order('bitcoin', content, { intentFor: bob.identity });
}

/** The same redemption with its own copy of the share. */
function copied(r: ThresholdRedemption): ThresholdRedemption {
  const content = r.content as { fiduciaryShare: Uint8Array };
  return { ...r, content: { ...content, fiduciaryShare: Uint8Array.from(content.fiduciaryShare) } };
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: { status: number; code: string }) => `${e.status} ${e.code}`,
  );

describe('bitcoin threshold mode: f from a DKG of five dta serve processes, t = 3', () => {
  let dkg: DkgResult;
  let orders: { order: string; reply: OrderReply }[];
  let bob1: { b: Uint8Array; statement: Uint8Array };
  let redeemed: ThresholdRedemption[];

  it('every node answers the same address of F + B, F the group key of the DKG', async () => {
    const sessions = await setup.fleet.sessionsAs(alice);
    dkg = await runDkg({ sessions, t: T, group: 'secp256k1', purpose: PURPOSE });
    bob1 = await bobsKey();
    const placed = await Promise.all(sessions.map((s) => orderAt(s, dkg, bob1.statement)));
    orders = placed.map((p, i) => {
      const reply = verifyOrderReply(p.content, {
        order: p.reply.order,
        network: 'regtest',
        addressType: 'p2tr',
        beneficiaryPublicKey: publicKeyOf(bob1.b),
        beneficiaryKey: bob1.statement,
        dkg: { session: dkg.session.cid, groupKey: dkg.groupKey },
      });
      expect([reply.index, reply.proof]).toEqual([i + 1, undefined]);
      return { order: p.reply.order, reply };
    });
    expect(new Set(orders.map((o) => o.reply.address)).size).toBe(1);
    expect(toHex(orders[0]!.reply.fiduciaryPublicKey)).toBe(toHex(dkg.groupKey));
    // A single-node client that expects a proof of f refuses the threshold reply.
    expect(() => verifyOrderReply(placed[0]!.content, { order: placed[0]!.reply.order })).toThrow(/threshold reply/);
  }, 120_000);

  it("Bob recovers k = f + b from three nodes (two down), and k spends the address's coin", async () => {
    const asBob = await setup.fleet.sessionsAs(bob);
    await Promise.all([setup.fleet.children[0]!.kill(), setup.fleet.children[3]!.kill()]);
    const redemptions: ThresholdRedemption[] = await Promise.all(
      [1, 2, 4].map(async (i) => ({
        node: asBob[i]!.node.cid.toString(),
        index: i + 1,
        content: (await asBob[i]!.redeem('bitcoin', orders[i]!.order)).content,
      })),
    ).finally(() => Promise.all([setup.fleet.start(0), setup.fleet.start(3)]));
    const order = orders[1]!.reply;
    // Two nodes' shares are not enough for the project's own recovery code.
    expect(() => recoverThresholdKey(order, redemptions.slice(0, 2).map(copied), bob1.b)).toThrow(/no t nodes agree/);
    redeemed = redemptions.map(copied); // recoverThresholdKey wipes the shares it is given
    const { key, wrong, usedIndices } = recoverThresholdKey(order, redemptions, bob1.b);
    expect([wrong, usedIndices]).toEqual([[], [2, 3, 5]]);
    expect(key.address).toBe(order.address);

    const chain = new RegtestChain();
    const coin = chain.fund(key.address, 100_000n);
    const regtest = network('regtest');
    const to = addressOf('p2wpkh', parsePublicKey(publicKeyOf(generateShare()), 'to'), regtest);
    const spend = signSpend({
      privateKey: key.privateKey,
      addressType: 'p2tr',
      network: 'regtest',
      to,
      amount: 99_000n,
      fee: 1_000n,
      utxos: [{ txid: coin.txid, vout: coin.vout, amount: coin.value }],
    });
    const tx = verifySpend(hexToBytes(spend.hex), spend.prevouts);
    expect(tx.outputs).toEqual([{ amount: 99_000n, script: addressToScript(to, regtest) }]);
    expect(chain.submit(hexToBytes(spend.hex))).toBe(spend.txid);
    chain.mine();
    expect(chain.utxosOf(to).map((u) => u.value)).toEqual([99_000n]);
  }, 180_000);

  it('names a redemption whose share fails the commitments and recovers from the others', async () => {
    const asBob = await setup.fleet.sessionsAs(bob);
    const later: ThresholdRedemption[] = await Promise.all(
      [0, 3].map(async (i) => ({
        node: asBob[i]!.node.cid.toString(),
        index: i + 1,
        content: (await asBob[i]!.redeem('bitcoin', orders[i]!.order)).content,
      })),
    );
    // Node 1 lies: its true reply with another scalar as its share.
    const lying = { ...later[0]!, content: { ...(later[0]!.content as object), fiduciaryShare: generateShare() } };
    const got = recoverThresholdKey(orders[0]!.reply, [lying, later[1]!, ...redeemed], bob1.b);
    expect(got.wrong).toEqual([{ node: lying.node, reason: expect.stringMatching(/commitments/) }]);
    expect(got.usedIndices).toEqual([4, 2, 3]);
    expect(got.key.address).toBe(orders[0]!.reply.address);
  }, 120_000);

  it('refuses a second order for the session, an order by another identity, and a custody session', async () => {
    const sessions = await setup.fleet.sessionsAs(alice);
    const again = await bobsKey();
    expect(await refusal(orderAt(sessions[2]!, dkg, again.statement))).toBe('409 dkg_taken');
    const asMallory = (await setup.fleet.sessionsAs(mallory))[2]!;
    expect(await refusal(orderAt(asMallory, dkg, again.statement))).toBe('403 not_requester');
    const custody = await runDkg({ sessions, t: T, group: 'secp256k1', purpose: 'custody:secret' });
    expect(await refusal(orderAt(sessions[2]!, custody, again.statement))).toBe('404 not_found');
  }, 120_000);
});
