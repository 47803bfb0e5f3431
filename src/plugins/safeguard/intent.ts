/**
 * The beneficiary's reading of a safeguard order's intent (the order's first step, opened by the beneficiary:
 * src/core/protocol/intent.ts): it must name the reader as beneficiary; the node's reply must say the same
 * (beneficiary, label, generated or deposited); and the secret released later must match the principal's salted
 * commitment when the principal deposited it (deposit.ts), not only the node's own commitment.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { assertNamed } from '../../core/protocol/intent.ts';
import { matchesDeposit } from './deposit.ts';
import { SafeguardError } from './errors.ts';
import { type OrderReply, parseOrderRequest } from './schema.ts';

/** What the principal asked for, as the beneficiary may know it (no secret). */
export interface SafeguardIntent {
  readonly beneficiary: CID;
  readonly label?: string;
  readonly generated: boolean;
  /** With a deposit: the salt and salted commitment the released secret must match. */
  readonly depositSalt?: Uint8Array;
  readonly depositCommitment?: Uint8Array;
}

function mismatch(message: string): never {
  throw new SafeguardError('mismatch', message);
}

/**
 * The plugin's own fields of an order's content: release conditions are a host-level field beside them, which the
 * node takes off before the plugin reads the content (docs/protocol.md#conditions), and so does this reader.
 */
function withoutConditions(content: unknown): unknown {
  if (typeof content !== 'object' || content === null || !('conditions' in content)) return content;
  const { conditions: _, ...own } = content as Record<string, unknown>;
  return own;
}

/** The intent of an opened first step, which must name `me` as beneficiary (IntentError 'not_named'). */
export function readSafeguardIntent(content: unknown, me: CID): SafeguardIntent {
  const r = parseOrderRequest(withoutConditions(content));
  assertNamed(r.beneficiary, me);
  return {
    beneficiary: r.beneficiary,
    generated: r.generate !== undefined,
    ...(r.label !== undefined ? { label: r.label } : {}),
    ...(r.depositSalt && r.depositCommitment
      ? { depositSalt: r.depositSalt, depositCommitment: r.depositCommitment }
      : {}),
  };
}

/** The node's order reply must say what the principal asked for. */
export function checkReplyAgainstIntent(reply: OrderReply, intent: SafeguardIntent): void {
  if (!reply.beneficiary.equals(intent.beneficiary))
    mismatch('safeguard reply: names another beneficiary than the principal');
  if (reply.label !== intent.label) mismatch("safeguard reply: the label is not the principal's");
  if (reply.generated !== intent.generated)
    mismatch('safeguard reply: generated or deposited, not as the principal asked');
}

/** A released secret must be the one the principal committed to (when it deposited one). */
export function checkSecretAgainstIntent(secret: Uint8Array, intent: SafeguardIntent): void {
  const { depositSalt, depositCommitment } = intent;
  if (!depositSalt || !depositCommitment) return;
  if (!matchesDeposit(depositCommitment, depositSalt, secret)) {
    mismatch('safeguard redemption: the secret is not the one the principal deposited');
  }
}
