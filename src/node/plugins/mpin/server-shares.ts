/**
 * How an authentication server obtains its server-secret shares: from this
 * node's own issuer directly, and from every other configured issuing node
 * over its API — check that the node at the URL has the configured identity,
 * register the server's identity there, send an "mpin/order" for a server
 * secret signed by that identity, and accept only a reply signed by the
 * configured node and sealed to the server (the session checks both);
 * and which enrolment of an identity is current, from the same issuers.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { NodeApi } from '../../../core/api/node-api.ts';
import { openSession } from '../../../core/api/session.ts';
import { keySigner } from '../../../core/api/signer.ts';
import { equalBytes } from '../../../core/bytes.ts';
import { type DkgSession, readSession } from '../../../core/dkg/messages.ts';
import type { Verified } from '../../../core/protocol/types.ts';
import type { Core } from '../../../core/types.ts';
import { parseEnrolmentReply } from '../../../plugins/mpin/enrolment-query.ts';
import { MpinError, withPoints } from '../../../plugins/mpin/errors.ts';
import { canonicalIdentity } from '../../../plugins/mpin/id.ts';
import type { IssueReply } from '../../../plugins/mpin/issue-messages.ts';
import { requestIssued } from '../../../plugins/mpin/request-share.ts';
import { type NodeShare, sessionShares } from '../../../plugins/mpin/threshold.ts';
import type { AuthIdentity } from './auth-identity.ts';
import type { IssuerEndpoint } from './config.ts';
import type { IssuedShare, Issuer } from './issuer.ts';

export interface ShareSources {
  readonly core: Core;
  readonly node: CID; // this node
  readonly issuer: Issuer; // this node's issuer
  readonly me: AuthIdentity;
  readonly issuers: readonly IssuerEndpoint[];
}

/** s·Q, and how many issuers must answer an enrolment query (0: all of them; t-of-n: t). */
export interface ServerSecret {
  readonly serverSecret: Uint8Array;
  readonly quorum: number;
}

/**
 * s·Q from the configured issuers' server-secret shares: their sum when every issuer answered with an untagged
 * share (n-of-n), or, when the shares are tagged with a DKG session (t-of-n), the recombination of the first t
 * that answered, each checked against the DKG (thresholdServerSecret). MpinError('not_ready') naming the first
 * issuer that failed when too few answered; 'bad_share' when an answer does not fit the session.
 */
export async function obtainServerSecret(src: ShareSources): Promise<ServerSecret> {
  const settled = await Promise.allSettled(src.issuers.map((endpoint) => shareOf(src, endpoint)));
  const answered: NodeShare[] = [];
  let failed: MpinError | undefined;
  settled.forEach((r, i) => {
    const node = src.issuers[i]!.identity;
    if (r.status === 'fulfilled') answered.push({ node, reply: r.value });
    else failed ??= new MpinError('not_ready', `issuer ${node.toString()}: ${reasonOf(r.reason)}`);
  });
  const tagged = answered.filter((a) => a.reply.tag !== undefined).length;
  if (tagged === 0) {
    if (failed) throw failed;
    const shares = answered.map((a) => a.reply.share);
    return { serverSecret: withPoints('server-secret share', () => src.core.mpin.recombineG2(shares)), quorum: 0 };
  }
  if (tagged !== answered.length) throw new MpinError('bad_share', 'some issuers are t-of-n, others are not');
  try {
    return { serverSecret: thresholdServerSecret(src.core, answered), quorum: answered[0]!.reply.tag!.t };
  } catch (e) {
    if (e instanceof MpinError && e.code === 'not_ready' && failed) throw failed;
    throw e;
  }
}

/**
 * Lagrange recombination of t server-secret shares after checking each of them: the session document every
 * reply carries is one document (its CID the tag's session) with one list of commitments, each share comes from
 * the node at its index (sessionShares), and SS_i = s_i·Q for the public share X_i = Σ_j C_j·i^j of the DKG
 * (a pairing check), so a lying issuer is named rather than recombined.
 */
