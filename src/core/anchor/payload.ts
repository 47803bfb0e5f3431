/**
 * The anchor payload a dta node writes in an OP_RETURN output: the ASCII tag "dta", one kind byte, and a
 * SHA-256 (36 bytes, well under the 80-byte standard data carrier). Kind 1 commits to a Birth Record, kind 2 to
 * a log checkpoint (the SHA-256 of its checkpoint text, without signatures).
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, equalBytes, utf8 } from '../bytes.ts';
import { AnchorError } from './errors.ts';

export const ANCHOR_KIND = Object.freeze({ birthRecord: 1, checkpoint: 2 } as const);
export type AnchorKind = (typeof ANCHOR_KIND)[keyof typeof ANCHOR_KIND];

const TAG = utf8('dta');
const ANCHOR_PAYLOAD_BYTES = TAG.length + 1 + 32;

/** "dta" ‖ kind ‖ hash. */
export function anchorPayload(kind: AnchorKind, hash: Uint8Array): Uint8Array {
  if (kind !== ANCHOR_KIND.birthRecord && kind !== ANCHOR_KIND.checkpoint) {
    throw new AnchorError('malformed', `anchor kind ${kind}: expected 1 or 2`);
  }
  if (!(hash instanceof Uint8Array) || hash.length !== 32) throw new AnchorError('malformed', 'anchor hash: 32 bytes');
  return concat(TAG, Uint8Array.of(kind), hash);
}

/** The output script carrying `payload`: OP_RETURN and one direct push. */
export const anchorScript = (payload: Uint8Array): Uint8Array => concat(Uint8Array.of(0x6a, payload.length), payload);

/** The kind and hash of a pushed datum when it is a dta anchor payload, else undefined. */
export function parseAnchorPayload(data: Uint8Array): { kind: AnchorKind; hash: Uint8Array } | undefined {
  if (data.length !== ANCHOR_PAYLOAD_BYTES || !equalBytes(data.subarray(0, TAG.length), TAG)) return undefined;
  const kind = data[TAG.length]!;
  if (kind !== ANCHOR_KIND.birthRecord && kind !== ANCHOR_KIND.checkpoint) return undefined;
  return { kind, hash: data.slice(TAG.length + 1) };
}

/** The hash a kind-2 anchor carries for a checkpoint: SHA-256 of its text (origin, size, root, extensions). */
export const checkpointAnchorHash = (checkpointText: string): Uint8Array => sha256(utf8(checkpointText));
