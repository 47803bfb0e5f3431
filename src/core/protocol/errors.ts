/**
 * Errors of the protocol library. Every one extends ProtocolError (itself a
 * DtaError), carries a stable `name` to branch on (the node maps names to
 * HTTP statuses), and a message that says what and where, never a secret.
 * DecryptionError comes from the crypto layer and is re-exported here.
 * @module
 */
import { DtaError } from '../errors.ts';

export { DecryptionError } from '../crypto/errors.ts';

/** Base class of the protocol errors below. */
export class ProtocolError extends DtaError {
  override name: string = 'ProtocolError';
}

/** The bytes are not DAG-CBOR in its canonical (deterministic) form. */
export class DecodeError extends ProtocolError {
  override name = 'DecodeError';
}

/** A document, body or field is larger than its limit. */
export class OversizeError extends ProtocolError {
  override name = 'OversizeError';
}

/** The decoded value does not match the document's schema: unknown or missing field, wrong type or length. */
export class SchemaError extends ProtocolError {
  override name = 'SchemaError';
}

/** A BLS signature or proof of possession does not verify, or its public key is not a valid point. */
export class SignatureError extends ProtocolError {
  override name = 'SignatureError';
}

/** The bytes do not hash to the CID they were fetched or announced under. */
export class CidMismatchError extends ProtocolError {
  override name = 'CidMismatchError';
}

/** A sealed envelope has no key for the identity trying to open it. */
export class NotRecipientError extends ProtocolError {
  override name = 'NotRecipientError';
}

/** An identity CID that a resolver cannot find. */
export class UnknownIdentityError extends ProtocolError {
  override name = 'UnknownIdentityError';
}

/**
 * A sealed envelope's content key does not match the key commitment its sender signed (the recipient's key
 * slot holds another key than the one the content was committed to), or an envelope of version 1, which has
 * no commitment, where one is required.
 */
export class KeyCommitmentError extends ProtocolError {
  override name = 'KeyCommitmentError';
}

/** An order chain breaks a rule: missing link, wrong order id, sender not a party, time going backwards, too long. */
export class ChainError extends ProtocolError {
  override name = 'ChainError';
}

export const PROTOCOL_ERROR_NAMES = Object.freeze([
  'ProtocolError',
  'DecodeError',
  'OversizeError',
  'SchemaError',
  'SignatureError',
  'CidMismatchError',
  'NotRecipientError',
  'UnknownIdentityError',
  'ChainError',
  'KeyCommitmentError',
  'DecryptionError',
] as const);
export type ProtocolErrorName = (typeof PROTOCOL_ERROR_NAMES)[number];

/** True for any error of this library, also after a trip through a worker (checks `name`). */
export function isProtocolError(e: unknown): e is Error & { name: ProtocolErrorName } {
  return e instanceof Error && (PROTOCOL_ERROR_NAMES as readonly string[]).includes(e.name);
}
