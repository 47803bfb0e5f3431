/**
 * A node that aborts says why: a plain `custody/dkg-abort` envelope it signs, naming the session, its reason
 * and the nodes it blames. The coordinator relays it to every node, so the others stop at once instead of
 * waiting for a timeout, and whoever ran the DKG learns why it failed. A notice is a claim, not a proof
 * (a `bad_share` cannot be shown without revealing the share); a node can always refuse to go on anyway.
 * @module
 */
import { createEnvelope, decodeEnvelope, ENVELOPE_VERSION, verifyEnvelope } from '../protocol/envelope.ts';
import type { Envelope, Verified } from '../protocol/types.ts';
import { identityOf, type ParticipantContext } from './context.ts';
import type { DkgAbort } from './errors.ts';
import { ABORT_TYPE, type AbortContent, abortSchema, type DkgSession } from './messages.ts';

export interface AbortNotice extends AbortContent {
  /** The 1-based index of the node that aborted. */
  readonly node: number;
}

export async function signAbort(ctx: ParticipantContext, session: Verified<DkgSession>, e: DkgAbort) {
  const envelope = await createEnvelope(ctx.bls, ctx.me.bls, {
    type: ABORT_TYPE,
    sender: ctx.me.cid,
    order: session.cid.toString(),
    content: { session: session.cid, reason: e.reason, nodes: [...e.nodes] },
  });
  return envelope.bytes;
}

/** The notice in `bytes` if it is one for `session` from a listed node (its signature NOT checked), else null. */
export function readAbortHeader(session: Verified<DkgSession>, bytes: Uint8Array): AbortNotice | null {
  try {
    const env: Verified<Envelope> = decodeEnvelope(bytes);
    const { header, body } = env.value;
    const node = session.value.nodes.findIndex((c) => c.equals(header.sender)) + 1;
    const ours = header.type === ABORT_TYPE && header.order === session.cid.toString();
    if (!ours || header.version !== ENVELOPE_VERSION || node === 0 || !('plain' in body)) return null;
    const content = abortSchema(body.plain, 'abort');
    return content.session.equals(session.cid) ? { ...content, node } : null;
  } catch {
    return null;
  }
}

/** The notice, if it is one for `session` signed by the listed node it names as sender; else null. */
export async function readAbort(
  ctx: ParticipantContext,
  session: Verified<DkgSession>,
  bytes: Uint8Array,
): Promise<AbortNotice | null> {
  const notice = readAbortHeader(session, bytes);
  if (notice === null) return null;
  try {
    const sender = session.value.nodes[notice.node - 1];
    if (sender === undefined) return null;
    await verifyEnvelope(ctx.bls, bytes, identityOf(ctx, sender));
    return notice;
  } catch {
    return null;
  }
}
