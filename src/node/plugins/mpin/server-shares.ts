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
import type { Core } from '../../../core/types.ts';
import { parseEnrolmentReply } from '../../../plugins/mpin/enrolment-query.ts';
import { MpinError } from '../../../plugins/mpin/errors.ts';
import { canonicalIdentity } from '../../../plugins/mpin/id.ts';
import { requestShare } from '../../../plugins/mpin/request-share.ts';
import type { AuthIdentity } from './auth-identity.ts';
import type { IssuerEndpoint } from './config.ts';
import type { Issuer } from './issuer.ts';

export interface ShareSources {
  readonly core: Core;
  readonly node: CID; // this node
  readonly issuer: Issuer; // this node's issuer
  readonly me: AuthIdentity;
  readonly issuers: readonly IssuerEndpoint[];
}

/** One G2 share per configured issuer, in configuration order; MpinError('not_ready') naming the first that failed. */
export async function obtainServerShares(src: ShareSources): Promise<Uint8Array[]> {
  return Promise.all(
    src.issuers.map(async (endpoint) => {
      try {
        return await shareOf(src, endpoint);
      } catch (e) {
        const why = e instanceof Error ? e.message : 'failed';
        throw new MpinError('not_ready', `issuer ${endpoint.identity.toString()}: ${why}`);
      }
    }),
  );
}

async function shareOf(src: ShareSources, endpoint: IssuerEndpoint): Promise<Uint8Array> {
  if (endpoint.identity.equals(src.node)) return (await src.issuer.ownServerSecret()).share;
  if (endpoint.url === undefined) throw new Error('no URL configured');
  const api = new NodeApi(endpoint.url);
  const session = await openSession(api, src.core.bls, keySigner(src.core.bls, src.me), { registerFirst: true });
  if (!session.node.cid.equals(endpoint.identity)) {
    throw new Error(`the node at ${endpoint.url} is ${session.node.cid.toString()}`);
  }
  return requestShare(session, { issue: 'server-secret' });
}

/**
 * The identity's current enrolment: the largest of its issuers' answers (this node's issuer directly, the
 * others by GET /v1/plugins/mpin/enrolment/<identity> at their configured URL). An issuer that cannot be
 * asked makes the login wait (MpinError('not_ready')) rather than pass unchecked.
 */
export async function currentEnrolment(src: ShareSources, identity: CID): Promise<number> {
  const who = canonicalIdentity(identity);
  const answers = await Promise.all(
    src.issuers.map(async (endpoint) => {
      try {
        if (endpoint.identity.equals(src.node)) return await src.issuer.currentEnrolment(identity);
        if (endpoint.url === undefined) throw new Error('no URL configured');
        const reply = await new NodeApi(endpoint.url).pluginGet('mpin', `enrolment/${who}`);
        return parseEnrolmentReply(reply, who);
      } catch (e) {
        const why = e instanceof Error ? e.message : 'failed';
        throw new MpinError('not_ready', `issuer ${endpoint.identity.toString()}: enrolment not known: ${why}`);
      }
    }),
  );
  return Math.max(0, ...answers);
}
