/**
 * What a node anchors, and the OP_RETURN payload that commits to it
 * (core/anchor, docs/protocol.md#bitcoin-anchors): its Birth Record
 * (kind 1: SHA-256 of the record's DAG-CBOR), and its log's checkpoints
 * (kind 2: SHA-256 of the checkpoint text, without signatures, so that
 * cosignatures gathered later do not change what was anchored).
 * @module
 */

import { sha256 } from '@noble/hashes/sha2.js';
import { type BirthRecord, birthRecordBytes } from '../../core/anchor/birth-record.ts';
import { ANCHOR_KIND, anchorPayload, checkpointAnchorHash } from '../../core/anchor/payload.ts';
import { toBase64 } from '../../core/bytes.ts';
import { formatCheckpoint } from '../../core/tlog/checkpoint.ts';
import type { SignedCheckpoint } from '../log/types.ts';

export interface AnchorSubject {
  /** Kept and served with the anchor: the Birth Record (base64 DAG-CBOR), or the signed checkpoint note. */
  readonly subject: string;
  readonly hash: Uint8Array;
  readonly payload: Uint8Array;
}

export function birthSubject(record: BirthRecord): AnchorSubject {
  const bytes = birthRecordBytes(record);
  const hash = sha256(bytes);
  return { subject: toBase64(bytes), hash, payload: anchorPayload(ANCHOR_KIND.birthRecord, hash) };
}

export function checkpointSubject(signed: SignedCheckpoint): AnchorSubject {
  const hash = checkpointAnchorHash(formatCheckpoint(signed.checkpoint));
  return { subject: signed.note, hash, payload: anchorPayload(ANCHOR_KIND.checkpoint, hash) };
}
