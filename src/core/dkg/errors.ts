/**
 * How a DKG fails. Two kinds: a DkgError is thrown at the caller for input it must refuse before any
 * round starts (a session that is not well formed, a node that is not in it, a message of the wrong
 * kind); an abort is a state (participant.ts), reached by every check a round makes on other nodes'
 * messages, with one of the stable reasons below and the 1-based indices of the nodes to blame.
 * Messages name fields and nodes, never a secret.
 * @module
 */

export type DkgErrorCode =
  | 'bad_session' // the session document is malformed or breaks a rule (t, n, duplicate nodes, group)
  | 'not_participant' // this node's identity is not listed in the session
  | 'unknown_identity'; // a listed node's identity document was not given

/** Abort reasons, stable: the node integration reports them as they are. */
export const ABORT_REASONS = [
  'timeout', // the round's messages did not all arrive in time
  'missing_message', // the coordinator handed fewer than n messages (a node dropped out, or was dropped)
  'out_of_order', // message k is not from node k (a reordering coordinator)
  'bad_message', // not a well-formed envelope of this round and session
  'bad_signature', // the envelope's signature does not verify under the sender's identity key
  'bad_commitments', // not t valid points, or C_0 the identity
  'bad_pop', // the proof of possession of f_i(0) does not verify under C_i,0
  'bad_share', // this node's share from the sender does not open or does not match the commitments
  'transcript_mismatch', // the nodes did not all sign this node's transcript (equivocation)
  'peer_abort', // another node aborted and said why in its signed custody/dkg-abort
] as const;

export type AbortReason = (typeof ABORT_REASONS)[number];

export class DkgError extends Error {
  override name = 'DkgError';
  readonly code: DkgErrorCode;
  /** The HTTP status a host answers with. */
  readonly status = 400;
  constructor(code: DkgErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Thrown inside a round's checks and turned into an aborted state by the round; never leaves the engine. */
export class DkgAbort extends Error {
  override name = 'DkgAbort';
  readonly reason: AbortReason;
  readonly nodes: readonly number[];
  constructor(reason: AbortReason, nodes: readonly number[], message: string) {
    super(message);
    this.reason = reason;
    this.nodes = nodes;
  }
}
