/**
 * t-of-n M-Pin issuing, the side of whoever recombines shares (a client, an authentication server;
 * docs/mpin.md#threshold). Issuers whose master-secret shares s_i come from one DKG session tag every share
 * with the session, their index and t (issue-messages.ts). Lagrange interpolation is only as good as the
 * indices it is given, so before the core interpolates, every share is held to the session document:
 * tagged with this session and its t, from a node the session lists, under the index the session gives
 * that node (its 1-based position), each index once. A share from a node outside the session, or one
 * claiming another node's index, is refused here (MpinError 'bad_share'), never interpolated.
 * Untagged shares from n issuers are added as before (n-of-n); a mix of both is refused.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { DkgSession } from '../../core/dkg/messages.ts';
import type { Verified } from '../../core/protocol/types.ts';
import type { Share } from '../../core/types.ts';
import { MpinError } from './errors.ts';
import type { IssueReply } from './issue-messages.ts';

/** The purpose and group a DKG session must have to hold M-Pin master-secret shares. */
export const MPIN_DKG_PURPOSE = 'mpin:master secret';
const MPIN_DKG_GROUP = 'bls12-381';

/** One node's reply, and which node gave it (the identity that signed the reply). */
export interface NodeShare {
  readonly node: CID;
  readonly reply: IssueReply;
}

type Maybe<T> = T | Promise<T>;

/** How shares of one kind combine: added (n-of-n) or interpolated at 0 (t-of-n), by the core or its worker. */
export interface Recombiner {
  sum(shares: readonly Uint8Array[]): Maybe<Uint8Array>;
  recover(shares: readonly Share[]): Maybe<Uint8Array>;
}

/** G1 shares (client secrets, permits) through core.mpin, in-process or a worker proxy of it. */
export function inG1(mpin: {
  recombineG1(shares: readonly Uint8Array[]): Maybe<Uint8Array>;
  recoverG1(shares: readonly Share[]): Maybe<Uint8Array>;
}): Recombiner {
  return { sum: (shares) => mpin.recombineG1(shares), recover: (shares) => mpin.recoverG1(shares) };
}

/** Throws unless the session can hold M-Pin master-secret shares. */
export function checkMpinSession(session: Verified<DkgSession>): void {
  const { purpose, group } = session.value;
  if (purpose !== MPIN_DKG_PURPOSE || group !== MPIN_DKG_GROUP) {
    throw new MpinError(
      'bad_request',
      `DKG session ${session.cid.toString()} is "${purpose}" on ${group}, not "${MPIN_DKG_PURPOSE}" on ${MPIN_DKG_GROUP}`,
    );
  }
}

/** The index the session gives `node` (1-based), or 0 when the session does not list it. */
function indexOf(session: Verified<DkgSession>, node: CID): number {
  return session.value.nodes.findIndex((n) => n.equals(node)) + 1;
}

/** Each share held to the session (see the module comment); the first t of them, as indexed shares. */
export function sessionShares(session: Verified<DkgSession>, shares: readonly NodeShare[]): Share[] {
  checkMpinSession(session);
  const { t } = session.value;
  const seen = new Set<number>();
  const out: Share[] = [];
  for (const { node, reply } of shares) {
    const who = `the share of ${node.toString()}`;
    const tag = reply.tag;
    if (!tag?.session.equals(session.cid)) throw new MpinError('bad_share', `${who} is not of session ${session.cid}`);
    const index = indexOf(session, node);
    if (index === 0) throw new MpinError('bad_share', `${who}: that node is not in the session`);
    if (tag.index !== index)
      throw new MpinError('bad_share', `${who} says index ${tag.index}; the session gives ${index}`);
    if (tag.t !== t) throw new MpinError('bad_share', `${who} says t = ${tag.t}; the session has t = ${t}`);
    if (seen.has(index)) throw new MpinError('bad_share', `${who}: index ${index} given twice`);
    seen.add(index);
    out.push({ index, value: reply.share });
  }
  if (out.length < t) throw new MpinError('not_ready', `${t} shares are needed, ${out.length} given`);
  return out.slice(0, t);
}

/**
 * s·P from several nodes' shares of one kind (G1: client secrets or permits; G2: server secrets): by
 * Lagrange from the first t when they are tagged with `session`, else (n-of-n, no session) their sum.
 */
export async function recombineShares(
  combine: Recombiner,
  shares: readonly NodeShare[],
  session?: Verified<DkgSession>,
): Promise<Uint8Array> {
  if (session !== undefined) return combine.recover(sessionShares(session, shares));
  if (shares.some((s) => s.reply.tag !== undefined)) {
    throw new MpinError('bad_share', 't-of-n shares need their DKG session to be recombined');
  }
  return combine.sum(shares.map((s) => s.reply.share));
}
