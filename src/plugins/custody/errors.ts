/**
 * The one error class of the custody plugin's shared half. Callers tell cases apart by `code`, never by message
 * text; messages name the field, the node or the group, never a secret.
 * @module
 */

/** Codes and statuses follow the node's table (src/node/http/errors.ts); the last four are client-side only. */
export type CustodyErrorCode =
  | 'malformed' // an envelope's content or the group document is not of the documented shape
  | 'bad_group' // the group document is not the principal's, does not list this node, or names another beneficiary
  | 'bad_share' // a share that does not match the group's commitments (refused before anything is committed)
  | 'group_taken' // this node already holds a share of that group under another order
  | 'mismatch' // client side: a reply that is not about what was ordered
  | 'incomplete' // client side: fewer than n nodes accepted their share (the error says which did not)
  | 'too_few_shares' // client side: fewer than t good shares came back (the error names the nodes)
  | 'decrypt_failed'; // client side: the recovered key does not open the ciphertext

const STATUS: Readonly<Record<CustodyErrorCode, number>> = Object.freeze({
  malformed: 400,
  bad_group: 400,
  bad_share: 400,
  group_taken: 409,
  mismatch: 422,
  incomplete: 502,
  too_few_shares: 502,
  decrypt_failed: 422,
});

export class CustodyError extends Error {
  override name = 'CustodyError';
  readonly code: CustodyErrorCode;
  /** The HTTP status a host answers with (the node's plugin host reads `code` and `status`). */
  readonly status: number;
  constructor(code: CustodyErrorCode, message: string) {
    super(message);
    this.code = code;
    this.status = STATUS[code];
  }
}

/** Throws CustodyError(`code`, `message`). */
export function refuse(code: CustodyErrorCode, message: string): never {
  throw new CustodyError(code, message);
}
