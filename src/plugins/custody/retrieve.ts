/**
 * The beneficiary's retrieval: redeem every node's order in parallel; check each released share against the
 * group's commitments (reply.ts); name every node whose share is wrong and every node that did not answer;
 * recover k from the first t good shares (the core's shamir.recover, Lagrange over Fr), derive K and decrypt.
 * Down or lying nodes do not stop it while t honest ones answer. k, K and the shares are wiped after use.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { CallOptions } from '../../core/api/node-api.ts';
import type { NodeSession } from '../../core/api/session.ts';
import { wipe } from '../../core/bytes.ts';
import { cidOf } from '../../core/protocol/cbor.ts';
import { type OidcProof, oidcRedeemContent } from '../../core/protocol/oidc-nonce.ts';
import type { Core, Share } from '../../core/types.ts';
import { decryptSecret } from './cipher.ts';
import { CustodyError, refuse } from './errors.ts';
import { indexOf, readGroup, type VerifiedGroup } from './group.ts';
import { reasonOf } from './order.ts';
import { checkedShare } from './reply.ts';
import { parseRedeemReply, type RedeemReply } from './schema.ts';

/** One node to ask: a session with it (as the beneficiary) and the order it holds. */
export interface Holder {
  readonly session: NodeSession;
  readonly order: string;
}

/** One node's answer: a good share, a wrong one (the node lied), or none (down, or refused). */
export type RetrievalProgress =
  | { readonly node: string; readonly state: 'sent' }
  | { readonly node: string; readonly state: 'good'; readonly index: number }
  | { readonly node: string; readonly state: 'wrong'; readonly reason: string }
  | { readonly node: string; readonly state: 'failed'; readonly reason: string };

export interface RetrieveOptions extends CallOptions {
  /** The group the principal dealt (from its order receipt): every reply must carry exactly this document. */
  readonly group: CID;
  readonly onProgress?: (progress: RetrievalProgress) => void;
  /**
   * The reader redeems as an OpenID Connect identity with a fresh key (docs/protocol.md, "OpenID Connect
   * beneficiaries"): the group then names the principal as beneficiary, not the reader. A proof is added to each
   * redeem's content; `true` when the caller's sessions add it themselves.
   */
  readonly oidc?: boolean | OidcProof;
}

/** What a retrieval tells of the nodes it asked, whichever way the secret was shared. */
export interface RetrievalReport {
  /** Nodes whose share was wrong, with what was wrong. */
  readonly wrong: readonly { readonly node: string; readonly reason: string }[];
  /** Nodes that gave no share (down, or refused), with the reason. */
  readonly failed: readonly { readonly node: string; readonly reason: string }[];
  /** The share indices the secret was recovered from. */
  readonly usedIndices: readonly number[];
}

export interface Retrieved extends RetrievalReport {
  readonly secret: Uint8Array;
  readonly group: CID;
}

interface Answer {
  readonly holder: Holder;
  readonly node: CID;
  readonly reply: RedeemReply;
}

async function redeemOne(holder: Holder, options: CallOptions, oidc: RetrieveOptions['oidc']): Promise<RedeemReply> {
  const content = typeof oidc === 'object' ? oidcRedeemContent(oidc.idToken, oidc.binding) : {};
  const step = await holder.session.redeem('custody', holder.order, content, options);
  const reply = parseRedeemReply(step.content);
  if (reply.order !== holder.order) refuse('mismatch', 'custody redemption: names another order');
  return reply;
}

const carries = (answer: Answer, expected: CID): boolean => cidOf(answer.reply.groupDocument).equals(expected);

/**
 * The group document from `carrier`, the first answer that carries the expected one, checked: the principal's
 * signature, its identity read from the node that answered (the signature is checked here, so the node need not be
 * trusted).
 */
