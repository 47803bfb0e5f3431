/**
 * The checks a participant makes on the envelopes the coordinator hands it, each failure an abort with
 * its reason and the node to blame (errors.ts). The coordinator is not trusted: it may drop, reorder,
 * replace or replay messages, so position k must hold node k's envelope, signed by node k's identity
 * key, for this session and round.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { equalBytes, wipe } from '../bytes.ts';
import { decodeEnvelope, ENVELOPE_VERSION, isSealed, verifyEnvelope } from '../protocol/envelope.ts';
import type { Envelope, Verified } from '../protocol/types.ts';
import { identityOf, type ParticipantContext } from './context.ts';
import { DkgAbort } from './errors.ts';
import {
  type DkgSession,
  ROUND1_TYPE,
  ROUND2_TYPE,
  type Round1Content,
  type Round2Content,
  round1Schema,
  round2Schema,
} from './messages.ts';
import { popMessage } from './session-binding.ts';
import { openShare } from './share-seal.ts';

type Session = Verified<DkgSession>;

/** The envelopes decoded, with node k's at position k; missing, extra or misplaced ones abort. */
function inNodeOrder(session: Session, envelopes: readonly Uint8Array[]): Verified<Envelope>[] {
  const nodes = session.value.nodes;
  const decoded = envelopes.map((bytes, k) => {
    try {
      return decodeEnvelope(bytes);
    } catch {
      throw new DkgAbort('bad_message', [], `dkg: message ${k + 1} is not a well-formed envelope`);
    }
  });
  const senders = decoded.map((e) => e.value.header.sender.toString());
  const missing = nodes.flatMap((node, k) => (senders.includes(node.toString()) ? [] : [k + 1]));
  if (missing.length > 0)
    throw new DkgAbort('missing_message', missing, `dkg: no message from node ${missing.join(', ')}`);
  if (decoded.length !== nodes.length) {
    throw new DkgAbort('bad_message', [], `dkg: ${decoded.length} messages for ${nodes.length} nodes`);
  }
  const misplaced = nodes.flatMap((node, k) => (senders[k] === node.toString() ? [] : [k + 1]));
  if (misplaced.length > 0) {
    throw new DkgAbort('out_of_order', [], `dkg: positions ${misplaced.join(', ')} do not hold their node's message`);
  }
  return decoded;
}

/** The plain content of node k's envelope of `type`, after its signature verified. */
async function verifiedContent(
  ctx: ParticipantContext,
  session: Session,
  env: Verified<Envelope>,
  k: number,
  type: string,
) {
  const { header, body } = env.value;
  const current = header.version === ENVELOPE_VERSION;
  if (!current || header.type !== type || header.order !== session.cid.toString() || isSealed(body)) {
    throw new DkgAbort('bad_message', [k + 1], `dkg: node ${k + 1}'s message is not a ${type} of this session`);
  }
  try {
    await verifyEnvelope(ctx.bls, env, identityOf(ctx, header.sender));
  } catch {
    throw new DkgAbort('bad_signature', [k + 1], `dkg: node ${k + 1}'s ${type} signature does not verify`);
  }
  return body.plain;
}

function round1Content(session: Session, plain: unknown, k: number): Round1Content {
  let c: Round1Content;
  try {
    c = round1Schema(plain, 'round1');
  } catch {
    throw new DkgAbort('bad_message', [k + 1], `dkg: node ${k + 1}'s round-1 content is malformed`);
  }
  const others = session.value.nodes.filter((_, j) => j !== k);
  const addressed = c.shares.length === others.length && c.shares.every((s, j) => s.recipient.equals(others[j] as CID));
  if (!c.session.equals(session.cid) || c.index !== k + 1 || !addressed) {
    throw new DkgAbort(
      'bad_message',
      [k + 1],
      `dkg: node ${k + 1}'s round-1 content names another session, index or node`,
    );
  }
  return c;
}

