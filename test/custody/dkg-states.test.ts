/**
 * The DKG's state machines on their own: what a participant refuses before round 1 (by code), that a
 * replayed round resends what was sent and a finished DKG stays finished, what the coordinator keeps and
 * ignores, and a DKG's result handed to resharing (a 3-of-5 BLS12-381 key moved to a new 3-of-5 committee).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../src/core/bytes.ts';
import { blsGroup } from '../../src/core/dkg/bls-group.ts';
import type { ParticipantContext } from '../../src/core/dkg/context.ts';
import { coordinatorReceive, startCoordinator } from '../../src/core/dkg/coordinator.ts';
import type { DkgGroup, Share } from '../../src/core/dkg/group.ts';
import { createSession } from '../../src/core/dkg/messages.ts';
import { participantReceive, startParticipant } from '../../src/core/dkg/participant.ts';
import { secp256k1Group } from '../../src/core/dkg/secp256k1-group.ts';
import { createCore } from '../../src/core/index.ts';
import { encode } from '../../src/core/protocol/cbor.ts';
import { decodeEnvelope } from '../../src/core/protocol/envelope.ts';
import { newCommitments, newShare } from '../../src/core/reshare/combine.ts';
import { dealReshare } from '../../src/core/reshare/deal.ts';
import type { Core } from '../../src/core/types.ts';
import { makeNodes, runDkg } from './dkg-harness.ts';

let core: Core;
let group: DkgGroup;
let nodes: ParticipantContext[];
beforeAll(async () => {
  core = await createCore();
  group = blsGroup(core);
  nodes = await makeNodes(core, group, 5);
});

const codeOf = async (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => undefined,
    (e: { name?: string; code?: string }) => `${e.name}:${e.code}`,
  );

const sessionOf = (ctxs: readonly ParticipantContext[], t = 3, g: DkgGroup['name'] = 'bls12-381') =>
  createSession({ group: g, nodes: ctxs.map((c) => c.me.cid), t, purpose: 'a test key' });

describe('a participant refuses, before round 1', () => {
  it('a session it is not in, one naming a node whose identity it lacks, another group, t > n, junk', async () => {
    const [a, b, c] = nodes as [ParticipantContext, ParticipantContext, ParticipantContext];
    expect(await codeOf(startParticipant(a, sessionOf([b, c], 2).bytes))).toBe('DkgError:not_participant');
    const stranger = (await makeNodes(core, group, 1))[0] as ParticipantContext;
    expect(await codeOf(startParticipant(a, sessionOf([a, stranger], 2).bytes))).toBe('DkgError:unknown_identity');
    expect(await codeOf(startParticipant(a, sessionOf([a, b], 2, 'secp256k1').bytes))).toBe('DkgError:bad_session');
    const tooHigh = encode({ ...sessionOf([a, b], 2).value, t: 3 });
    expect(await codeOf(startParticipant(a, tooHigh))).toBe('DkgError:bad_session');
    expect(await codeOf(startParticipant(a, encode({ type: 'dta/custody-dkg' })))).toBe('DkgError:bad_session');
    const secpNode = { ...a, group: secp256k1Group() };
    expect(await codeOf(startParticipant(secpNode, sessionOf([a, b], 2).bytes))).toBe('DkgError:bad_session');
  });
});

describe('the transitions', () => {
  it('resend the round-2 envelope on a replayed round 1; a finished DKG ignores what comes after', async () => {
    const session = sessionOf(nodes);
    const starts = await Promise.all(nodes.map((ctx) => startParticipant(ctx, session.bytes)));
    const round1 = starts.map((s) => s.outgoing as Uint8Array);
    const steps = await Promise.all(
      nodes.map((ctx, k) => participantReceive(ctx, starts[k]!.state, { kind: 'round1', envelopes: round1 })),
    );
    const again = await participantReceive(nodes[0]!, steps[0]!.state, { kind: 'round1', envelopes: round1 });
    expect(again.state).toBe(steps[0]!.state);
    expect(again.outgoing).toEqual(steps[0]!.outgoing);
    const round2 = steps.map((s) => s.outgoing as Uint8Array);
    const done = await participantReceive(nodes[0]!, steps[0]!.state, { kind: 'round2', envelopes: round2 });
    expect(done.state.phase).toBe('done');
    for (const late of [{ kind: 'timeout' as const }, { kind: 'round1' as const, envelopes: round1 }]) {
      expect(await participantReceive(nodes[0]!, done.state, late)).toEqual({ state: done.state, outgoing: null });
    }
  });

  it('refuse round-2 envelopes in round 1 (bad_message)', async () => {
    const session = sessionOf(nodes);
    const start = await startParticipant(nodes[0]!, session.bytes);
    const step = await participantReceive(nodes[0]!, start.state, { kind: 'round2', envelopes: [] });
    expect(step.state).toMatchObject({ phase: 'aborted', reason: 'bad_message' });
    expect('own' in step.state).toBe(false);
  });

  it('the coordinator keeps the first envelope of each node, ignores a second and a stranger', async () => {
    const session = sessionOf(nodes);
    const other = sessionOf(nodes);
    let state = startCoordinator(session.bytes);
    const first = await startParticipant(nodes[0]!, session.bytes);
    const second = await startParticipant(nodes[0]!, session.bytes);
    const foreign = await startParticipant(nodes[1]!, other.bytes);
    for (const e of [first, second, foreign]) {
      state = coordinatorReceive(state, { kind: 'envelope', envelope: e.outgoing as Uint8Array }).state;
    }
    expect(state.round1[0]).toEqual(first.outgoing);
    expect(state.round1.slice(1)).toEqual([null, null, null, null]);
    expect(coordinatorReceive(state, { kind: 'timeout' }).state).toMatchObject({
      phase: 'aborted',
      missing: [2, 3, 4, 5],
    });
  });
});

describe('abort notices', () => {
  it('a node acts on a notice its sender signed, ignores a forged one; the coordinator relays the first', async () => {
    const session = sessionOf(nodes);
    const starts = await Promise.all(nodes.map((ctx) => startParticipant(ctx, session.bytes)));
    // Node 2 is handed four messages: it aborts and signs a notice.
    const round1 = starts.map((s) => s.outgoing as Uint8Array);
    const quit = await participantReceive(nodes[1]!, starts[1]!.state, { kind: 'round1', envelopes: round1.slice(1) });
    expect(quit.state).toMatchObject({ phase: 'aborted', reason: 'missing_message', nodes: [1] });
    const notice = quit.outgoing as Uint8Array;
    // The same notice signed by another key is ignored.
    const env = decodeEnvelope(notice).value;
    const forged = encode({ ...env, signature: core.bls.sign(nodes[2]!.me.bls, utf8('not this notice')) });
    const ignored = await participantReceive(nodes[0]!, starts[0]!.state, { kind: 'abort', envelope: forged });
    expect(ignored).toEqual({ state: starts[0]!.state, outgoing: null });
    const heard = await participantReceive(nodes[0]!, starts[0]!.state, { kind: 'abort', envelope: notice });
    expect(heard).toMatchObject({ state: { phase: 'aborted', reason: 'peer_abort', nodes: [2] }, outgoing: null });
    let coordinator = startCoordinator(session.bytes);
    const step = coordinatorReceive(coordinator, { kind: 'envelope', envelope: notice });
    expect(step.outgoing).toEqual({ kind: 'abort', envelope: notice });
    coordinator = step.state;
    expect(coordinator).toMatchObject({ phase: 'aborted', notice: { node: 2, reason: 'missing_message', nodes: [1] } });
    expect(coordinatorReceive(coordinator, { kind: 'envelope', envelope: round1[0]! }).outgoing).toBeNull();
  });
});

describe('a DKG key, reshared', () => {
  it('3-of-5 from a DKG, moved to a new 3-of-5 committee by nodes 2, 4, 5: same key, new shares verify', async () => {
    const { states } = await runDkg(nodes, 3);
    const done = states.map((s) => (s.phase === 'done' ? s : undefined));
    const d = done[0]!;
    const old = { t: 3, commitments: d.commitments };
    const dealt = [2, 4, 5].map((i) =>
      dealReshare(group, { index: i, value: done[i - 1]!.share }, d.commitments, 3, 5),
    );
    const dealings = dealt.map((x) => x.dealing);
    const commitments = newCommitments(group, old, dealings, 3);
    expect(commitments[0]).toEqual(d.groupKey);
    const shares: Share[] = [1, 2, 3, 4, 5].map((j) =>
      newShare(
        group,
        j,
        dealings,
        dealt.map((x) => ({ index: x.dealing.index, value: x.subshares[j - 1]!.value })),
      ),
    );
    for (const s of shares) expect(group.verifyShare(s, commitments)).toBe(true);
    expect(group.publicKey(group.recover(shares.slice(1, 4)))).toEqual(d.groupKey);
  });
});
