/**
 * C2SP tlog-cosignature v1 with Ed25519 (signature type 0x04): a witness's
 * statement that, at a time, the checkpoint is the largest consistent tree
 * head it has seen of the log. The signature line's bytes are the 8-byte
 * big-endian POSIX time followed by the Ed25519 signature of
 *
 *     cosignature/v1\ntime <time>\n<checkpoint note text>
 *
 * The header line separates these signatures from plain note signatures of
 * the same key, and the 0x04 in the key ID keeps their lines apart.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { concat, utf8, wipe } from '../bytes.ts';
import { parseCheckpoint } from './checkpoint.ts';
import { TlogError } from './errors.ts';
import {
  ALG_COSIGNATURE_V1,
  checkEd25519PublicKey,
  checkKeyName,
  ed25519SecretKey,
  keyIdOf,
  verifierKeyText,
} from './keys.ts';
import type { NoteSignature, NoteVerifier } from './note.ts';

/** A witness key that cosigns checkpoints. */
export interface Cosigner {
  readonly name: string;
  readonly keyId: number;
  /** The cosignature line of `checkpointText` (a checkpoint's note text) at `unixSeconds`. */
  cosign(checkpointText: string, unixSeconds: number): NoteSignature;
}

const TIME_SIZE = 8;
const ED25519_SIGNATURE_SIZE = 64;
// The spec caps the time at 2^63 - 1; JS numbers carry it exactly up to 2^53 - 1, which is later than any clock.
const MAX_TIME = Number.MAX_SAFE_INTEGER;

/** Verifier key text of a cosigner: `name+keyId+base64(0x04 ‖ publicKey)`. */
export function cosignatureVerifierKey(name: string, publicKey: Uint8Array): string {
  return verifierKeyText(name, ALG_COSIGNATURE_V1, checkEd25519PublicKey(publicKey));
}

/** The verifier of a cosigner's signature lines (parseVerifierKey builds it from a 0x04 verifier key). */
export function cosignatureVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  checkKeyName(name);
  const key = checkEd25519PublicKey(publicKey).slice();
  return {
    name,
    keyId: keyIdOf(name, ALG_COSIGNATURE_V1, key),
    verify(message, signature) {
      if (signature.length !== TIME_SIZE + ED25519_SIGNATURE_SIZE) return false;
      const time = readTime(signature);
      if (time > MAX_TIME) return false;
      const signed = cosignedMessage(message, time);
      return ed25519.verify(signature.subarray(TIME_SIZE), signed, key, { zip215: false });
    },
  };
}

/** A cosigner over a 32-byte Ed25519 secret key, kept as its own copy until `wipe()`. */
export function cosigner(name: string, secretKey: Uint8Array): Cosigner & { wipe(): void } {
  checkKeyName(name);
  const key = ed25519SecretKey(secretKey);
  const keyId = keyIdOf(name, ALG_COSIGNATURE_V1, ed25519.getPublicKey(key));
  let wiped = false;
  return {
    name,
    keyId,
    cosign(checkpointText, unixSeconds) {
      if (wiped) throw new TlogError('malformed', 'cosigner: the key was wiped');
      parseCheckpoint(checkpointText);
      if (!Number.isSafeInteger(unixSeconds) || unixSeconds < 0) {
        throw new TlogError('out_of_range', 'cosignature: the time is not a non-negative integer');
      }
      const time = new Uint8Array(TIME_SIZE);
      new DataView(time.buffer).setBigUint64(0, BigInt(unixSeconds), false);
      const signature = ed25519.sign(cosignedMessage(utf8(checkpointText), unixSeconds), key);
      return { name, keyId, signature: concat(time, signature) };
    },
    wipe() {
      wiped = true;
      wipe(key);
    },
  };
}

/** The POSIX time a cosignature states; throws TlogError('malformed') if the bytes are not a v1 cosignature. */
export function cosignatureTime(sig: NoteSignature): number {
  if (sig.signature.length !== TIME_SIZE + ED25519_SIGNATURE_SIZE) {
    throw new TlogError('malformed', 'cosignature: expected 8 bytes of time and 64 of signature');
  }
  const time = readTime(sig.signature);
  if (time > MAX_TIME) throw new TlogError('malformed', 'cosignature: the time is out of range');
  return Number(time);
}

function readTime(signature: Uint8Array): bigint {
  return new DataView(signature.buffer, signature.byteOffset, TIME_SIZE).getBigUint64(0, false);
}

function cosignedMessage(checkpointText: Uint8Array, time: number | bigint): Uint8Array {
  return concat(utf8(`cosignature/v1\ntime ${time}\n`), checkpointText);
}
