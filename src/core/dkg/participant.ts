/**
 * One node's side of the DKG, as pure transitions `(context, state, message) → {state, outgoing}`: no
 * I/O, no clock, states made of DAG-CBOR values, so the node integration only persists each state
 * before it sends `outgoing` and replays it after a restart (a node never draws a second polynomial for
 * a session, which would be equivocation). Rounds (docs/protocol.md, "Distributed key generation and
 * resharing"):
 *  1. start: draw f_i, sign a `custody/dkg-round1` envelope (commitments, proof of possession, shares
 *     sealed one per node);
 *  2. on the n round-1 envelopes: check them all, compute the share x_i = Σ_k f_k(i), the group
 *     commitments and the group key, sign the transcript hash in a `custody/dkg-round2` envelope;
 *  3. on the n round-2 envelopes: activate the share only if all n signed the same transcript.
 * Any failed check, or a timeout, aborts: the state keeps the reason and the nodes to blame, and no share,
 * and the node signs a `custody/dkg-abort` notice for the coordinator to relay (abort-notice.ts).
 * @module
 */
import { wipe } from '../bytes.ts';
import { createEnvelope } from '../protocol/envelope.ts';
import type { Verified } from '../protocol/types.ts';
import { readAbort, signAbort } from './abort-notice.ts';
import { identityOf, type ParticipantContext } from './context.ts';
import { type AbortReason, DkgAbort, DkgError } from './errors.ts';
import { type DkgSession, ROUND1_TYPE, ROUND2_TYPE, readSession } from './messages.ts';
import { checkRound1, checkRound2 } from './round-checks.ts';
import { popMessage, transcriptHash } from './session-binding.ts';
import { sealShare } from './share-seal.ts';

interface Common {
  /** The session document's bytes. */
  readonly session: Uint8Array;
  /** This node's share index. */
  readonly index: number;
}

/** Waiting for the n round-1 envelopes; `own` is f_i(i), this node's part of its own share (secret). */
export interface Round1State extends Common {
  readonly phase: 'round1';
  readonly round1: Uint8Array;
  readonly own: Uint8Array;
}

/** Waiting for the n round-2 envelopes; `share` is pending (secret) until all n sign `transcript`. */
export interface Round2State extends Common {
  readonly phase: 'round2';
  readonly round1: Uint8Array;
  readonly transcript: Uint8Array;
  readonly share: Uint8Array;
  readonly groupKey: Uint8Array;
  readonly commitments: Uint8Array[];
  readonly round2: Uint8Array;
}

/** The DKG succeeded: `share` verifies against `commitments`, whose first is the group key. */
export interface DoneState extends Common {
  readonly phase: 'done';
  readonly transcript: Uint8Array;
  readonly share: Uint8Array;
  readonly groupKey: Uint8Array;
  readonly commitments: Uint8Array[];
}

export interface AbortedState extends Common {
  readonly phase: 'aborted';
  readonly reason: AbortReason;
  /** The 1-based indices of the nodes to blame (empty when nobody can be named, e.g. a timeout). */
  readonly nodes: number[];
  readonly detail: string;
}

export type ParticipantState = Round1State | Round2State | DoneState | AbortedState;

/** What the coordinator hands a participant: all n envelopes of a round in node order, a node's abort notice, or a timeout. */
export type ParticipantMessage =
  | { readonly kind: 'round1'; readonly envelopes: readonly Uint8Array[] }
  | { readonly kind: 'round2'; readonly envelopes: readonly Uint8Array[] }
  | { readonly kind: 'abort'; readonly envelope: Uint8Array }
  | { readonly kind: 'timeout' };

export interface ParticipantStep {
  readonly state: ParticipantState;
  /** The envelope to hand the coordinator, if any (resent unchanged when a round's input is replayed). */
  readonly outgoing: Uint8Array | null;
}

/** The session, checked against the context: its group, this node listed, every identity given. */
function sessionIn(
  ctx: ParticipantContext,
  sessionBytes: Uint8Array,
): { session: Verified<DkgSession>; index: number } {
  const session = readSession(sessionBytes);
  if (session.value.group !== ctx.group.name) {
    throw new DkgError('bad_session', `session.group: ${session.value.group}, this engine runs ${ctx.group.name}`);
  }
  const index = session.value.nodes.findIndex((c) => c.equals(ctx.me.cid)) + 1;
  if (index === 0) throw new DkgError('not_participant', `session.nodes: ${String(ctx.me.cid)} is not listed`);
  for (const node of session.value.nodes) identityOf(ctx, node);
  return { session, index };
}