async function groupFrom(
  core: Core,
  carrier: Answer | undefined,
  expected: CID,
  oidc: RetrieveOptions['oidc'],
): Promise<VerifiedGroup> {
  if (!carrier) refuse('too_few_shares', `custody: no node released the group ${expected}`);
  const session = carrier.holder.session;
  const group = await readGroup(core.bls, carrier.reply.groupDocument, (p) => session.identity(p), expected);
  // Released to an OpenID Connect identity, the order names its principal as beneficiary (the reader's key is new).
  const reader = oidc ? group.value.principal : session.me.identity.cid;
  if (!group.value.beneficiary.equals(reader)) refuse('mismatch', 'custody: the group names another beneficiary');
  return group;
}

/** Sorts the answers into good shares (in the order they arrived) and wrong ones. */
function sortAnswers(core: Core, group: VerifiedGroup, answers: Answer[], onProgress: RetrieveOptions['onProgress']) {
  const good: { share: Share; ciphertext: Uint8Array }[] = [];
  const wrong: { node: string; reason: string }[] = [];
  for (const { node, reply } of answers) {
    const index = indexOf(group.value, node);
    const checked = index === undefined ? { wrong: 'is not in the group' } : checkedShare(core, group, index, reply);
    if ('share' in checked) {
      good.push({ share: checked.share, ciphertext: reply.ciphertext });
      onProgress?.({ node: node.toString(), state: 'good', index: checked.share.index });
    } else {
      wrong.push({ node: node.toString(), reason: checked.wrong });
      onProgress?.({ node: node.toString(), state: 'wrong', reason: checked.wrong });
    }
  }
  return { good, wrong };
}

/** Redeems every holder's order in parallel and recovers the secret from the first t good shares. */
export async function custodyRetrieve(
  core: Core,
  holders: readonly Holder[],
  options: RetrieveOptions,
): Promise<Retrieved> {
  const { group: expected, onProgress, oidc, ...call } = options;
  if (holders.length === 0) refuse('malformed', 'custody: no node to retrieve from');
  const answers: Answer[] = [];
  const failed: { node: string; reason: string }[] = [];
  // Read from the first answer that carries it while the other nodes are still working, not after the last one.
  let reading: Promise<VerifiedGroup> | undefined;
  await Promise.all(
    holders.map(async (h) => {
      const node = h.session.node.cid;
      onProgress?.({ node: node.toString(), state: 'sent' });
      try {
        const answer = { holder: h, node, reply: await redeemOne(h, call, oidc) };
        answers.push(answer); // in the order they arrive
        if (!reading && carries(answer, expected)) {
          reading = groupFrom(core, answer, expected, oidc);
          reading.catch(() => undefined); // awaited below, once every node answered
        }
      } catch (e) {
        failed.push({ node: node.toString(), reason: reasonOf(e) });
        onProgress?.({ node: node.toString(), state: 'failed', reason: reasonOf(e) });
      }
    }),
  );
  if (!reading && answers.length === 0) {
    // Every node refused or was silent: say why (a release condition not met yet, a cancel, a node down).
    const why = failed.map((f) => `${f.node}: ${f.reason}`).join('; ');
    refuse('too_few_shares', `custody: no node released the group ${expected} (${why})`);
  }
  const group = await (reading ?? groupFrom(core, undefined, expected, oidc));
  const { good, wrong } = sortAnswers(core, group, answers, onProgress);
  try {
    const t = group.value.t;
    if (good.length < t) {
      const named = [...wrong, ...failed].map((w) => `${w.node}: ${w.reason}`).join('; ');
      throw new CustodyError('too_few_shares', `custody: ${good.length} good shares, ${t} needed (${named})`);
    }
    const used = good.slice(0, t);
    const k = core.shamir.recover(used.map((g) => g.share));
    try {
      const secret = decryptSecret(k, group.value.beneficiary, used[0]!.ciphertext);
      return { secret, group: group.cid, wrong, failed, usedIndices: used.map((g) => g.share.index) };
    } finally {
      wipe(k);
    }
  } finally {
    wipe(...good.map((g) => g.share.value), ...answers.map((a) => a.reply.share));
  }
}
