/**
 * Strict DAG-CBOR: documents are encoded deterministically (@ipld/dag-cbor)
 * and decoded only when the bytes are exactly that encoding, so one value
 * has one byte string, one CID and one signature input. CIDs are v1,
 * dag-cbor (0x71), sha2-256 (0x12), hashed synchronously by the installed
 * SHA-256 (crypto/symmetric-backend.ts: noble in browsers, node:crypto in
 * Node processes).
 * Specified in docs/protocol.md#dag-cbor-and-cids.
 * @module
 */
import * as dagCbor from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import { create as createDigest } from 'multiformats/hashes/digest';
import { equalBytes } from '../bytes.ts';
import { sha256 } from '../crypto/symmetric-backend.ts';
import { decodeProvenCanonical } from './cbor-canonical.ts';
import { CidMismatchError, DecodeError, OversizeError, SchemaError } from './errors.ts';

/** The largest document the protocol reads or writes (1 MiB). */
export const MAX_DOCUMENT_BYTES = 1 << 20;
export const DAG_CBOR_CODE = 0x71;
export const SHA2_256_CODE = 0x12;

/** Canonical DAG-CBOR bytes of `value`; SchemaError for values DAG-CBOR cannot hold, OversizeError above `max`. */
export function encode(value: unknown, max = MAX_DOCUMENT_BYTES): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = dagCbor.encode(value);
  } catch (e) {
    throw new SchemaError(`encode: not a DAG-CBOR value (${e instanceof Error ? e.message : 'error'})`);
  }
  if (bytes.length > max) throw new OversizeError(`encode: ${bytes.length} bytes, the limit is ${max}`);
  return bytes;
}

/**
 * The value of `bytes`, which must be canonical DAG-CBOR of at most `max`
 * bytes: re-encoding the decoded value must give the same bytes (this
 * rejects unsorted or duplicate map keys, non-minimal lengths, floats that
 * stand for integers, indefinite lengths and trailing bytes). The common
 * shapes are decoded and proven canonical in one pass (cbor-canonical.ts).
 */
export function decodeStrict(bytes: Uint8Array, max = MAX_DOCUMENT_BYTES): unknown {
  if (!(bytes instanceof Uint8Array)) throw new DecodeError('decode: expected a Uint8Array');
  if (bytes.length > max) throw new OversizeError(`decode: ${bytes.length} bytes, the limit is ${max}`);
  // Most documents are decoded and proven canonical in one pass; the rest are decoded, encoded again, compared.
  const proven = decodeProvenCanonical(bytes);
  if (proven) return proven.value;
  let value: unknown;
  try {
    value = dagCbor.decode(bytes);
  } catch (e) {
    throw new DecodeError(`decode: not DAG-CBOR (${e instanceof Error ? e.message : 'error'})`);
  }
  let again: Uint8Array;
  try {
    again = dagCbor.encode(value);
  } catch {
    throw new DecodeError('decode: the value cannot be re-encoded as DAG-CBOR');
  }
  if (!equalBytes(again, bytes)) throw new DecodeError('decode: not the canonical DAG-CBOR encoding');
  return value;
}

/** CIDv1(dag-cbor, sha2-256(bytes)). */
export function cidOf(bytes: Uint8Array): CID {
  return CID.create(1, DAG_CBOR_CODE, createDigest(SHA2_256_CODE, sha256(bytes)));
}

/** True for the only kind of CID the protocol uses: v1, dag-cbor, sha2-256 with a 32-byte digest. */
export function isProtocolCid(value: unknown): value is CID {
  const cid = CID.asCID(value);
  return (
    cid !== null &&
    cid.version === 1 &&
    cid.code === DAG_CBOR_CODE &&
    cid.multihash.code === SHA2_256_CODE &&
    cid.multihash.size === 32
  );
}

/** Throws CidMismatchError unless `bytes` hash to `cid`. */
export function checkCid(cid: CID, bytes: Uint8Array): void {
  if (!cidOf(bytes).equals(cid)) throw new CidMismatchError(`the block does not hash to ${String(cid)}`);
}
