/**
 * The contents of bitcoin envelopes, as DAG-CBOR values, and their strict
 * parsers: a map with exactly the known fields, each of the right type and
 * size; anything else is a `bad_request` naming the field.
 *
 *   "bitcoin/order"  request  { network, addressType, beneficiary?,
 *                               beneficiaryPublicKey | (xpub, path) | beneficiaryKey }
 *                    (beneficiaryKey: a "bitcoin/key" statement signed by the
 *                    beneficiary, statement.ts; the node replaces it by the key
 *                    it states before committing)
 *                    reply    OrderReply   sealed to principal and beneficiary
 *   "bitcoin/redeem" request  { } (or { order } repeating the order id)
 *                    reply    RedeemReply  sealed to the beneficiary only
 * @module
 */
import { CID } from 'multiformats/cid';
import { type AddressType, addressType } from './address.ts';
import { COMMITMENT_BYTES, PROOF_BYTES } from './commitment.ts';
import { badRequest } from './errors.ts';
import { PUBLIC_BYTES, SECRET_BYTES } from './keys.ts';
import { type NetworkName, network } from './network.ts';

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
  /** ... or a key statement signed by the beneficiary (only in requests; never stored or echoed). */
  readonly beneficiaryKey?: Uint8Array;
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
  readonly proof: Uint8Array; // BIP-340 signature by f over the commitment
  readonly xpub?: string; // echoed when B came from an xpub
  readonly path?: string;
}

export interface RedeemReply {
  readonly version: 1;
  readonly fiduciaryShare: Uint8Array; // f
  readonly fiduciaryPublicKey: Uint8Array;
  readonly commitment: Uint8Array;
}

type Fields = Record<string, unknown>;

/** A DAG-CBOR map (a plain object) with no fields but `allowed`. */
export function plainMap(value: unknown, what: string, allowed: readonly string[]): Fields {
  const proto = typeof value === 'object' && value !== null ? Object.getPrototypeOf(value) : undefined;
  if (proto !== Object.prototype && proto !== null) throw badRequest(`${what}: expected a map`);
  if (CID.asCID(value) !== null) throw badRequest(`${what}: expected a map`);
  for (const key of Object.keys(value as object)) {
    if (!allowed.includes(key)) throw badRequest(`${what}: unknown field ${JSON.stringify(key.slice(0, 64))}`);
  }
  return value as Fields;
}

export function bytesField(value: unknown, field: string, length: number): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) throw badRequest(`${field}: expected ${length} bytes`);
  return value;
}

export function stringField(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw badRequest(`${field}: expected a string of 1 to ${maxLength} characters`);
  }
  return value;
}

export function parseOrderRequest(content: unknown): OrderRequest {
  const m = plainMap(content, 'bitcoin/order', ['network', 'addressType', 'beneficiary', 'beneficiaryPublicKey', 'xpub', 'path', 'beneficiaryKey']);
  const net = network(m['network']).name;
  const type = addressType(m['addressType']);
  let beneficiary: CID | undefined;
  if (m['beneficiary'] !== undefined) {
    beneficiary = CID.asCID(m['beneficiary']) ?? undefined;
    if (!beneficiary) throw badRequest('beneficiary: expected an identity CID (a DAG-CBOR link)');
  }
  const hasKey = m['beneficiaryPublicKey'] !== undefined;
  const hasXpub = m['xpub'] !== undefined || m['path'] !== undefined;
  const hasStatement = m['beneficiaryKey'] !== undefined;
  if (Number(hasKey) + Number(hasXpub) + Number(hasStatement) !== 1) {
    throw badRequest('bitcoin/order: give one of beneficiaryPublicKey, xpub and path, or beneficiaryKey');
  }
  const base = { network: net, addressType: type, ...(beneficiary ? { beneficiary } : {}) };
  if (hasStatement) {
    const statement = m['beneficiaryKey'];
    if (!(statement instanceof Uint8Array) || statement.length === 0 || statement.length > MAX_STATEMENT_BYTES) {
      throw badRequest(`beneficiaryKey: expected a signed key statement of at most ${MAX_STATEMENT_BYTES} bytes`);
    }
    return { ...base, beneficiaryKey: statement };
  }
  if (hasKey) return { ...base, beneficiaryPublicKey: bytesField(m['beneficiaryPublicKey'], 'beneficiaryPublicKey', PUBLIC_BYTES) };
  return { ...base, xpub: stringField(m['xpub'], 'xpub', 120), path: stringField(m['path'], 'path', 2048) };
}

/** A redemption carries nothing the node needs; an `order` field, if present, must name this order. */
export function parseRedeemRequest(content: unknown, orderId: string): void {
  const m = plainMap(content, 'bitcoin/redeem', ['order']);
  if (m['order'] !== undefined && m['order'] !== orderId) throw badRequest('order: does not name the order being redeemed');
}

export function parseOrderReply(content: unknown): OrderReply {
  const m = plainMap(content, 'bitcoin order reply', [
    'version', 'network', 'addressType', 'address', 'addresses', 'fiduciaryPublicKey', 'beneficiaryPublicKey',
    'publicKey', 'commitment', 'proof', 'xpub', 'path',
  ]);
  if (m['version'] !== REPLY_VERSION) throw badRequest('version: unsupported');
  const addresses = plainMap(m['addresses'], 'addresses', ['p2wpkh', 'p2tr']);
  const optional = {
    ...(m['xpub'] !== undefined ? { xpub: stringField(m['xpub'], 'xpub', 120) } : {}),
    ...(m['path'] !== undefined ? { path: stringField(m['path'], 'path', 2048) } : {}),
  };
  return {
    version: REPLY_VERSION,
    network: network(m['network']).name,
    addressType: addressType(m['addressType']),
    address: stringField(m['address'], 'address', 90),
    addresses: { p2wpkh: stringField(addresses['p2wpkh'], 'addresses.p2wpkh', 90), p2tr: stringField(addresses['p2tr'], 'addresses.p2tr', 90) },
    fiduciaryPublicKey: bytesField(m['fiduciaryPublicKey'], 'fiduciaryPublicKey', PUBLIC_BYTES),
    beneficiaryPublicKey: bytesField(m['beneficiaryPublicKey'], 'beneficiaryPublicKey', PUBLIC_BYTES),
    publicKey: bytesField(m['publicKey'], 'publicKey', PUBLIC_BYTES),
    commitment: bytesField(m['commitment'], 'commitment', COMMITMENT_BYTES),
    proof: bytesField(m['proof'], 'proof', PROOF_BYTES),
    ...optional,
  };
}

export function parseRedeemReply(content: unknown): RedeemReply {
  const m = plainMap(content, 'bitcoin redeem reply', ['version', 'fiduciaryShare', 'fiduciaryPublicKey', 'commitment']);
  if (m['version'] !== REPLY_VERSION) throw badRequest('version: unsupported');
  return {
    version: REPLY_VERSION,
    fiduciaryShare: bytesField(m['fiduciaryShare'], 'fiduciaryShare', SECRET_BYTES),
    fiduciaryPublicKey: bytesField(m['fiduciaryPublicKey'], 'fiduciaryPublicKey', PUBLIC_BYTES),
    commitment: bytesField(m['commitment'], 'commitment', COMMITMENT_BYTES),
  };
}
