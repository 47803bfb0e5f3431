/**
 * The DKG engine in-process, n = 5 and t = 3 on both groups, with real identities, envelopes and crypto:
 * a run that completes gives every node a share that verifies against the group commitments, any 3
 * shares recover a secret whose public key is the group key (on secp256k1 it signs under F), 2 do not;
 * each misbehaviour ends with every honest node aborted for the right reason, holding no share.
 */
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { equalBytes, randomBytes, utf8 } from '../../src/core/bytes.ts';
import { blsGroup } from '../../src/core/dkg/bls-group.ts';
import type { ParticipantContext } from '../../src/core/dkg/context.ts';
import type { DkgGroup, Share } from '../../src/core/dkg/group.ts';
import { ROUND1_TYPE, type Round1Content, round1Schema } from '../../src/core/dkg/messages.ts';
import { type ParticipantState, startParticipant } from '../../src/core/dkg/participant.ts';
import { secp256k1Group } from '../../src/core/dkg/secp256k1-group.ts';
import { sealShare } from '../../src/core/dkg/share-seal.ts';
import { createCore } from '../../src/core/index.ts';
import { encode } from '../../src/core/protocol/cbor.ts';
import { createEnvelope, decodeEnvelope } from '../../src/core/protocol/envelope.ts';
import type { Core } from '../../src/core/types.ts';
import { makeNodes, runDkg } from './dkg-harness.ts';

const N = 5;
const T = 3;

let core: Core;
beforeAll(async () => {
  core = await createCore();
});

/** Every subset of `size` elements of 0..n−1. */
function subsets(n: number, size: number): number[][] {
  if (size === 0) return [[]];
  if (n < size) return [];
  return [...subsets(n - 1, size - 1).map((s) => [...s, n - 1]), ...subsets(n - 1, size)];
}

const shareOf = (s: ParticipantState): Share => {
  if (s.phase !== 'done') throw new Error(`node ${s.index} is ${s.phase}`);
  return { index: s.index, value: s.share };
};

function expectCompleted(
  group: DkgGroup,
  states: readonly ParticipantState[],
): { shares: Share[]; groupKey: Uint8Array } {
  expect(states.map((s) => s.phase)).toEqual(Array(N).fill('done'));
  const done = states.filter((s) => s.phase === 'done');
  const first = done[0] as (typeof done)[number];
  for (const s of done) {
    expect(s.groupKey).toEqual(first.groupKey);
    expect(s.commitments).toEqual(first.commitments);
    expect(s.transcript).toEqual(first.transcript);
    expect(group.verifyShare(shareOf(s), s.commitments)).toBe(true);
  }
  expect(first.commitments[0]).toEqual(first.groupKey);
  return { shares: states.map(shareOf), groupKey: first.groupKey };
}

function expectRecoverable(group: DkgGroup, shares: readonly Share[], groupKey: Uint8Array): Uint8Array {
  const secrets = subsets(N, T).map((idx) => group.recover(idx.map((i) => shares[i] as Share)));
  for (const s of secrets) expect(s).toEqual(secrets[0]);
  const secret = secrets[0] as Uint8Array;
  expect(group.publicKey(secret)).toEqual(groupKey);
  for (const idx of subsets(N, T - 1)) {
    expect(equalBytes(group.recover(idx.map((i) => shares[i] as Share)), secret)).toBe(false);
  }
  return secret;
}

/** Every node not in `except` aborted with `reason`, and none holds a share. */
function expectAborted(states: readonly ParticipantState[], reason: string, except: number[] = []) {
  for (const s of states) {
    if (except.includes(s.index)) continue;
    expect({ node: s.index, phase: s.phase, reason: s.phase === 'aborted' ? s.reason : '' }).toEqual({
      node: s.index,
      phase: 'aborted',
      reason,
    });
    expect('share' in s || 'own' in s).toBe(false);
  }
}

/** Node k's round-1 envelope rebuilt with `change` applied to its content and signed again by node k. */
async function reissued(ctx: ParticipantContext, envelope: Uint8Array, change: (c: Round1Content) => Round1Content) {
  const env = decodeEnvelope(envelope).value;
  if (!('plain' in env.body)) throw new Error('sealed');
  const content = change(round1Schema(env.body.plain, 'round1'));
  const out = await createEnvelope(ctx.bls, ctx.me.bls, {
    type: ROUND1_TYPE,
    sender: ctx.me.cid,
    order: env.header.order,
    content,
  });
  return out.bytes;
}

describe('DKG on BLS12-381, n = 5, t = 3', () => {
  it('gives every node a verified share of a key nobody knows; any 3 recover it, 2 do not', async () => {
    const group = blsGroup(core);
    const nodes = await makeNodes(core, group, N);
    const run = await runDkg(nodes, T);
    const { shares, groupKey } = expectCompleted(group, run.states);
    expect(run.coordinator.phase).toBe('done');
    expect(run.coordinator.groupKey).toEqual(groupKey);
    expectRecoverable(group, shares, groupKey);
  });
});

