/**
 * The client side, for scripts, the CLI and tests: ask issuing nodes for
 * shares (an "mpin/order" through DtaClient, which checks the node's
 * signature and opens the sealed reply), and build the JSON of a one-pass
 * login for an authentication server.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { Core } from '../../../core/types.ts';
import type { DtaClient } from '../../client.ts';
import { toBase64 } from '../../../plugins/mpin/codec.ts';
import { canonicalIdentity, mpinIdOf } from '../../../plugins/mpin/id.ts';
import { parseIssueReply, type IssueRequest } from '../../../plugins/mpin/issue-messages.ts';

/** One share from the node behind `client`, for the client's identity `me`. */
export async function requestShare(client: DtaClient, me: CID, asked: IssueRequest): Promise<Uint8Array> {
  const { content } = await client.order('mpin', asked);
  return parseIssueReply(content, asked, asked.issue === 'server-secret' ? undefined : canonicalIdentity(me));
}

export interface LoginInput {
  readonly identity: CID;
  readonly pin: number;
  readonly token: Uint8Array;
  /** Unix seconds; now when absent. */
  readonly time?: number;
  /** With a time permit: its date (days) and the permit (sum of the nodes' permits). */
  readonly date?: number;
  readonly permit?: Uint8Array;
}

/** The JSON body of POST /v1/plugins/mpin/login. */
export function loginBody(core: Core, input: LoginInput): Record<string, string | number> {
  const time = input.time ?? Math.floor(Date.now() / 1000);
  const id = mpinIdOf(input.identity);
  const withPermit = input.date !== undefined ? { date: input.date, permit: input.permit } : {};
  const c = core.mpin.client({ id, pin: input.pin, token: input.token, time, ...withPermit });
  const body: Record<string, string | number> = { id: canonicalIdentity(input.identity), time, v: toBase64(c.v) };
  if (input.date === undefined) body.u = toBase64(c.u);
  else Object.assign(body, { date: input.date, ut: toBase64(c.ut!) });
  return body;
}
