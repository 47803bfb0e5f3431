/**
 * The one error class of the bitcoin plugin. Callers tell cases apart by
 * `code`, never by message text. Messages say what was wrong with which
 * field (and its length), never the value: a field may hold a key share,
 * an extended private key sent by mistake, or a mnemonic.
 * @module
 */

/** Codes and statuses follow the node's table (src/node/http/errors.ts); `mismatch` is client-side only. */
export type BitcoinErrorCode =
  | 'bad_request' // malformed or invalid input (wrong type, length, network, path, ...)
  | 'invalid_point' // a public key that is not a point of secp256k1
  | 'not_found' // no committed share for that order
  | 'not_beneficiary' // only the order's beneficiary may redeem it
  | 'conflict' // the keystore holds another request under this order id
  | 'key_statement_required' // an order for another identity gave a raw key, not that identity's signed statement
  | 'key_card_expired' // the key statement has passed its expiry, or has none (made before cards expired)
  | 'key_reused' // this node already holds an order with the same beneficiary key B
  | 'not_party' // order details go only to the order's principal and beneficiary
  | 'not_requester' // threshold mode: only the identity that started the DKG at this node may bind it
  | 'dkg_taken' // threshold mode: another order binds this node's share of that DKG
  | 'mismatch'; // a client-side check failed: the node's reply does not match what was ordered

const STATUS: Readonly<Record<BitcoinErrorCode, number>> = Object.freeze({
  bad_request: 400,
  invalid_point: 400,
  not_found: 404,
  not_beneficiary: 403,
  conflict: 409,
  key_statement_required: 400,
  key_card_expired: 400,
  key_reused: 409,
  not_party: 403,
  not_requester: 403,
  dkg_taken: 409,
  mismatch: 422,
});

export class BitcoinError extends Error {
  override name = 'BitcoinError';
  readonly code: BitcoinErrorCode;
  /** The HTTP status a host should answer with. */
  readonly status: number;
  constructor(code: BitcoinErrorCode, message: string) {
    super(message);
    this.code = code;
    this.status = STATUS[code];
  }
}

/** Shorthand for the common case: an invalid input field. */
export function badRequest(message: string): BitcoinError {
  return new BitcoinError('bad_request', message);
}
