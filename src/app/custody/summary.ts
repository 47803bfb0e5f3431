/**
 * A custody group as the app keeps it, in its order record's summary: the group (CID, t of n), each node's
 * share index and what it answered (holds its share, refused and why), what the last retrieval found (a good
 * share, a wrong one: the node lied, none: down or refused), and the dealt group's public parts, so that the
 * orders of nodes that refused can be posted again. Never a share, never the secret: the order envelopes are
 * sealed to their node and the beneficiary, the ciphertext is public by design.
 * @module
 */
import type { CustodyDealOut } from '../../worker/api/custody.ts';
import type { OrderRecord } from '../orders/model.ts';

/** What a node did with its order: still being sealed or sent, holds its share, or refused it. */
export type MemberState = 'sealing' | 'sent' | 'holds' | 'refused';

/** What a node gave at the last retrieval: a good share, a wrong one (it lied), or none (down or refusing). */
export type AnswerState = 'asked' | 'good' | 'wrong' | 'failed';

export interface CustodyMember {
  /** Its share index (its position in the group + 1). */
  readonly index: number;
  readonly url: string;
  readonly identity: string;
  readonly name: string;
  /** The order this node holds (the CID of its request). */
  readonly order: string;
  readonly state: MemberState;
  readonly reason?: string;
  readonly answer?: { readonly state: AnswerState; readonly reason?: string };
}

export interface CustodySummary {
  readonly kind: 'custody';
  readonly group: string;
  readonly t: number;
  readonly n: number;
  readonly label?: string;
  readonly members: readonly CustodyMember[];
  /** The principal's: the group document it signed (to reshare the group). */
  readonly document?: Uint8Array;
  /** The principal's: the dealt orders, to post again (a beneficiary's record has none). */
  readonly deal?: CustodyDealOut;
  /** When the last retrieval ran (its answers are on the members). */
  readonly retrievedAt?: number;
  /** The groups this one was reshared from, oldest first, and when. */
  readonly reshared?: readonly { readonly from: string; readonly at: number }[];
}

declare module '../orders/model.ts' {
  interface OrderSummaries {
    custody: CustodySummary;
  }
}

/** The order's custody summary, when it has one. */
export function custodySummaryOf(o: Pick<OrderRecord, 'summary'>): CustodySummary | undefined {
  return o.summary?.kind === 'custody' ? o.summary : undefined;
}

/** How many nodes hold their share. */
export const holding = (s: CustodySummary): number => s.members.filter((m) => m.state === 'holds').length;

/** "2 of 3", with the group's incompleteness when some nodes do not hold their share. */
export function describeGroup(s: CustodySummary): string {
  const held = holding(s);
  return held === s.n ? `${s.t} of ${s.n}` : `${s.t} of ${s.n} (${held} of ${s.n} hold their share)`;
}