function checkCommitmentsAndPop(ctx: ParticipantContext, session: Session, c: Round1Content, sender: CID, k: number) {
  const { group } = ctx;
  const sized = c.commitments.length === session.value.t && c.commitments.every((p) => p.length === group.pointBytes);
  if (!sized || !group.areCommitments(c.commitments)) {
    throw new DkgAbort(
      'bad_commitments',
      [k + 1],
      `dkg: node ${k + 1}'s commitments are not ${session.value.t} points`,
    );
  }
  if (!group.verifyPossession(c.commitments[0] as Uint8Array, popMessage(session.cid, sender), c.pop)) {
    throw new DkgAbort('bad_pop', [k + 1], `dkg: node ${k + 1}'s proof of possession does not verify`);
  }
}

/** This node's share from node k, opened and checked against node k's commitments. */
function myShare(ctx: ParticipantContext, session: Session, c: Round1Content, sender: CID, me: number, k: number) {
  const sealed = c.shares.find((s) => s.recipient.equals(ctx.me.cid));
  let value: Uint8Array | undefined;
  try {
    if (!sealed) throw new Error('no share');
    value = openShare({ session: session.cid, sender, recipient: ctx.me.cid, index: me }, ctx.me.xwing, sealed);
    if (!ctx.group.isScalar(value) || !ctx.group.verifyShare({ index: me, value }, c.commitments))
      throw new Error('bad');
    return value;
  } catch {
    wipe(value);
    throw new DkgAbort(
      'bad_share',
      [k + 1],
      `dkg: node ${k + 1}'s share for node ${me} does not match its commitments`,
    );
  }
}

export interface Round1Checked {
  /** This node's shares from the other nodes, in node order (secret: the caller wipes them). */
  readonly shares: Uint8Array[];
  /** Every node's commitments, in node order. */
  readonly commitments: Uint8Array[][];
  /** The CIDs of the n round-1 envelopes, in node order (the transcript). */
  readonly cids: CID[];
}

/** Checks the n round-1 envelopes; `own` is the envelope this node sent. */
export async function checkRound1(
  ctx: ParticipantContext,
  session: Session,
  mine: { readonly index: number; readonly round1: Uint8Array },
  envelopes: readonly Uint8Array[],
): Promise<Round1Checked> {
  const decoded = inNodeOrder(session, envelopes);
  if (!equalBytes(decoded[mine.index - 1]?.bytes ?? new Uint8Array(), mine.round1)) {
    throw new DkgAbort('bad_message', [], `dkg: message ${mine.index} is not the one this node sent`);
  }
  const shares: Uint8Array[] = [];
  const commitments: Uint8Array[][] = [];
  try {
    for (const [k, env] of decoded.entries()) {
      const sender = env.value.header.sender;
      const c = round1Content(session, await verifiedContent(ctx, session, env, k, ROUND1_TYPE), k);
      checkCommitmentsAndPop(ctx, session, c, sender, k);
      commitments.push(c.commitments);
      if (k + 1 !== mine.index) shares.push(myShare(ctx, session, c, sender, mine.index, k));
    }
  } catch (e) {
    wipe(...shares);
    throw e;
  }
  return { shares, commitments, cids: decoded.map((e) => e.cid) };
}

/** Checks the n round-2 envelopes: every node signed `transcript` and computed `groupKey`. */
export async function checkRound2(
  ctx: ParticipantContext,
  session: Session,
  mine: { readonly transcript: Uint8Array; readonly groupKey: Uint8Array },
  envelopes: readonly Uint8Array[],
): Promise<void> {
  const decoded = inNodeOrder(session, envelopes);
  const differing: number[] = [];
  for (const [k, env] of decoded.entries()) {
    const plain = await verifiedContent(ctx, session, env, k, ROUND2_TYPE);
    let c: Round2Content;
    try {
      c = round2Schema(plain, 'round2');
    } catch {
      throw new DkgAbort('bad_message', [k + 1], `dkg: node ${k + 1}'s round-2 content is malformed`);
    }
    if (!c.session.equals(session.cid))
      throw new DkgAbort('bad_message', [k + 1], `dkg: node ${k + 1}: another session`);
    if (!equalBytes(c.transcript, mine.transcript) || !equalBytes(c.groupKey, mine.groupKey)) differing.push(k + 1);
  }
  if (differing.length > 0) {
    throw new DkgAbort(
      'transcript_mismatch',
      differing,
      `dkg: node ${differing.join(', ')} signed another transcript (a node equivocated, or the coordinator did)`,
    );
  }
}
