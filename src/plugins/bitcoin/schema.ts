/**
 * The contents of bitcoin envelopes, as DAG-CBOR values, and their strict
 * parsers (the schema combinators of src/core/schema.ts): a map with exactly
 * the known fields, each of the right type and size; anything else is a
 * `bad_request` naming the field.
 *
 *   "bitcoin/order"  request  { network, addressType, beneficiary?, dkg?,
 *                               beneficiaryPublicKey | (xpub, path) | beneficiaryKey }
 *                    (dkg: threshold mode, threshold.ts: F is the group key of that
 *                    finished DKG session, the reply carries `dkg` and `index`
 *                    instead of a proof, a redemption the node's share f_i)
 *                    (beneficiaryKey: a "bitcoin/key" statement signed by the
 *                    beneficiary, statement.ts, required when the beneficiary
 *                    is not the principal; the node replaces it by the key it
 *                    states before committing, and echoes it in the reply)
 *                    reply    OrderReply   sealed to principal and beneficiary
 *   "bitcoin/redeem" request  { } (or { order } repeating the order id)
 *                    reply    RedeemReply  sealed to the beneficiary only
 * @module
 */
import { CID } from 'multiformats/cid';
import {
  accepted,
  bytes,
  type Check,
  described,
  integer,
  list,
  literal,
  oneOf,
  SchemaPathError,
  struct,
  text,
} from '../../core/schema.ts';
import { ADDRESS_TYPES, type AddressType } from './address.ts';
import { COMMITMENT_BYTES, PROOF_BYTES } from './commitment.ts';
import { badRequest } from './errors.ts';
import { PUBLIC_BYTES, SECRET_BYTES } from './keys.ts';
import { NETWORK_NAMES, type NetworkName } from './network.ts';

export const REPLY_VERSION = 1;

export interface OrderRequest {
  readonly network: NetworkName;
  readonly addressType: AddressType;
  /** Identity CID allowed to redeem; the principal (the order's sender) when absent. */
  readonly beneficiary?: CID;
  /** The beneficiary's share B, compressed, or ... */
  readonly beneficiaryPublicKey?: Uint8Array;
  /** ... an extended public key of the order's network and a public derivation path below it. */
  readonly xpub?: string;
  readonly path?: string;
  /**
   * ... or a key statement signed by the beneficiary (only in requests, never stored; echoed in the reply).
   * Required when the beneficiary is not the principal.
   */
  readonly beneficiaryKey?: Uint8Array;
  /** Threshold mode: the finished DKG session (purpose "bitcoin:fiduciary key") whose group key is F. */
  readonly dkg?: CID;
}

export const MAX_STATEMENT_BYTES = 16 * 1024;

export interface OrderReply {
  readonly version: 1;
  readonly network: NetworkName;
  readonly addressType: AddressType;
  /** The address of `addressType`; `addresses` has both (same key). */
  readonly address: string;
  readonly addresses: { readonly p2wpkh: string; readonly p2tr: string };
  readonly fiduciaryPublicKey: Uint8Array; // F
  readonly beneficiaryPublicKey: Uint8Array; // B
  readonly publicKey: Uint8Array; // F + B
  readonly commitment: Uint8Array;
  /** BIP-340 signature by f over the commitment; absent in threshold mode, where the DKG fixed F. */
  readonly proof?: Uint8Array;
  /** Threshold mode: the DKG session whose group key is F, and this node's share index in it. */
  readonly dkg?: CID;
  readonly index?: number;
  readonly xpub?: string; // echoed when B came from an xpub
  readonly path?: string;
  /** The beneficiary's key statement the order carried, echoed (absent in replies made before it was echoed). */
  readonly beneficiaryKey?: Uint8Array;
}

export interface RedeemReply {
  readonly version: 1;
  readonly fiduciaryShare: Uint8Array; // f, or in threshold mode this node's share f_i
  readonly fiduciaryPublicKey: Uint8Array;
  readonly commitment: Uint8Array;
  /** Threshold mode: the session, this node's index, the group's Feldman commitments (first = F). */
  readonly dkg?: CID;
  readonly index?: number;
  readonly commitments?: Uint8Array[];
}

/** `check(value)` with `where` as the path; a value that does not fit is BitcoinError 'bad_request' naming the field. */
export function parseBitcoinInput<T>(check: Check<T>, value: unknown, where: string): T {
  try {
    return check(value, where);
  } catch (e) {
    if (e instanceof SchemaPathError) throw badRequest(e.message);
    throw e;
  }
}

