/**
 * The one error of the Bitcoin anchor code. `code` names the check that failed, so a caller (the app's Audit
 * page, the node) can branch on it and show it; the message says what and where, in words.
 * @module
 */

/** Stable codes, one per check of docs/protocol.md#bitcoin-anchors. */
export type AnchorErrorCode =
  | 'malformed' // not hex, wrong length, not a transaction, a field of the wrong type
  | 'bad_bits' // a header's compact target is negative, zero, overflows, or is easier than the network allows
  | 'bad_pow' // a header's hash is above its target
  | 'bad_difficulty' // a header's bits break the retarget bounds (constant within a period, at most 4x easier)
  | 'bad_chain' // a header does not link to the one before it, or the chain does not start at the checkpoint
  | 'bad_branch' // the Merkle branch does not lead from the transaction to the header's Merkle root
  | 'mutated_merkle' // a transaction list whose Merkle root can be forged by duplicating txids (CVE-2012-2459)
  | 'no_payload' // the transaction has no dta anchor payload in an OP_RETURN output
  | 'wrong_payload' // it has one, for another kind or another hash than expected
  | 'unknown_network'; // no trusted checkpoint or proof-of-work limit for this network

export class AnchorError extends Error {
  override name = 'AnchorError';
  readonly code: AnchorErrorCode;
  constructor(code: AnchorErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
