/**
 * A deposit the beneficiary can check without trusting the node. With its intent, a safeguard order is sealed
 * to the node and the beneficiary; the secret itself must stay the node's alone until it is released, so it
 * travels in a **deposit**: an envelope of type "safeguard/deposit" signed by the principal, sealed to the node
 * only, content { secret }, whose bytes the order carries. Beside it the order carries, for the beneficiary,
 *
 *   depositCommitment = SHA-256("dta/safeguard/v1 deposit\0" || depositSalt || secret)
 *
 * with a random 32-byte salt (so that a short or guessable secret cannot be found from the commitment). The node
 * refuses a deposit that does not match it; the beneficiary checks the released secret against it.
 * @module
 */
import { concat, equalBytes, utf8, wipe } from '../../core/bytes.ts';
import { sha256 } from '../../core/crypto/symmetric-backend.ts';

export const DEPOSIT_TYPE = 'safeguard/deposit';
export const SALT_BYTES = 32;

const PREFIX = utf8('dta/safeguard/v1 deposit\0');

/** The salted commitment to a deposited secret (the hashed message is wiped). */
export function depositCommitmentOf(salt: Uint8Array, secret: Uint8Array): Uint8Array {
  const message = concat(PREFIX, salt, secret);
  const digest = sha256(message);
  wipe(message);
  return digest;
}

/** True when `secret` is the one the principal committed to with `salt`. */
export function matchesDeposit(commitment: Uint8Array, salt: Uint8Array, secret: Uint8Array): boolean {
  const digest = depositCommitmentOf(salt, secret);
  return equalBytes(digest, commitment);
}
