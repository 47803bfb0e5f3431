/**
 * The keys that seal identity secrets at rest, all WebCrypto AES-256-GCM keys that can never be exported:
 *  - a device key, generated with extractable = false for one identity and kept in IndexedDB as a CryptoKey
 *    (the browser stores it; no script, this one included, can read its bytes, but the profile's files hold them);
 *  - a passkey key, derived with HKDF-SHA256 from a WebAuthn authenticator's PRF output (32 bytes, which
 *    the authenticator gives only after user verification), bound to the credential ID.
 * Every seal binds the record it belongs to (its CID and protection) as associated data, so sealed
 * secrets cannot be moved to another record or relabelled.
 * https://w3c.github.io/webauthn/#prf-extension
 * @module
 */
import type { Protection, Sealed } from './db.ts';
import { VaultUnavailableError, VaultUnlockError } from './errors.ts';

const AES = { name: 'AES-GCM', length: 256 } as const;
const IV_BYTES = 12;
const ascii = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s);
/** HKDF salt of the passkey key: fixed, since the PRF output is already uniform and unique per credential and salt. */
const PASSKEY_SALT = ascii('dta/vault/v1 passkey');
const PRF_OUTPUT_BYTES = 32;

/** A copy backed by its own ArrayBuffer (what WebCrypto's BufferSource wants). */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

function subtle(): SubtleCrypto {
  if (!globalThis.crypto?.subtle)
    throw new VaultUnavailableError(
      'WebCrypto is not available (the page must be served over https or from localhost)',
    );
  return globalThis.crypto.subtle;
}

/** A new device key (non-extractable); the vault stores it next to the one record it seals. */
export async function newDeviceKey(): Promise<CryptoKey> {
  return subtle().generateKey(AES, false, ['encrypt', 'decrypt']);
}

/** The key derived from a passkey's PRF output, bound to its credential ID; non-extractable. */
export async function passkeyKey(prfOutput: Uint8Array, credentialId: Uint8Array): Promise<CryptoKey> {
  if (!(prfOutput instanceof Uint8Array) || prfOutput.length !== PRF_OUTPUT_BYTES) {
    throw new VaultUnlockError(`the authenticator's PRF output must be ${PRF_OUTPUT_BYTES} bytes`);
  }
  // WebCrypto wants its own buffer; that copy of the PRF output is wiped once imported (the caller wipes its own).
  const copy = own(prfOutput);
  let ikm: CryptoKey;
  try {
    ikm = await subtle().importKey('raw', copy, 'HKDF', false, ['deriveKey']);
  } finally {
    copy.fill(0);
  }
  const info = new Uint8Array([...ascii('wrap '), ...credentialId]);
  return subtle().deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: PASSKEY_SALT, info }, ikm, AES, false, [
    'encrypt',
    'decrypt',
  ]);
}

/** The associated data of a record's seal. */
function aadOf(cid: string, protection: Protection): Uint8Array<ArrayBuffer> {
  return ascii(`dta/vault/v1 secrets ${cid} ${protection}`);
}

export async function seal(
  key: CryptoKey,
  plaintext: Uint8Array,
  cid: string,
  protection: Protection,
): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const params = { name: 'AES-GCM', iv, additionalData: aadOf(cid, protection) };
  const copy = own(plaintext);
  try {
    return { iv, ciphertext: new Uint8Array(await subtle().encrypt(params, key, copy)) };
  } finally {
    copy.fill(0); // the secrets' copy WebCrypto read
  }
}

/** Opens a seal; a wrong key or altered bytes is a VaultUnlockError. */
export async function unseal(key: CryptoKey, sealed: Sealed, cid: string, protection: Protection): Promise<Uint8Array> {
  const params = { name: 'AES-GCM', iv: own(sealed.iv), additionalData: aadOf(cid, protection) };
  try {
    return new Uint8Array(await subtle().decrypt(params, key, own(sealed.ciphertext)));
  } catch {
    throw new VaultUnlockError(
      protection === 'passkey'
        ? 'the passkey did not unlock this identity (another passkey, or the record was altered)'
        : 'the device key did not unlock this identity (the record was altered or comes from another browser)',
    );
  }
}
