/**
 * An order as its verified envelopes say it is, never as the node's JSON says. GET /v1/orders/{id} answers with
 * unsigned fields (principal, beneficiary, status, head) beside the envelopes; a node could write anything there.
 * The app takes from it only the envelopes' bytes, and reads every party and state from the chain they make:
 *
 * - the head: walking forward from the order id along `previous` links (each envelope hashed to its CID);
 * - the whole chain from that head verified (signatures by verified identities, links, order id, parties, times);
 * - the principal: the signer of the first step; the status: redeemed when the head is a redemption reply;
 * - the beneficiary: the one the principal's intent names (src/core/protocol/intent.ts), or, for an order made
 *   before intents, the one the node's signed reply is addressed to besides the principal.
 * @module
 */
import { CID } from 'multiformats/cid';
import type { HistoryEntry } from '../../core/api/replies.ts';
import type { NodeSession } from '../../core/api/session.ts';
import { fromBase64 } from '../../core/bytes.ts';
import { verifyChain } from '../../core/protocol/chain.ts';
import { decodeEnvelope, type VerifiedEnvelope } from '../../core/protocol/envelope.ts';
import { assertNamed, assertRedeemer, type Intent, readIntent } from '../../core/protocol/intent.ts';
import { createIdentityResolver } from '../../core/protocol/resolver.ts';
import type { BlsSigner, Envelope, IdentityDocument, Verified } from '../../core/protocol/types.ts';
import { ReplyError } from '../api/errors.ts';

export interface VerifiedOrder {
  readonly id: string;
  readonly plugin: string;
  readonly principal: string;
  readonly beneficiary: string;
  readonly status: 'open' | 'redeemed' | 'cancelled';
  readonly head: string;
  /** The principal's clock at ordering (the first step's `created`). */
  readonly created: number;
  /** The head's `created`: a next step is stamped no earlier. */
  readonly headCreated: number;
  /** The verified chain, first step to head. */
  readonly steps: readonly VerifiedEnvelope[];
  readonly intent: Intent;
}

/** The newest step of an order: from its id, forward along `previous` links among `envelopes`. */
export function headOf(
  id: string,
  envelopes: readonly { readonly cid: string; readonly previous: string | null }[],
): string {
  let head = id;
  for (let i = 0; i < envelopes.length; i++) {
    const next = envelopes.find((e) => e.previous === head);
    if (!next) break;
    head = next.cid;
  }
  return head;
}

/** The previous link of each envelope's bytes (decoded, hashed to its CID). */
export function linksOf(
  envelopes: readonly { readonly cid: string; readonly bytes: Uint8Array }[],
): { cid: string; previous: string | null; value: Envelope }[] {
  return envelopes.map((e) => {
    const value = decodeEnvelope(e.bytes, CID.parse(e.cid)).value;
    return { cid: e.cid, previous: value.header.previous?.toString() ?? null, value };
  });
}

/** The redemption reply ends an order, and so does a cancel's reply; anything else leaves it open. */
export const statusOfHead = (type: string): 'open' | 'redeemed' | 'cancelled' =>
  type.endsWith('/redeem-reply') ? 'redeemed' : type.endsWith('/cancel-reply') ? 'cancelled' : 'open';

/** A beneficiary CID an intent's content names (a map with a `beneficiary` CID), if any. */
function namedBeneficiary(content: unknown): CID | undefined {
  if (typeof content !== 'object' || content === null) return undefined;
  return CID.asCID((content as { beneficiary?: unknown }).beneficiary) ?? undefined;
}

/** Before intents: the reply is sealed to the principal and the beneficiary (the node's word, signed). */
function replyBeneficiary(steps: readonly VerifiedEnvelope[], principal: CID): CID {
  const reply = steps[1];
  return reply?.value.header.recipients.find((r) => !r.equals(principal)) ?? principal;
}

/** The one the principal sealed its first step to besides the node (its beneficiary), if any. */
function sealedTo(first: VerifiedEnvelope, node: CID): CID | undefined {
  return first.value.header.recipients.find((r) => !r.equals(node));
}

/**
 * The principal reading its own order (on another device, say): it signed the first step, which is sealed to the
 * node and the beneficiary, not to itself, so its intent is known but not re-read here.
 */
function ownIntent(first: VerifiedEnvelope, node: CID): Intent {
  return sealedTo(first, node) ? { kind: 'intent', content: undefined } : { kind: 'before-intents' };
}

/** The order `id` from a node's history entries, verified; who and what from the envelopes alone. */
export async function verifiedOrder(
  session: NodeSession,
  bls: BlsSigner,
  id: string,
  history: readonly HistoryEntry[],
): Promise<VerifiedOrder> {
  const bytes = new Map(history.map((h) => [h.cid, fromBase64(h.envelope, `history ${h.cid}`)] as const));
  const links = linksOf([...bytes].map(([cid, b]) => ({ cid, bytes: b })));
  const head = headOf(id, links);
  const known = new Map<string, Verified<IdentityDocument>>(
    [session.node, session.me.identity].map((d) => [d.cid.toString(), d] as const),
  );
  const identities = createIdentityResolver(bls, {
    get: async (cid) => known.get(cid.toString())?.bytes ?? session.api.identityBytes(cid.toString()),
  });
  const blocks = {
    get: async (cid: CID) => bytes.get(cid.toString()) ?? Promise.reject(new Error('not in the history')),
  };
  const steps = await verifyChain(bls, blocks, CID.parse(head), identities);
  const first = steps[0]!;
  if (first.cid.toString() !== id) throw new ReplyError("the order's history does not start with the order");
  const me = session.me.identity.cid;
  const principal = first.value.header.sender;
  // Read by whom the node's reply names (the beneficiary, or whom a forged reply names); a stranger is no party
  // and is refused by the caller for that, not for an intent that was never meant for it.
  const addressed = steps[1]?.value.header.recipients.some((r) => r.equals(me)) ?? false;
  const intent =
    principal.equals(me) || !addressed
      ? ownIntent(first, session.node.cid)
      : await readIntent(first, me, session.node.cid, (env) => session.me.openEnvelope(env));
  const named =
    intent.kind === 'intent' ? (namedBeneficiary(intent.content) ?? sealedTo(first, session.node.cid)) : undefined;
  if (named && !principal.equals(me) && first.value.header.recipients.some((r) => r.equals(me))) assertNamed(named, me);
  if (intent.kind === 'intent') assertRedeemer(intent.content, steps); // no oidc condition: only the named redeems
  const beneficiary = named ?? replyBeneficiary(steps, principal);
  const last = steps[steps.length - 1]!;
  return {
    id,
    plugin: first.value.header.type.split('/')[0]!,
    principal: principal.toString(),
    beneficiary: beneficiary.toString(),
    status: statusOfHead(last.value.header.type),
    head,
    created: first.value.header.created,
    headCreated: last.value.header.created,
    steps,
    intent,
  };
}