describe('DKG on secp256k1, n = 5, t = 3', () => {
  it('fixes F; the f recovered from any 3 shares signs under F (BIP340 and ECDSA)', async () => {
    const group = secp256k1Group();
    const nodes = await makeNodes(core, group, N);
    const { states } = await runDkg(nodes, T);
    const { shares, groupKey } = expectCompleted(group, states);
    const f = expectRecoverable(group, shares, groupKey);
    const msg = sha256(utf8('a transaction to sign'));
    expect(schnorr.verify(schnorr.sign(msg, f), msg, groupKey.subarray(1))).toBe(true);
    expect(secp256k1.verify(secp256k1.sign(msg, f, { prehash: false }), msg, groupKey, { prehash: false })).toBe(true);
  });
});

describe.each([
  ['BLS12-381', (c: Core) => blsGroup(c)],
  ['secp256k1', () => secp256k1Group()],
])('DKG failures on %s: every honest node aborts, with the reason, and holds no share', (_, makeGroup) => {
  let nodes: ParticipantContext[];
  beforeAll(async () => {
    nodes = await makeNodes(core, makeGroup(core), N);
  });

  it('a node that drops out: the coordinator names it; the nodes time out', async () => {
    const run = await runDkg(nodes, T, { sent1: (k, e) => (k === 4 ? null : e) });
    expect(run.coordinator).toMatchObject({ phase: 'aborted', missing: [5] });
    expectAborted(run.states, 'timeout');
  });

  it('a coordinator that drops a message: missing_message naming the node', async () => {
    const { states } = await runDkg(nodes, T, { round1: (_k, envs) => envs.filter((_e, j) => j !== 1) });
    expectAborted(states, 'missing_message');
    for (const s of states) expect(s.phase === 'aborted' && s.nodes).toEqual([2]);
  });

  it('a coordinator that reorders messages: out_of_order', async () => {
    const swap = (_k: number, envs: Uint8Array[]) => [envs[1], envs[0], ...envs.slice(2)] as Uint8Array[];
    const { states } = await runDkg(nodes, T, { round1: swap });
    expectAborted(states, 'out_of_order');
  });

  it('a bad share: its recipient aborts with bad_share naming the dealer; its notice stops the others', async () => {
    const dealer = nodes[1] as ParticipantContext;
    const victim = nodes[3] as ParticipantContext;
    const sent1 = (k: number, e: Uint8Array) =>
      k !== 1
        ? e
        : reissued(dealer, e, (c) => ({
            ...c,
            shares: c.shares.map((s) =>
              s.recipient.equals(victim.me.cid)
                ? sealShare(
                    { session: c.session, sender: dealer.me.cid, recipient: victim.me.cid, index: 4 },
                    victim.identities[3]?.value.keys.xwing as Uint8Array,
                    dealer.group.random(),
                  )
                : s,
            ),
          }));
    // The dealer runs its own code: it says nothing after round 1.
    const later = (k: number, e: Uint8Array) => (k === 1 ? null : e);
    const { states, coordinator } = await runDkg(nodes, T, { sent1, later });
    expect(states[3]).toMatchObject({ phase: 'aborted', reason: 'bad_share', nodes: [2] });
    expect(coordinator).toMatchObject({ phase: 'aborted', notice: { node: 4, reason: 'bad_share', nodes: [2] } });
    expectAborted(states, 'peer_abort', [2, 4]);
    for (const s of states) if (s.index !== 2 && s.index !== 4) expect(s.phase === 'aborted' && s.nodes).toEqual([4]);
  });

  it('a bad proof of possession: bad_pop naming the node', async () => {
    const cheat = nodes[2] as ParticipantContext;
    const sent1 = (k: number, e: Uint8Array) =>
      k !== 2
        ? e
        : reissued(cheat, e, (c) => ({ ...c, pop: cheat.group.provePossession(cheat.group.random(), c.pop) }));
    const { states } = await runDkg(nodes, T, { sent1 });
    expectAborted(states, 'bad_pop', [3]);
    for (const s of states) if (s.index !== 3) expect(s.phase === 'aborted' && s.nodes).toEqual([3]);
  });

  it('a wrong envelope signature: bad_signature naming the sender', async () => {
    const forge = (_k: number, envs: Uint8Array[]) =>
      envs.map((e, j) => {
        if (j !== 0) return e;
        const env = decodeEnvelope(e).value;
        return encode({ ...env, signature: core.bls.sign(randomBytes(32).fill(7, 0, 1), utf8('not this envelope')) });
      });
    const { states } = await runDkg(nodes, T, { round1: forge });
    expectAborted(states, 'bad_signature', [1]);
    for (const s of states) if (s.index !== 1) expect(s.phase === 'aborted' && s.nodes).toEqual([1]);
  });

  it('a node that equivocates (two round-1 messages, to different nodes): transcript_mismatch', async () => {
    const liar = nodes[0] as ParticipantContext;
    let other: Uint8Array | null = null;
    const sent1 = async (k: number, e: Uint8Array, session: Uint8Array) => {
      if (k === 0) other = (await startParticipant(liar, session)).outgoing;
      return e;
    };
    const round1 = (k: number, envs: Uint8Array[]) => (k >= 3 ? [other as Uint8Array, ...envs.slice(1)] : envs);
    const { states } = await runDkg(nodes, T, { sent1, round1 });
    expectAborted(states, 'transcript_mismatch', [1]);
  });
});
