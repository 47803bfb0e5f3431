/**
 * A client's request for one M-Pin share: an "mpin/order" through a node
 * session (which checks the node's signature and the link to the request,
 * and opens the reply sealed to us), its reply checked against what was
 * asked. Used by scripts, tests and an authentication server fetching its
 * server-secret shares from other nodes.
 * @module
 */
import type { NodeSession } from '../../core/api/session.ts';
import { mpinIdText } from './id.ts';
import { type IssueReply, type IssueRequest, readIssueReply } from './issue-messages.ts';

/** One share from the node behind `session`, for the session's identity (and the enrolment asked). */
export async function requestShare(session: NodeSession, asked: IssueRequest): Promise<Uint8Array> {
  return (await requestIssued(session, asked)).share;
}

/** requestShare with what a threshold issuer adds (its DKG session, index and t; threshold.ts). */
export async function requestIssued(session: NodeSession, asked: IssueRequest): Promise<IssueReply> {
  const { content } = await session.order('mpin', asked);
  const me = asked.issue === 'server-secret' ? undefined : mpinIdText(session.me.identity.cid, asked.enrolment ?? 0);
  return readIssueReply(content, asked, me);
}
