/**
 * The beneficiary's reading of a Bitcoin order's intent (its first step, sealed to the node and the beneficiary:
 * src/core/protocol/intent.ts). The intent is the order itself — network, address type and the beneficiary's key
 * (its signed key card, or B) — so the node's reply must say the same: an order the principal wrote for another
 * network, address type or key cannot be passed off as this one. The node checks that an order sealed to more than
 * itself is sealed to its beneficiary (src/node/plugins/bitcoin/).
 * @module
 */
import type { CID } from 'multiformats/cid';
import { equalBytes } from '../../core/bytes.ts';
import { BitcoinError } from './errors.ts';
import { type OrderReply, parseOrderRequest } from './schema.ts';

function mismatch(message: string): never {
  throw new BitcoinError('mismatch', `bitcoin reply: ${message}`);
}

/** The node's order reply must carry what the principal's intent (the opened first step, `content`) asked for. */
export function checkReplyAgainstIntent(reply: OrderReply, content: unknown): void {
  const intent = parseOrderRequest(content);
  if (reply.network !== intent.network) mismatch('another network than the principal asked for');
  if (reply.addressType !== intent.addressType) mismatch('another address type than the principal asked for');
  if (
    intent.beneficiaryKey !== undefined &&
    (reply.beneficiaryKey === undefined || !equalBytes(reply.beneficiaryKey, intent.beneficiaryKey))
  ) {
    mismatch('another key card than the one the principal ordered with');
  }
  if (
    intent.beneficiaryPublicKey !== undefined &&
    !equalBytes(reply.beneficiaryPublicKey, intent.beneficiaryPublicKey)
  ) {
    mismatch('another beneficiary key B than the one the principal ordered with');
  }
}

/** An order sealed to more than the node is written with its intent: its beneficiary must be among the recipients. */
export function assertIntentAddressed(recipients: readonly CID[], beneficiary: CID): void {
  if (recipients.length > 1 && !recipients.some((r) => r.equals(beneficiary))) {
    throw new BitcoinError('bad_request', 'bitcoin: an order with its intent is sealed to its beneficiary too');
  }
}
