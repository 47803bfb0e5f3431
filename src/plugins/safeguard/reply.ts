/**
 * The principal's and the beneficiary's checks of the node's replies.
 * Nothing here talks to a node; it works on the opened reply contents.
 * The order reply must name the order and the beneficiary asked for, and,
 * when the principal deposited the secret itself, commit to exactly that
 * secret. The redemption reply's secret must match the commitment it
 * carries and the one the order reply signed earlier.
 * @module
 */
import { equalBytes } from '../../core/bytes.ts';
import { commitmentOf } from './commitment.ts';
import { SafeguardError } from './errors.ts';
import { type OrderReply, parseOrderReply, parseRedeemReply } from './schema.ts';

/** What the checker knows independently of the reply; `secret` only when the principal deposited it. */
export interface Expectation {
  readonly order: string;
  readonly beneficiary: string;
  readonly secret?: Uint8Array;
}

function mismatch(message: string): never {
  throw new SafeguardError('mismatch', message);
}

/** Parses and checks an order reply against the order (and the secret sent, when given). */
export function verifyOrderReply(content: unknown, expected: Expectation): OrderReply {
  const r = parseOrderReply(content);
  if (r.order !== expected.order) mismatch('safeguard reply: names another order');
  if (r.beneficiary.toString() !== expected.beneficiary) mismatch('safeguard reply: names another beneficiary');
  const secret = expected.secret;
  if (secret) {
    if (r.size !== secret.length) mismatch('safeguard reply: the size is not the size of the secret sent');
    if (!equalBytes(r.commitment, commitmentOf(r.order, secret))) {
      mismatch('safeguard reply: the node committed to another secret than the one sent');
    }
  }
  return r;
}

/**
 * The secret of a redemption reply for `order`, checked against the commitment it carries and, when
 * known, the commitment of the order reply (`committed`).
 */
export function verifyRedeemReply(content: unknown, order: string, committed?: Uint8Array): Uint8Array {
  const r = parseRedeemReply(content);
  if (r.order !== order) mismatch('safeguard redemption: names another order');
  if (!equalBytes(commitmentOf(order, r.secret), r.commitment)) {
    mismatch('safeguard redemption: the secret does not match the commitment the node signed');
  }
  if (committed !== undefined && !equalBytes(r.commitment, committed)) {
    mismatch('safeguard redemption: the secret is not the one committed to when the order was made');
  }
  return r.secret;
}
