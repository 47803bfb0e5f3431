/**
 * Errors of the envelope cryptography. They extend the core's DtaError so
 * one `instanceof DtaError` (or a check on `name`) covers every error of
 * src/core; callers tell them apart by `name`, never by message text.
 * Messages never contain key or plaintext bytes.
 * @module
 */
import { DtaError } from '../errors.ts';

/** An AEAD tag or an HPKE-wrapped key did not verify: wrong key, wrong associated data, or tampered bytes. */
export class DecryptionError extends DtaError {
  override name = 'DecryptionError';
}

/** A KEM public key, secret key or encapsulation that the KEM refuses (beyond a plain length error). */
export class InvalidKeyError extends DtaError {
  override name = 'InvalidKeyError';
}
