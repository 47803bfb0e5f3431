/**
 * A node's Birth Record: the CID of its first identity document, its log's origin and its log's Ed25519 key,
 * as one canonical DAG-CBOR map. Its SHA-256 is what the node anchors first on Bitcoin, so that anyone can
 * check, from the chain alone, that this identity and this log existed no later than that block.
 * Specified in docs/protocol.md#bitcoin-anchors.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { CID } from 'multiformats/cid';
import { encode, isProtocolCid } from '../protocol/cbor.ts';
import { AnchorError } from './errors.ts';

export interface BirthRecord {
  /** CID of the node's first identity document (the one its orders name). */
  readonly identity: CID;
  /** The C2SP origin line of the node's log. */
  readonly origin: string;
  /** The log's Ed25519 public key (32 bytes). */
  readonly key: Uint8Array;
}

const ORIGIN = /^[\x21-\x2a\x2c-\x7e]{1,256}$/;

/** The canonical DAG-CBOR bytes: {type: 'dta/birth-record', version: 1, identity, origin, key}. */
export function birthRecordBytes(record: BirthRecord): Uint8Array {
  if (!isProtocolCid(record.identity)) throw new AnchorError('malformed', 'birth record: identity is not a dta CID');
  if (typeof record.origin !== 'string' || !ORIGIN.test(record.origin)) {
    throw new AnchorError('malformed', 'birth record: origin is not a log origin line');
  }
  if (!(record.key instanceof Uint8Array) || record.key.length !== 32) {
    throw new AnchorError('malformed', 'birth record: key is not 32 bytes');
  }
  const { identity, origin, key } = record;
  return encode({ type: 'dta/birth-record', version: 1, identity, origin, key });
}

/** SHA-256 of the Birth Record's bytes: the hash its anchor payload carries. */
export const birthRecordHash = (record: BirthRecord): Uint8Array => sha256(birthRecordBytes(record));
