/**
 * The issuing node's side of an "mpin/order": the share a checked request
 * asks for, under the node's policy, sealed to the requester alone. The
 * message formats are in src/plugins/mpin/issue-messages.ts.
 * @module
 */

import { parseIssueRequest } from '../../../plugins/mpin/issue-messages.ts';
import type { OpenedRequest, PluginReply } from '../types.ts';
import type { IssuedShare, Issuer } from './issuer.ts';

/** The share a checked request asks for (the issuer applies the node's policy). */
function issueShare(issuer: Issuer, request: OpenedRequest): Promise<IssuedShare> {
  const wanted = parseIssueRequest(request.content);
  const who = request.sender.cid;
  switch (wanted.issue) {
    case 'client-secret':
      return issuer.clientSecret(who, wanted.enrolment ?? 0, request.cid);
    case 'permit':
      return issuer.permit(who, wanted.date, wanted.enrolment ?? 0);
    case 'server-secret':
      return issuer.serverSecret(who);
  }
}

/** DtaPlugin.order: the share, sealed to the requester alone. */
export async function issueOrder(issuer: Issuer, request: OpenedRequest): Promise<PluginReply> {
  const s = await issueShare(issuer, request);
  const content = {
    issue: s.kind,
    share: s.share,
    ...(s.id !== undefined ? { id: s.id } : {}),
    ...(s.date !== undefined ? { date: s.date } : {}),
    ...(s.tag !== undefined ? { session: s.tag.session, index: s.tag.index, t: s.tag.t } : {}),
    ...(s.group !== undefined ? { document: s.group.document, commitments: s.group.commitments } : {}),
  };
  return { content, recipients: [request.sender.cid] };
}
