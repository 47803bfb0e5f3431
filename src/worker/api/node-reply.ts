/**
 * A node's reply envelope, handed in by the page as bytes and checked here before its content is read: of the
 * expected type, signed by the node whose identity document is given, answering the given request, in the given
 * order, sealed to the unlocked identity. Its content is opened in the worker and never returned to the page.
 * @module
 */
import { CID } from 'multiformats/cid';
import { openEnvelope, verifyEnvelope } from '../../core/protocol/envelope.ts';
import { readIdentity } from '../../core/protocol/identity.ts';
import type { BlsSigner } from '../../core/protocol/types.ts';
import type { Session } from '../vault/vault.ts';
import { SecretBoundaryError } from './withheld.ts';

/** A node's reply as the page received it (the bytes sealed to us), with what it must answer. */
export interface NodeReplyIn {
  /** The node's identity document (DAG-CBOR), as stored when the node was added. */
  readonly node: Uint8Array;
  /** The order the reply belongs to (the CID of its first envelope). */
  readonly order: string;
  /** The CID of the request the reply answers. */
  readonly request: string;
  /** The reply envelope's bytes. */
  readonly reply: Uint8Array;
}

/** The node that signed the reply and its opened content (for the worker's own use). */
export interface OpenedReply {
  readonly node: CID;
  readonly content: unknown;
}

/** Verifies `r` as a reply of `type` from its node to our request, and opens it with the unlocked identity. */
export async function openNodeReply(
  bls: BlsSigner,
  session: Session,
  r: NodeReplyIn,
  type: string,
): Promise<OpenedReply> {
  if (!(r?.node instanceof Uint8Array) || !(r.reply instanceof Uint8Array))
    throw new SecretBoundaryError('a node reply is given as the node identity document and the reply envelope');
  const node = await readIdentity(bls, r.node);
  const env = await verifyEnvelope(bls, r.reply, node);
  const h = env.value.header;
  if (h.type !== type) throw new SecretBoundaryError(`expected a "${type}" reply, got "${h.type}"`);
  if (h.order !== CID.parse(r.order).toString()) throw new SecretBoundaryError('the reply names another order');
  if (!h.previous?.equals(CID.parse(r.request))) throw new SecretBoundaryError('the reply does not answer the request');
  if (!h.recipients.some((c) => c.equals(session.identity.cid)))
    throw new SecretBoundaryError('the reply is not sealed to the unlocked identity');
  return { node: node.cid, content: openEnvelope(env, { cid: session.identity.cid, xwing: session.secrets.xwing }) };
}