export function thresholdServerSecret(core: Core, answered: readonly NodeShare[]): Uint8Array {
  const group = answered[0]?.reply.group;
  if (group === undefined) throw new MpinError('bad_share', 't-of-n server-secret replies carry their session');
  const session = sessionOf(group.document);
  for (const { node, reply } of answered) {
    const same =
      reply.group !== undefined &&
      equalBytes(reply.group.document, group.document) &&
      reply.group.commitments.length === group.commitments.length &&
      reply.group.commitments.every((c, i) => equalBytes(c, group.commitments[i]!));
    if (!same) throw new MpinError('bad_share', `issuer ${node.toString()} disagrees on the DKG session`);
  }
  const shares = sessionShares(session, answered);
  for (const share of shares) {
    const publicShare = withPoints('DKG commitments', () => core.vss.publicShare(share.index, group.commitments));
    if (!withPoints('server-secret share', () => core.mpin.verifyServerShare(publicShare, share.value))) {
      const node = session.value.nodes[share.index - 1]!;
      throw new MpinError('bad_share', `issuer ${node.toString()}: its server-secret share does not match the DKG`);
    }
  }
  return withPoints('server-secret share', () => core.mpin.recoverG2(shares));
}

function sessionOf(document: Uint8Array): Verified<DkgSession> {
  try {
    return readSession(document);
  } catch (e) {
    throw new MpinError('bad_share', `the DKG session document: ${reasonOf(e)}`);
  }
}

function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : 'failed';
}

async function shareOf(src: ShareSources, endpoint: IssuerEndpoint): Promise<IssueReply> {
  if (endpoint.identity.equals(src.node)) return ownReply(await src.issuer.ownServerSecret());
  if (endpoint.url === undefined) throw new Error('no URL configured');
  const api = new NodeApi(endpoint.url);
  const session = await openSession(api, src.core.bls, keySigner(src.core.bls, src.me), { registerFirst: true });
  if (!session.node.cid.equals(endpoint.identity)) {
    throw new Error(`the node at ${endpoint.url} is ${session.node.cid.toString()}`);
  }
  return requestIssued(session, { issue: 'server-secret' });
}

/** This node's own share, as another issuer's checked reply would give it. */
function ownReply(own: IssuedShare): IssueReply {
  return { share: own.share, ...(own.tag ? { tag: own.tag } : {}), ...(own.group ? { group: own.group } : {}) };
}

/**
 * The identity's current enrolment: the largest of its issuers' answers (this node's issuer directly, the
 * others by GET /v1/plugins/mpin/enrolment/<identity> at their configured URL). An issuer that cannot be
 * asked makes the login wait (MpinError('not_ready')) rather than pass unchecked; with t-of-n issuers
 * (`quorum` = t > 0) any t answers do, since a client enrols at t issuers or more and, with 2t > n, any t of
 * them include one that recorded its latest enrolment (docs/mpin.md#threshold).
 */
export async function currentEnrolment(src: ShareSources, identity: CID, quorum = 0): Promise<number> {
  const who = canonicalIdentity(identity);
  const settled = await Promise.allSettled(
    src.issuers.map(async (endpoint) => {
      if (endpoint.identity.equals(src.node)) return await src.issuer.currentEnrolment(identity);
      if (endpoint.url === undefined) throw new Error('no URL configured');
      const reply = await new NodeApi(endpoint.url).pluginGet('mpin', `enrolment/${who}`);
      return parseEnrolmentReply(reply, who);
    }),
  );
  const answers = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const needed = quorum > 0 ? Math.min(quorum, src.issuers.length) : src.issuers.length;
  if (answers.length < needed) {
    const i = settled.findIndex((r) => r.status === 'rejected');
    const r = settled[i];
    const why = r?.status === 'rejected' ? reasonOf(r.reason) : 'failed';
    throw new MpinError('not_ready', `issuer ${src.issuers[i]?.identity.toString()}: enrolment not known: ${why}`);
  }
  return Math.max(0, ...answers);
}
