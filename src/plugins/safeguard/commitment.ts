/**
 * What the node commits to when it answers a safeguard order:
 *
 *   commitment = SHA-256("dta/safeguard/v1 commitment\0" || order || secret)
 *
 * with `order` the UTF-8 of the order id (the CID string of the order's request envelope). The order reply
 * carries it, so the principal can check it against the secret it sent and the beneficiary, later, against
 * the secret it receives.
 * @module
 */
import { concat, utf8, wipe } from '../../core/bytes.ts';
import { sha256 } from '../../core/crypto/symmetric-backend.ts';

export const COMMITMENT_BYTES = 32;

const PREFIX = utf8('dta/safeguard/v1 commitment\0');

/** The commitment to `secret` for the order `order` (the message holding the secret is wiped). */
export function commitmentOf(order: string, secret: Uint8Array): Uint8Array {
  const message = concat(PREFIX, utf8(order), secret);
  const digest = sha256(message);
  wipe(message);
  return digest;
}
