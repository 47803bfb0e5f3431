/**
 * The one error class of the bitcoin plugin. Callers tell cases apart by
 * `code`, never by message text. Messages say what was wrong with which
 * field (and its length), never the value: a field may hold a key share,
 * an extended private key sent by mistake, or a mnemonic.
 * @module
 */

export type BitcoinErrorCode =
  | 'bad_request' // malformed or invalid input (wrong type, length, point not on the curve, ...)
  | 'not_found' // no committed share for that order
  | 'forbidden' // the sender may not do this (not the order's beneficiary)
  | 'mismatch'; // a client-side check failed: the node's reply does not match what was ordered

export class BitcoinError extends Error {
  override name = 'BitcoinError';
  readonly code: BitcoinErrorCode;
  /** The HTTP status a host should answer with. */
  readonly status: number;
  constructor(code: BitcoinErrorCode, message: string) {
    super(message);
    this.code = code;
    this.status = code === 'not_found' ? 404 : code === 'forbidden' ? 403 : code === 'mismatch' ? 422 : 400;
  }
}

/** Shorthand for the common case: an invalid input field. */
export function badRequest(message: string): BitcoinError {
  return new BitcoinError('bad_request', message);
}