export const networkField = oneOf(NETWORK_NAMES);
export const addressTypeField = oneOf(ADDRESS_TYPES);
export const publicKeyField = bytes(PUBLIC_BYTES);
export const xpubField = text({ minBytes: 1, maxBytes: 120 });
export const pathField = text({ minBytes: 1, maxBytes: 2048 });
const addressField = text({ minBytes: 1, maxBytes: 90 });

const beneficiaryField = accepted('an identity CID (a DAG-CBOR link)', (v) => CID.asCID(v) ?? undefined);
const dkgField = accepted('a DKG session CID (a DAG-CBOR link)', (v) => CID.asCID(v) ?? undefined);
const indexField = integer(1, 255);
const statementField = described(
  bytes({ min: 1, max: MAX_STATEMENT_BYTES }),
  `a signed key statement of at most ${MAX_STATEMENT_BYTES} bytes`,
);

const ORDER_REQUEST = struct(
  { network: networkField, addressType: addressTypeField },
  {
    beneficiary: beneficiaryField,
    beneficiaryPublicKey: publicKeyField,
    xpub: xpubField,
    path: pathField,
    beneficiaryKey: statementField,
    dkg: dkgField,
  },
);

const REDEEM_REQUEST = struct({}, { order: text({ maxBytes: 256 }) });

const ORDER_REPLY = struct(
  {
    version: literal(REPLY_VERSION),
    network: networkField,
    addressType: addressTypeField,
    address: addressField,
    addresses: struct({ p2wpkh: addressField, p2tr: addressField }),
    fiduciaryPublicKey: publicKeyField,
    beneficiaryPublicKey: publicKeyField,
    publicKey: publicKeyField,
    commitment: bytes(COMMITMENT_BYTES),
  },
  {
    proof: bytes(PROOF_BYTES),
    xpub: xpubField,
    path: pathField,
    beneficiaryKey: statementField,
    dkg: dkgField,
    index: indexField,
  },
);

const REDEEM_REPLY = struct(
  {
    version: literal(REPLY_VERSION),
    fiduciaryShare: bytes(SECRET_BYTES),
    fiduciaryPublicKey: publicKeyField,
    commitment: bytes(COMMITMENT_BYTES),
  },
  { dkg: dkgField, index: indexField, commitments: list(publicKeyField, { min: 1, max: 255 }) },
);

export function parseOrderRequest(content: unknown): OrderRequest {
  const m = parseBitcoinInput(ORDER_REQUEST, content, 'bitcoin/order');
  const hasKey = m.beneficiaryPublicKey !== undefined;
  const hasXpub = m.xpub !== undefined || m.path !== undefined;
  const hasStatement = m.beneficiaryKey !== undefined;
  if (Number(hasKey) + Number(hasXpub) + Number(hasStatement) !== 1) {
    throw badRequest('bitcoin/order: give one of beneficiaryPublicKey, xpub and path, or beneficiaryKey');
  }
  if (hasXpub && (m.xpub === undefined || m.path === undefined))
    throw badRequest('bitcoin/order: give both xpub and path');
  return m;
}

/** A redemption carries nothing the node needs; an `order` field, if present, must name this order. */
export function parseRedeemRequest(content: unknown, orderId: string): void {
  const m = parseBitcoinInput(REDEEM_REQUEST, content, 'bitcoin/redeem');
  if (m.order !== undefined && m.order !== orderId) throw badRequest('order: does not name the order being redeemed');
}

/** A reply proves f (single node) or names the DKG that fixed F and the node's index in it (threshold mode). */
export function parseOrderReply(content: unknown): OrderReply {
  const r = parseBitcoinInput(ORDER_REPLY, content, 'bitcoin order reply');
  const threshold = r.dkg !== undefined && r.index !== undefined;
  if (threshold ? r.proof !== undefined : r.proof === undefined || r.dkg !== undefined || r.index !== undefined) {
    throw badRequest('bitcoin order reply: a proof of f, or (threshold mode) dkg and index, not both');
  }
  return r;
}

export function parseRedeemReply(content: unknown): RedeemReply {
  const r = parseBitcoinInput(REDEEM_REPLY, content, 'bitcoin redeem reply');
  const given = [r.dkg, r.index, r.commitments].filter((f) => f !== undefined).length;
  if (given !== 0 && given !== 3) throw badRequest('bitcoin redeem reply: dkg, index and commitments go together');
  return r;
}
