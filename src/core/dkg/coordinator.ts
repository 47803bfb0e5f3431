/**
 * The coordinator's side of the DKG (the principal's app or a node), as pure transitions like the
 * participant's. It is untrusted and needs no key: it collects each round's envelopes, one per node,
 * and hands all n, in node order, to every node. It reads only the envelope headers (who sent what);
 * the nodes check everything. What it can do wrong (drop, reorder, replace, hand different nodes
 * different messages) makes the DKG abort, and nothing more (docs/protocol.md).
 * @module
 */
import { decodeEnvelope, isSealed } from '../protocol/envelope.ts';
import { type AbortNotice, readAbortHeader } from './abort-notice.ts';
import { ROUND1_TYPE, ROUND2_TYPE, readSession, round2Schema } from './messages.ts';

/** One slot per node, null until its envelope arrived. */
type Slots = (Uint8Array | null)[];

export interface CoordinatorState {
  readonly phase: 'round1' | 'round2' | 'done' | 'aborted';
  readonly session: Uint8Array;
  readonly round1: Slots;
  readonly round2: Slots;
  /** Set when done: the group key the nodes signed (read from node 1's round-2 envelope). */
  readonly groupKey: Uint8Array | null;
  /** Set when aborted on a timeout: the 1-based indices of the nodes whose envelopes did not arrive. */
  readonly missing: number[];
  /** Set when aborted on a node's notice: who gave up, why, and whom it blames (its claim, not checked here). */
  readonly notice: AbortNotice | null;
}

export type CoordinatorMessage =
  | { readonly kind: 'envelope'; readonly envelope: Uint8Array }
  | { readonly kind: 'timeout' };

/** What to hand every node: all n envelopes of a round, or the first abort notice (as a ParticipantMessage). */
export type Broadcast =
  | { readonly kind: 'round1' | 'round2'; readonly envelopes: Uint8Array[] }
  | { readonly kind: 'abort'; readonly envelope: Uint8Array };

export interface CoordinatorStep {
  readonly state: CoordinatorState;
  readonly outgoing: Broadcast | null;
}

export function startCoordinator(sessionBytes: Uint8Array): CoordinatorState {
  const n = readSession(sessionBytes).value.nodes.length;
  const empty = (): Slots => Array.from({ length: n }, () => null);
  const [round1, round2] = [empty(), empty()];
  return { phase: 'round1', session: sessionBytes, round1, round2, groupKey: null, missing: [], notice: null };
}

const missingOf = (slots: Slots): number[] => slots.flatMap((s, k) => (s === null ? [k + 1] : []));

/**
 * The sender's slot for an envelope of the current round, or -1 for anything else (another session,
 * round or sender; undecodable). The first envelope a node sends for a round is kept; later ones are
 * ignored, so a node cannot replace its message once the coordinator has it.
 */
function slotOf(state: CoordinatorState, bytes: Uint8Array): number {
  const session = readSession(state.session);
  const type = state.phase === 'round1' ? ROUND1_TYPE : ROUND2_TYPE;
  try {
    const { header } = decodeEnvelope(bytes).value;
    if (header.type !== type || header.order !== session.cid.toString()) return -1;
    return session.value.nodes.findIndex((c) => c.equals(header.sender));
  } catch {
    return -1;
  }
}

/** What node 1 says the group key is; null when it does not say (the nodes' own checks decide). */
function groupKeyOf(envelope: Uint8Array): Uint8Array | null {
  try {
    const { body } = decodeEnvelope(envelope).value;
    return isSealed(body) ? null : round2Schema(body.plain, 'round2').groupKey;
  } catch {
    return null;
  }
}

/**
 * The next state on an envelope from a node, or on the round's timeout. A node's abort notice ends the DKG
 * (even after the last round was handed out: that node did not activate its share) and is handed to all.
 */
export function coordinatorReceive(state: CoordinatorState, message: CoordinatorMessage): CoordinatorStep {
  if (state.phase === 'aborted') return { state, outgoing: null };
  if (message.kind === 'envelope') {
    const notice = readAbortHeader(readSession(state.session), message.envelope);
    if (notice !== null) {
      const outgoing = { kind: 'abort' as const, envelope: message.envelope };
      return { state: { ...state, phase: 'aborted', notice }, outgoing };
    }
  }
  if (state.phase === 'done') return { state, outgoing: null };
  const round = state.phase === 'round1' ? state.round1 : state.round2;
  if (message.kind === 'timeout')
    return { state: { ...state, phase: 'aborted', missing: missingOf(round) }, outgoing: null };
  const k = slotOf(state, message.envelope);
  if (k < 0 || round[k] !== null) return { state, outgoing: null };
  const slots = round.map((s, j) => (j === k ? message.envelope : s));
  if (missingOf(slots).length > 0) {
    return {
      state: state.phase === 'round1' ? { ...state, round1: slots } : { ...state, round2: slots },
      outgoing: null,
    };
  }
  const envelopes = slots as Uint8Array[];
  if (state.phase === 'round1') {
    return { state: { ...state, phase: 'round2', round1: slots }, outgoing: { kind: 'round1', envelopes } };
  }
  const groupKey = groupKeyOf(envelopes[0] as Uint8Array);
  return { state: { ...state, phase: 'done', round2: slots, groupKey }, outgoing: { kind: 'round2', envelopes } };
}
