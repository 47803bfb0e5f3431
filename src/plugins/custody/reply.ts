/**
 * The checks a client makes on the nodes' replies. The order reply must name the order, the group, the node's
 * index in it and the beneficiary. A redemption's share is checked against the group's Feldman commitments (the
 * core's vss), its ciphertext against the group's ciphertext CID, its group document against the group the
 * beneficiary expects: a node can withhold its share or send a wrong one, never make a wrong one pass.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { Core, Share } from '../../core/types.ts';
import { ciphertextCid } from './cipher.ts';
import { refuse } from './errors.ts';
import type { CustodyGroup } from './group.ts';
import { type OrderReply, parseOrderReply, type RedeemReply } from './schema.ts';

/** What the principal knows of the order it sent to one node. */
export interface OrderExpectation {
  readonly order: string;
  readonly group: CID;
  readonly index: number;
  readonly beneficiary: CID;
}

/** Parses and checks a node's order reply. */
export function verifyOrderReply(content: unknown, expected: OrderExpectation): OrderReply {
  const r = parseOrderReply(content);
  if (r.order !== expected.order) refuse('mismatch', 'custody reply: names another order');
  if (!r.group.equals(expected.group)) refuse('mismatch', 'custody reply: names another group');
  if (r.index !== expected.index)
    refuse('mismatch', `custody reply: index ${r.index}, the group says ${expected.index}`);
  if (!r.beneficiary.equals(expected.beneficiary)) refuse('mismatch', 'custody reply: names another beneficiary');
  return r;
}

/** True when `share` matches the commitments; a value that is no scalar at all (≥ r) is as wrong as a bad one. */
function verifies(core: Core, share: Share, commitments: readonly Uint8Array[]): boolean {
  try {
    return core.vss.verify(share, commitments);
  } catch {
    return false;
  }
}

/**
 * The share of a redemption reply from the node at `index` of `group`, or a reason why it is not a good one:
 * another group or index, another ciphertext, or a share that does not match the commitments.
 */
export function checkedShare(
  core: Core,
  group: { readonly cid: CID; readonly value: CustodyGroup },
  index: number,
  r: RedeemReply,
): { share: Share } | { wrong: string } {
  if (!r.group.equals(group.cid)) return { wrong: 'names another group' };
  if (r.index !== index) return { wrong: `sent share index ${r.index}, the group gives it ${index}` };
  if (!ciphertextCid(r.ciphertext).equals(group.value.ciphertext)) return { wrong: 'sent another ciphertext' };
  const share = { index, value: r.share };
  if (!verifies(core, share, group.value.commitments)) return { wrong: 'sent a share that fails the commitments' };
  return { share };
}
