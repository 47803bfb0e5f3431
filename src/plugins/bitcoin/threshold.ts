/**
 * Threshold mode, the beneficiary's side: n nodes generated f together (a DKG on secp256k1, purpose
 * "bitcoin:fiduciary key", src/core/dkg/), each order's reply says F = the group key, and each redemption
 * releases one node's share f_i with the group's Feldman commitments. The commitments believed are the ones at
 * least t replies carry whose first is F (fewer than t nodes cannot forge them); every share is checked against
 * them, the wrong ones named, f recovered from any t good ones (src/core/dkg/recover.ts), and k = f + b checked
 * exactly as a single node's redemption is (reply.ts: f·G = F, k·G = F + B, the committed address).
 * @module
 */
import { equalBytes, toHex, wipe } from '../../core/bytes.ts';
import { RecoveryError, recoverFromShares } from '../../core/dkg/recover.ts';
import { secp256k1Group } from '../../core/dkg/secp256k1-group.ts';
import type { Share } from '../../core/types.ts';
import { BitcoinError } from './errors.ts';
import { type RecoveredKey, recoverPrivateKey } from './reply.ts';
import { type OrderReply, parseRedeemReply, REPLY_VERSION, type RedeemReply } from './schema.ts';

/** One node's redemption: who answered, its index in the DKG session (its place in the nodes), the opened reply. */
export interface ThresholdRedemption {
  readonly node: string;
  readonly index: number;
  readonly content: unknown;
}

export interface ThresholdKey {
  readonly key: RecoveredKey;
  /** Nodes whose redemption was wrong (another DKG, other commitments, a share off the commitments). */
  readonly wrong: readonly { readonly node: string; readonly reason: string }[];
  readonly usedIndices: readonly number[];
}

interface Answer {
  readonly node: string;
  readonly reply: RedeemReply;
}

const key = (cs: readonly Uint8Array[]): string => cs.map(toHex).join('.');

/** The commitments at least t = their count replies agree on, beginning with F; the first such set by support. */
function agreedCommitments(answers: readonly Answer[], F: Uint8Array): Uint8Array[] | undefined {
  const support = new Map<string, { commitments: Uint8Array[]; count: number }>();
  for (const { reply } of answers) {
    const cs = reply.commitments!;
    if (!equalBytes(cs[0]!, F)) continue;
    const entry = support.get(key(cs)) ?? { commitments: cs, count: 0 };
    entry.count++;
    support.set(key(cs), entry);
  }
  const agreed = [...support.values()].filter((e) => e.count >= e.commitments.length);
  return agreed.sort((a, b) => b.count - a.count)[0]?.commitments;
}

/** The parsed threshold redemptions of this order's DKG, and the nodes whose reply is not one. */
function sortReplies(order: OrderReply, redemptions: readonly ThresholdRedemption[]) {
  const answers: Answer[] = [];
  const wrong: { node: string; reason: string }[] = [];
  for (const { node, index, content } of redemptions) {
    try {
      const reply = parseRedeemReply(content);
      if (!reply.dkg?.equals(order.dkg!)) wrong.push({ node, reason: 'names another DKG session' });
      else if (!equalBytes(reply.fiduciaryPublicKey, order.fiduciaryPublicKey))
        wrong.push({ node, reason: 'names another group key' });
      else if (reply.index !== index) wrong.push({ node, reason: `sent share index ${reply.index}, not ${index}` });
      else answers.push({ node, reply });
    } catch (e) {
      wrong.push({ node, reason: e instanceof Error ? e.message : 'not a redemption reply' });
    }
  }
  return { answers, wrong };
}

function recoverF(answers: readonly Answer[], wrong: { node: string; reason: string }[], F: Uint8Array) {
  const commitments = agreedCommitments(answers, F);
  if (!commitments) throw new BitcoinError('mismatch', 'threshold redemption: no t nodes agree on the commitments');
  const agreed = key(commitments);
  const shares: Share[] = [];
  const nodeAt = new Map<number, string>();
  for (const a of answers) {
    if (key(a.reply.commitments!) === agreed) {
      shares.push({ index: a.reply.index!, value: a.reply.fiduciaryShare });
      nodeAt.set(a.reply.index!, a.node);
    } else wrong.push({ node: a.node, reason: 'sent other commitments than the group' });
  }
  try {
    const { secret, wrong: failing } = recoverFromShares(secp256k1Group(), shares, commitments, commitments.length);
    for (const i of failing) wrong.push({ node: nodeAt.get(i)!, reason: 'sent a share that fails the commitments' });
    const used = shares.filter((s) => !failing.includes(s.index)).slice(0, commitments.length);
    return { f: secret, usedIndices: used.map((s) => s.index) };
  } catch (e) {
    if (!(e instanceof RecoveryError)) throw e;
    const named = e.wrong.map((i) => nodeAt.get(i)).join(', ');
    throw new BitcoinError('mismatch', `threshold redemption: ${e.message}${named ? ` (${named})` : ''}`);
  }
}

/**
 * k = f + b from the redemptions of a threshold order (`order`: one node's verified order reply, threshold mode):
 * f recovered from any t shares that verify, then every check of a single node's redemption. The redemptions' shares
 * and f are wiped once k is computed.
 */
export function recoverThresholdKey(
  order: OrderReply,
  redemptions: readonly ThresholdRedemption[],
  beneficiarySecret: Uint8Array,
): ThresholdKey {
  if (order.dkg === undefined) throw new BitcoinError('mismatch', 'order reply: not a threshold order');
  const { answers, wrong } = sortReplies(order, redemptions);
  const { f, usedIndices } = recoverF(answers, wrong, order.fiduciaryPublicKey);
  try {
    const whole = {
      version: REPLY_VERSION,
      fiduciaryShare: f,
      fiduciaryPublicKey: order.fiduciaryPublicKey,
      commitment: order.commitment,
    };
    return { key: recoverPrivateKey(order, whole, beneficiarySecret), wrong, usedIndices };
  } finally {
    wipe(f, ...answers.map((a) => a.reply.fiduciaryShare));
  }
}