/** Round 1: draws f_i of degree t−1 and signs the round-1 envelope. Throws DkgError for a session to refuse. */
export async function startParticipant(ctx: ParticipantContext, sessionBytes: Uint8Array): Promise<ParticipantStep> {
  const { session, index } = sessionIn(ctx, sessionBytes);
  const { nodes, t } = session.value;
  const secret = ctx.group.random();
  const dealing = ctx.group.deal(secret, t, nodes.length);
  try {
    const shares = nodes.flatMap((node, k) => {
      if (k + 1 === index) return [];
      const slot = { session: session.cid, sender: ctx.me.cid, recipient: node, index: k + 1 };
      const value = (dealing.shares[k] as { value: Uint8Array }).value;
      return [sealShare(slot, identityOf(ctx, node).value.keys.xwing, value)];
    });
    const pop = ctx.group.provePossession(secret, popMessage(session.cid, ctx.me.cid));
    const content = { session: session.cid, index, commitments: dealing.commitments, pop, shares };
    const envelope = await createEnvelope(ctx.bls, ctx.me.bls, {
      type: ROUND1_TYPE,
      sender: ctx.me.cid,
      order: session.cid.toString(),
      content,
    });
    const own = Uint8Array.from((dealing.shares[index - 1] as { value: Uint8Array }).value);
    const state: Round1State = { phase: 'round1', session: sessionBytes, index, round1: envelope.bytes, own };
    return { state, outgoing: envelope.bytes };
  } finally {
    wipe(secret, ...dealing.shares.map((s) => s.value));
  }
}

/**
 * The aborted state and the signed notice saying why (none when another node's notice is the reason); the
 * secrets of the state it replaces are wiped (an abort deletes the pending share).
 */
async function aborted(ctx: ParticipantContext, state: ParticipantState, e: DkgAbort): Promise<ParticipantStep> {
  if ('share' in state) wipe(state.share);
  if ('own' in state) wipe(state.own);
  const { session, index } = state;
  const next: AbortedState = {
    phase: 'aborted',
    session,
    index,
    reason: e.reason,
    nodes: [...e.nodes],
    detail: e.message,
  };
  const notice = e.reason === 'peer_abort' ? null : await signAbort(ctx, readSession(session), e);
  return { state: next, outgoing: notice };
}

/** Another node's notice, verified, as this node's abort; a notice that does not verify is ignored. */
async function onAbortNotice(ctx: ParticipantContext, state: ParticipantState, envelope: Uint8Array) {
  const notice = await readAbort(ctx, readSession(state.session), envelope);
  if (notice === null || notice.node === state.index) return { state, outgoing: null };
  const blamed = notice.nodes.length > 0 ? ` blaming node ${notice.nodes.join(', ')}` : '';
  throw new DkgAbort('peer_abort', [notice.node], `dkg: node ${notice.node} aborted (${notice.reason}${blamed})`);
}

async function onRound1(ctx: ParticipantContext, state: Round1State, envelopes: readonly Uint8Array[]) {
  const { session } = sessionIn(ctx, state.session);
  const checked = await checkRound1(ctx, session, state, envelopes);
  const shares = [...checked.shares];
  shares.splice(state.index - 1, 0, Uint8Array.from(state.own)); // a copy: the input state stays usable
  const share = ctx.group.sumScalars(shares);
  wipe(...shares);
  const t = session.value.t;
  const commitments = Array.from({ length: t }, (_, j) =>
    ctx.group.sumPoints(checked.commitments.map((c) => c[j] as Uint8Array)),
  );
  const groupKey = commitments[0] as Uint8Array;
  const transcript = transcriptHash(session.cid, checked.cids);
  const envelope = await createEnvelope(ctx.bls, ctx.me.bls, {
    type: ROUND2_TYPE,
    sender: ctx.me.cid,
    order: session.cid.toString(),
    content: { session: session.cid, transcript, groupKey },
  }).catch((e: unknown) => {
    wipe(share); // the state that would have held it is never returned
    throw e;
  });
  const { phase: _, own: __, ...common } = state;
  const next: Round2State = {
    ...common,
    phase: 'round2',
    transcript,
    share,
    groupKey,
    commitments,
    round2: envelope.bytes,
  };
  return { state: next, outgoing: envelope.bytes };
}

async function onRound2(ctx: ParticipantContext, state: Round2State, envelopes: readonly Uint8Array[]) {
  const { session } = sessionIn(ctx, state.session);
  await checkRound2(ctx, session, state, envelopes);
  const { session: s, index, transcript, share, groupKey, commitments } = state;
  const next: DoneState = { phase: 'done', session: s, index, transcript, share, groupKey, commitments };
  return { state: next, outgoing: null };
}

/**
 * The next state on a message. A round's input replayed after the node moved on resends what it sent
 * (the coordinator may have lost it); a message for a later round than the node's is refused as
 * `bad_message`; a verified abort notice from another node aborts this one (`peer_abort`); a finished or
 * aborted DKG stays as it is.
 */
export async function participantReceive(
  ctx: ParticipantContext,
  state: ParticipantState,
  message: ParticipantMessage,
): Promise<ParticipantStep> {
  if (state.phase === 'done' || state.phase === 'aborted') return { state, outgoing: null };
  try {
    if (message.kind === 'timeout') {
      throw new DkgAbort('timeout', [], `dkg: ${state.phase} did not complete in time`);
    }
    if (message.kind === 'abort') return await onAbortNotice(ctx, state, message.envelope);
    if (state.phase === 'round1') {
      if (message.kind === 'round1') return await onRound1(ctx, state, message.envelopes);
      throw new DkgAbort('bad_message', [], 'dkg: round-2 messages before round 1 completed');
    }
    if (message.kind === 'round1') return { state, outgoing: state.round2 };
    return await onRound2(ctx, state, message.envelopes);
  } catch (e) {
    if (e instanceof DkgAbort) return await aborted(ctx, state, e);
    throw e;
  }
}
