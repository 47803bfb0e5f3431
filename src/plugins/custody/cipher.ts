/**
 * The custody ciphertext: the secret encrypted once, under a key derived from the dealt scalar k, so that the
 * nodes hold only shares of k and the ciphertext may be stored anywhere (it is public, named by its CID).
 *
 *   K          = HKDF-SHA256(ikm = k, salt = "", info = "dta/custody/v1 key", 32 bytes)
 *   AAD        = "dta/custody/v1 ciphertext\0" || bytes of the beneficiary's identity CID
 *   ciphertext = nonce (12 random bytes) || AES-256-GCM(K, nonce, AAD, secret)
 *   its name   = CIDv1(raw 0x55, sha2-256(ciphertext))
 *
 * K is used for one message only, so a random nonce can never repeat under it. The AAD binds the ciphertext to
 * its beneficiary: the same bytes cannot be passed off as a secret for someone else.
 * @module
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { CID } from 'multiformats/cid';
import { CID as CIDClass } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { create as createDigest } from 'multiformats/hashes/digest';
import { concat, randomBytes, utf8, wipe } from '../../core/bytes.ts';
import { aes256gcm, NONCE_BYTES, TAG_BYTES } from '../../core/crypto/aead.ts';
import { CustodyError } from './errors.ts';

const KEY_INFO = utf8('dta/custody/v1 key');
const AAD_PREFIX = utf8('dta/custody/v1 ciphertext\0');
const SHA2_256 = 0x12;

/** The largest secret a custody group keeps (its ciphertext travels in every node's order). */
export const MAX_SECRET_BYTES = 16 * 1024;
/** The largest ciphertext: the secret, its nonce and its tag. */
export const MAX_CIPHERTEXT_BYTES = MAX_SECRET_BYTES + NONCE_BYTES + TAG_BYTES;

/** K from the dealt scalar k (the caller wipes both). */
function keyOf(k: Uint8Array): Uint8Array {
  return hkdf(sha256, k, new Uint8Array(0), KEY_INFO, 32);
}

const aadOf = (beneficiary: CID): Uint8Array => concat(AAD_PREFIX, beneficiary.bytes);

/** The CID that names a ciphertext: raw codec, sha2-256. */
export function ciphertextCid(ciphertext: Uint8Array): CID {
  return CIDClass.create(1, raw.code, createDigest(SHA2_256, sha256(ciphertext)));
}

/** Encrypts `secret` for `beneficiary` under the key derived from `k` (K is wiped before returning). */
export function encryptSecret(k: Uint8Array, beneficiary: CID, secret: Uint8Array): Uint8Array {
  const key = keyOf(k);
  try {
    const nonce = randomBytes(NONCE_BYTES);
    return concat(nonce, aes256gcm.seal(key, nonce, aadOf(beneficiary), secret));
  } finally {
    wipe(key);
  }
}

/** The secret of `ciphertext`, or CustodyError('decrypt_failed') when `k` is not the dealt scalar. */
export function decryptSecret(k: Uint8Array, beneficiary: CID, ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length < NONCE_BYTES + TAG_BYTES) {
    throw new CustodyError('malformed', 'custody: the ciphertext is shorter than its nonce and tag');
  }
  const key = keyOf(k);
  try {
    const nonce = ciphertext.subarray(0, NONCE_BYTES);
    return aes256gcm.open(key, nonce, aadOf(beneficiary), ciphertext.subarray(NONCE_BYTES));
  } catch {
    throw new CustodyError('decrypt_failed', 'custody: the recovered key does not open the ciphertext');
  } finally {
    wipe(key);
  }
}
