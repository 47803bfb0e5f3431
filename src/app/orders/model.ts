/**
 * Orders as this device keeps them: who and what, the node, the state of
 * the flow, a public summary of the node's reply (never a secret), every
 * envelope of the chain seen so far (bytes, so the chain can be re-verified
 * offline) and the result of the last verification. A request that was
 * built but not yet answered is kept (`pending`) so that a retry posts the
 * very same envelope: the node answers it with its committed reply and
 * nothing is drawn twice.
 * @module
 */

import type { HistoryEntry } from '../../core/api/replies.ts';
import { fromBase64 } from '../../core/bytes.ts';
import type { NetworkName } from '../../plugins/bitcoin/network.ts';
import type { Via } from '../ipfs/documents.ts';
import type { ReleaseRecord } from './conditions/record.ts';

export type OrderState = 'sending' | 'open' | 'redeeming' | 'redeemed' | 'cancelled' | 'failed';
export type Role = 'principal' | 'beneficiary' | 'both';

export interface StoredEnvelope {
  readonly cid: string;
  readonly type: string;
  readonly sender: string;
  readonly recipients: readonly string[];
  readonly created: number;
  readonly bytes: Uint8Array;
}

/**
 * The summaries of the order kinds, by plugin name: each kind's folder adds its own (a summary with
 * `kind` set to its plugin's name) by declaration merging, so that `summary.kind` narrows to it while
 * this module names no kind.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging from each kind's summary.ts
export interface OrderSummaries {}

/** The public summary of a node's order reply, as stored and listed (never a secret). */
export type OrderSummary = OrderSummaries[keyof OrderSummaries];

/** One envelope's verification marks. */
export interface StepCheck {
  readonly cid: string;
  readonly type: string;
  readonly sender: string;
  readonly recipients: readonly string[];
  readonly created: number;
  readonly sealed: boolean;
  /** Where its bytes came from for this check. */
  readonly via?: Via;
  /** The bytes hash to the CID. */
  readonly cidVerified: boolean;
  /** The sender's BLS signature verifies with its verified identity document. */
  readonly signatureVerified: boolean;
  /** Reached by walking back from the head (part of the verified chain). */
  readonly onChain: boolean;
  readonly error?: string;
}

/** The last verification of an order's chain. */
export interface ChainCheck {
  readonly at: number;
  readonly head: string;
  readonly steps: readonly StepCheck[];
  /** The whole chain verified (verifyChain: blocks, signatures, links, order id, parties, times). */
  readonly verified: boolean;
  readonly error?: string;
  /** Identity documents met on the way: CID -> name and how it was obtained. */
  readonly identities: Readonly<Record<string, { readonly name: string; readonly via: Via }>>;
}

export interface OrderRecord {
  readonly owner: string; // this device's identity CID that keeps the record
  readonly id: string; // the order id: CID of its first envelope
  readonly plugin: string;
  readonly node: string; // node URL
  readonly nodeIdentity: string;
  readonly principal: string;
  readonly beneficiary: string;
  readonly role: Role;
  readonly created: number;
  readonly updated: number;
  readonly label?: string;
  readonly state: OrderState;
  /** A request built and not yet answered: re-posted as is by a retry. */
  readonly pending?: { readonly step: 'order' | 'redeem'; readonly cid: string; readonly bytes: Uint8Array };
  readonly error?: string;
  /** Bitcoin orders: what is needed to recover the key later. */
  readonly bitcoin?: { readonly network: NetworkName; readonly addressType: string; readonly index: number };
  readonly summary?: OrderSummary;
  /**
   * What the principal asked for, as the first step shows it to this identity (src/core/protocol/intent.ts):
   * `intent` with its content (DAG-CBOR, for the order's kind to check; none on the principal's own record), or
   * `before-intents` for an order sealed to the node alone. Absent on records stored before intents.
   */
  readonly intent?: { readonly kind: 'intent' | 'before-intents'; readonly content?: Uint8Array };
  readonly envelopes: readonly StoredEnvelope[];
  readonly head?: string;
  readonly check?: ChainCheck;
  /** The release conditions the principal signed, where they are enforced, each node's latest time on its chain. */
  readonly release?: ReleaseRecord;
}

export function roleOf(me: string, principal: string, beneficiary: string): Role | undefined {
  if (me === principal && me === beneficiary) return 'both';
  if (me === principal) return 'principal';
  if (me === beneficiary) return 'beneficiary';
  return undefined;
}

export const isBeneficiary = (o: Pick<OrderRecord, 'role'>): boolean => o.role === 'beneficiary' || o.role === 'both';

/** The node's history entries as stored envelopes (bytes decoded from base64; checked later against their CIDs). */
export function storedOf(history: readonly HistoryEntry[]): StoredEnvelope[] {
  return history.map((h) => ({
    cid: h.cid,
    type: h.type,
    sender: h.sender,
    recipients: [...h.recipients],
    created: h.created,
    bytes: fromBase64(h.envelope, `history ${h.cid}`),
  }));
}

/** Envelopes of `a` then those of `b` not in `a`, by CID, oldest first (creation time, then first seen). */
export function mergeEnvelopes(a: readonly StoredEnvelope[], b: readonly StoredEnvelope[]): StoredEnvelope[] {
  const seen = new Set(a.map((e) => e.cid));
  const all = [...a, ...b.filter((e) => !seen.has(e.cid))];
  return all
    .map((e, i) => ({ e, i }))
    .sort((x, y) => x.e.created - y.e.created || x.i - y.i)
    .map(({ e }) => e);
}

/** The state an order is in according to the node's status, keeping our own in-flight states. */
export function stateAfterView(current: OrderState, nodeStatus: string): OrderState {
  if (nodeStatus === 'redeemed') return 'redeemed';
  if (nodeStatus === 'cancelled') return 'cancelled';
  if (current === 'redeeming' || current === 'failed') return current;
  return 'open';
}

/** Orders newest first. */
export function byNewest(a: OrderRecord, b: OrderRecord): number {
  return b.created - a.created || (a.id < b.id ? -1 : 1);
}
