/**
 * The beneficiary's retrieval of a DKG custody key: redeem every node's order in parallel; hold each released
 * share to what the beneficiary knows (the session CID and the group's commitments, from the requester's
 * receipt): the session document must be that session, the index the node's place in it, the commitments those
 * of the group; then recoverFromShares (src/core/dkg/recover.ts) checks every share against the commitments,
 * names the wrong ones and recovers the key from the first t good ones. Down or lying nodes do not stop it while
 * t honest ones answer. Shares are wiped after use; the caller wipes the key.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { CallOptions } from '../../core/api/node-api.ts';
import { equalBytes, wipe } from '../../core/bytes.ts';
import { blsGroup } from '../../core/dkg/bls-group.ts';
import type { DkgGroup, GroupName } from '../../core/dkg/group.ts';
import { readSession } from '../../core/dkg/messages.ts';
import { RecoveryError, recoverFromShares } from '../../core/dkg/recover.ts';
import { secp256k1Group } from '../../core/dkg/secp256k1-group.ts';
import type { Core, Share } from '../../core/types.ts';
import { type DkgRedeemReply, parseDkgRedeemReply } from './dkg-schema.ts';
import { CustodyError, refuse } from './errors.ts';
import { reasonOf } from './order.ts';
import type { Holder, RetrievalProgress, RetrievalReport } from './retrieve.ts';

export interface DkgRetrieveOptions extends CallOptions {
  /** The DKG session the orders bind. */
  readonly dkg: CID;
  /** The group's Feldman commitments (first = the group key), as the DKG gave them to the requester. */
  readonly commitments: readonly Uint8Array[];
  readonly onProgress?: (progress: RetrievalProgress) => void;
}

export interface DkgRetrieved extends RetrievalReport {
  /** The key's secret scalar (the caller wipes it). */
  readonly secret: Uint8Array;
  readonly group: GroupName;
  readonly groupKey: Uint8Array;
}

interface Answer {
  readonly node: CID;
  readonly reply: DkgRedeemReply;
}

const groupOf = (core: Core, name: GroupName): DkgGroup => (name === 'secp256k1' ? secp256k1Group() : blsGroup(core));

async function redeemOne(holder: Holder, options: CallOptions): Promise<DkgRedeemReply> {
  const step = await holder.session.redeem('custody', holder.order, {}, options);
  const reply = parseDkgRedeemReply(step.content);
  if (reply.order !== holder.order) refuse('mismatch', 'custody redemption: names another order');
  return reply;
}

/** What is wrong with an answer before its share is looked at, or undefined. */
function answerFault(a: Answer, options: DkgRetrieveOptions): string | undefined {
  let session: ReturnType<typeof readSession>;
  try {
    session = readSession(a.reply.session);
  } catch {
    return 'sent no session document';
  }
  if (!session.cid.equals(options.dkg)) return 'names another DKG session';
  const at = session.value.nodes.findIndex((n) => n.equals(a.node));
  if (at < 0) return 'is not in the session';
  if (a.reply.index !== at + 1) return `sent share index ${a.reply.index}, the session gives it ${at + 1}`;
  const same = a.reply.commitments.length === options.commitments.length;
  if (!same || a.reply.commitments.some((c, i) => !equalBytes(c, options.commitments[i]!))) {
    return "sent other commitments than the group's";
  }
  return undefined;
}

/** The session of the first answer that carries the expected one (the CID binds its t, group and nodes). */
function sessionFrom(answers: readonly Answer[], expected: CID) {
  for (const a of answers) {
    try {
      const s = readSession(a.reply.session);
      if (s.cid.equals(expected)) return s;
    } catch {
      // a node sending garbage is named later, with the rest of its answer
    }
  }
  return refuse('too_few_shares', `custody: no node released the DKG session ${expected}`);
}

async function redeemAll(holders: readonly Holder[], options: DkgRetrieveOptions) {
  const answers: Answer[] = [];
  const failed: { node: string; reason: string }[] = [];
  const { dkg: _dkg, commitments: _c, onProgress, ...call } = options;
  await Promise.all(
    holders.map(async (h) => {
      const node = h.session.node.cid;
      onProgress?.({ node: node.toString(), state: 'sent' });
      try {
        answers.push({ node, reply: await redeemOne(h, call) });
      } catch (e) {
        failed.push({ node: node.toString(), reason: reasonOf(e) });
        onProgress?.({ node: node.toString(), state: 'failed', reason: reasonOf(e) });
      }
    }),
  );
  return { answers, failed };
}

/** Redeems every holder's order in parallel and recovers the DKG key from the first t good shares. */
export async function custodyDkgRetrieve(
  core: Core,
  holders: readonly Holder[],
  options: DkgRetrieveOptions,
): Promise<DkgRetrieved> {
  if (holders.length === 0) refuse('malformed', 'custody: no node to retrieve from');
  const { answers, failed } = await redeemAll(holders, options);
  const session = sessionFrom(answers, options.dkg);
  const wrong: { node: string; reason: string }[] = [];
  const shares: Share[] = [];
  const nodeAt = new Map<number, string>();
  for (const a of answers) {
    const fault = answerFault(a, options);
    if (fault === undefined) {
      shares.push({ index: a.reply.index, value: a.reply.share });
      nodeAt.set(a.reply.index, a.node.toString());
    } else wrong.push({ node: a.node.toString(), reason: fault });
  }
  try {
    const group = groupOf(core, session.value.group);
    const { secret, wrong: failing } = recoverFromShares(group, shares, options.commitments, session.value.t);
    for (const i of failing) wrong.push({ node: nodeAt.get(i)!, reason: 'sent a share that fails the commitments' });
    for (const w of wrong) options.onProgress?.({ ...w, state: 'wrong' });
    const good = shares.filter((s) => !failing.includes(s.index));
    for (const s of good) options.onProgress?.({ node: nodeAt.get(s.index)!, state: 'good', index: s.index });
    const usedIndices = good.slice(0, session.value.t).map((s) => s.index);
    return { secret, group: group.name, groupKey: options.commitments[0]!, wrong, failed, usedIndices };
  } catch (e) {
    if (!(e instanceof RecoveryError)) throw e;
    const lied = e.wrong.map((i) => ({ node: nodeAt.get(i)!, reason: 'sent a share that fails the commitments' }));
    const named = [...wrong, ...lied, ...failed].map((w) => `${w.node}: ${w.reason}`).join('; ');
    throw new CustodyError('too_few_shares', `custody: ${e.message}${named ? ` (${named})` : ''}`);
  } finally {
    wipe(...answers.map((a) => a.reply.share));
  }
}
