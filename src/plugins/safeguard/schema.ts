/**
 * The contents of safeguard envelopes, as DAG-CBOR values, and their strict
 * parsers (the schema combinators of src/core/schema.ts): a map with exactly
 * the known fields, each of the right type and size; anything else is
 * SafeguardError('malformed') naming the field.
 *
 *   "safeguard/order"   request  { beneficiary, secret [, label] }     deposit 1..16384 bytes (before intents)
 *                                { beneficiary, generate [, label] }   the node draws 16..64 random bytes
 *                                { beneficiary, deposit, depositSalt, depositCommitment [, label] }
 *                                     with its intent: sealed to the node and the beneficiary, the secret in
 *                                     a "safeguard/deposit" envelope sealed to the node only (deposit.ts)
 *   "safeguard/deposit" part     { secret }   inside an order, sealed to the node only
 *                       reply    { order, beneficiary, size, generated, commitment [, label] }
 *                                sealed to the principal and the beneficiary
 *   "safeguard/redeem"  request  { }   from the beneficiary
 *                       reply    { order, secret, commitment }   sealed to the beneficiary only
 *
 * The limits are the protocol's, shared by the node (which refuses more) and the app (which says so first).
 * @module
 */
import type { CID } from 'multiformats/cid';
import { SchemaError } from '../../core/protocol/errors.ts';
import { boolean, bytes, type Check, cid, integer, struct, text } from '../../core/schema.ts';
import { COMMITMENT_BYTES } from './commitment.ts';
import { DEPOSIT_TYPE, SALT_BYTES } from './deposit.ts';
import { SafeguardError } from './errors.ts';

export const MAX_SECRET_BYTES = 16 * 1024;
export const MIN_GENERATE = 16;
export const MAX_GENERATE = 64;
/** In characters (UTF-16 code units), as a text field's maxlength counts them. */
export const MAX_LABEL = 128;

export interface OrderRequest {
  /** The identity CID of the only party that may redeem. */
  readonly beneficiary: CID;
  /** The secret to keep, or … */
  readonly secret?: Uint8Array;
  /** … how many random bytes the node draws. */
  readonly generate?: number;
  readonly label?: string;
  /** With its intent: the bytes of a "safeguard/deposit" envelope sealed to the node only, holding the secret; */
  readonly deposit?: Uint8Array;
  /** … the salt and … */
  readonly depositSalt?: Uint8Array;
  /** … the salted commitment to that secret, for the beneficiary to check (deposit.ts). */
  readonly depositCommitment?: Uint8Array;
}

export interface OrderReply {
  readonly order: string;
  readonly beneficiary: CID;
  readonly size: number;
  readonly generated: boolean;
  readonly commitment: Uint8Array;
  readonly label?: string;
}

export interface RedeemReply {
  readonly order: string;
  readonly secret: Uint8Array;
  readonly commitment: Uint8Array;
}

// A label of at most MAX_LABEL characters: at most 3 UTF-8 bytes each, so the byte bound never refuses first.
const label = text({
  maxBytes: 3 * MAX_LABEL,
  test: (s) => s.length <= MAX_LABEL,
  what: `at most ${MAX_LABEL} characters`,
});
const secret = bytes({ min: 1, max: MAX_SECRET_BYTES });
const commitment = bytes(COMMITMENT_BYTES);
// An order id is a CID string (about 60 characters); the bound only keeps a hostile reply small.
const orderId = text({ minBytes: 1, maxBytes: 256 });

// A deposit envelope: the secret sealed to one recipient, with room to spare for its header and key slot.
const depositEnvelope = bytes({ min: 1, max: MAX_SECRET_BYTES + 4096 });
const orderRequest = struct(
  { beneficiary: cid },
  {
    secret,
    generate: integer(MIN_GENERATE, MAX_GENERATE),
    label,
    deposit: depositEnvelope,
    depositSalt: bytes(SALT_BYTES),
    depositCommitment: commitment,
  },
);
const depositContent = struct({ secret });
const redeemRequest = struct({});
const orderReply = struct(
  { order: orderId, beneficiary: cid, size: integer(1, MAX_SECRET_BYTES), generated: boolean, commitment },
  { label },
);
const redeemReply = struct({ order: orderId, secret, commitment });

/** Runs `check` on untrusted content; a SchemaError becomes SafeguardError('malformed') with its message. */
function parse<T>(check: Check<T>, value: unknown, what: string): T {
  try {
    return check(value, what);
  } catch (e) {
    if (e instanceof SchemaError) throw new SafeguardError('malformed', e.message);
    throw e;
  }
}

export function parseOrderRequest(content: unknown): OrderRequest {
  const request = parse(orderRequest, content, 'safeguard/order');
  const given = [request.secret, request.generate, request.deposit].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw new SafeguardError('malformed', 'safeguard/order: give exactly one of "secret", "generate" and "deposit"');
  }
  const parts = [request.deposit, request.depositSalt, request.depositCommitment].filter((v) => v !== undefined);
  if (parts.length !== 0 && parts.length !== 3) {
    throw new SafeguardError(
      'malformed',
      'safeguard/order: "deposit", "depositSalt" and "depositCommitment" go together',
    );
  }
  return request as OrderRequest;
}

/** The secret of an opened "safeguard/deposit" envelope's content. */
export function parseDeposit(content: unknown): Uint8Array {
  return parse(depositContent, content, DEPOSIT_TYPE).secret;
}

/** A redemption carries nothing: the beneficiary proves itself by signing the envelope. */
export function parseRedeemRequest(content: unknown): void {
  parse(redeemRequest, content, 'safeguard/redeem');
}

export function parseOrderReply(content: unknown): OrderReply {
  return parse(orderReply, content, 'safeguard reply') as OrderReply;
}

export function parseRedeemReply(content: unknown): RedeemReply {
  return parse(redeemReply, content, 'safeguard redemption');
}
