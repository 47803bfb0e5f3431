/**
 * The steps every order goes through, whatever its plugin: place it (the
 * request is stored before it is posted, so a lost reply is recovered by
 * posting the same bytes again), redeem it as the beneficiary (or re-open
 * the redemption already on the node), import an order someone named us in,
 * refresh it from the node and verify its chain — online (Helia and the
 * node's API) or offline (stored envelopes).
 * @module
 */
import { CID } from 'multiformats/cid';
import type { OrderView } from '../../core/api/replies.ts';
import type { NodeSession, SentRequest, StepResult } from '../../core/api/session.ts';
import { encode } from '../../core/protocol/cbor.ts';
import { decodeEnvelope } from '../../core/protocol/envelope.ts';
import { readIdentity } from '../../core/protocol/identity.ts';
import { intentRecipients } from '../../core/protocol/intent.ts';
import type { IdentityDocument, Verified } from '../../core/protocol/types.ts';
import type { FlowsCrypto } from '../api/context.ts';
import { type FlowsDeps, nowOf, requireSigner } from '../api/deps.ts';
import { InputError, NodeApiError, NotReadyError } from '../api/errors.ts';
import { listNodes, sessionFor, storedIdentity } from '../nodes/registry.ts';
import { describeError } from '../ui/errors.ts';
import { type ChainResult, checkChain } from './chain.ts';
import type { ReleaseRecord } from './conditions/record.ts';
import {
  isBeneficiary,
  mergeEnvelopes,
  type OrderRecord,
  type OrderSummary,
  roleOf,
  type StoredEnvelope,
  stateAfterView,
  storedOf,
} from './model.ts';
import { findOrder, getOrder, putOrder, updateOrder } from './repo.ts';
import { headOf, linksOf, statusOfHead, type VerifiedOrder, verifiedOrder } from './verified.ts';

/** Turns an opened order reply into the stored summary, checking it against what was ordered. */
export type Summarize = (content: unknown, order: OrderRecord, crypto: FlowsCrypto) => Promise<OrderSummary>;

export interface PlaceArgs {
  readonly node: string;
  readonly plugin: string;
  readonly content: unknown;
  /** The beneficiary's identity CID (ours when absent). */
  readonly beneficiary?: string;
  readonly label?: string;
  readonly bitcoin?: OrderRecord['bitcoin'];
  readonly summarize: Summarize;
  /**
   * With the principal's intent: the beneficiary's verified identity, to which the request is sealed too
   * (src/core/protocol/intent.ts); without it the request is sealed to the node alone.
   */
  readonly intentFor?: Verified<IdentityDocument>;
  /** The release conditions the content carries (src/app/orders/conditions/), kept with the record. */
  readonly release?: ReleaseRecord;
}

export interface Placed {
  readonly order: OrderRecord;
  /** The opened reply content (for the caller's own use; not stored). */
  readonly content: unknown;
}

/** A stored envelope from bytes we built or checked (header fields read from the bytes). */
function storedFromBytes(cid: CID, bytes: Uint8Array): StoredEnvelope {
  const h = decodeEnvelope(bytes, cid).value.header;
  return {
    cid: cid.toString(),
    type: h.type,
    sender: h.sender.toString(),
    recipients: h.recipients.map(String),
    created: h.created,
    bytes,
  };
}

/** A step's request and the node's reply, as stored envelopes. */
export function stepEnvelopes(result: StepResult): StoredEnvelope[] {
  return [
    storedFromBytes(result.request.cid, result.request.bytes),
    storedFromBytes(result.envelope.cid, result.envelope.bytes),
  ];
}

/** After a failed post: a refusal (4xx) is final and nothing was committed; anything else may be retried as is. */
function afterFailure(o: OrderRecord, e: unknown, now: number): OrderRecord {
  const error = describeError(e).message;
  if (e instanceof NodeApiError && e.status < 500 && o.pending) {
    const { pending: _, ...rest } = o;
    return { ...rest, state: o.pending.step === 'order' ? 'failed' : 'open', error, updated: now };
  }
  return { ...o, error, updated: now };
}

async function post(deps: FlowsDeps, session: NodeSession, o: OrderRecord): Promise<StepResult> {
  const p = o.pending!;
  const request: SentRequest = { cid: CID.parse(p.cid), bytes: p.bytes };
  try {
    return p.step === 'order' ? await session.postOrder(request) : await session.postRedeem(o.id, request);
  } catch (e) {
    await updateOrder(deps, o.owner, o.id, (cur) => afterFailure(cur, e, nowOf(deps)));
    throw e;
  }
}

/** Posts an order record's pending request and records the checked reply. */
async function sendOrder(deps: FlowsDeps, session: NodeSession, o: OrderRecord, summarize: Summarize): Promise<Placed> {
  const result = await post(deps, session, o);
  let summary: OrderSummary;
  try {
    summary = await summarize(result.content, o, await deps.crypto());
  } catch (e) {
    await updateOrder(deps, o.owner, o.id, (cur) => ({
      ...cur,
      state: 'failed',
      envelopes: stepEnvelopes(result),
      head: result.reply.cid,
      error: describeError(e).message,
      updated: nowOf(deps),
    }));
    throw e;
  }
  const order = await updateOrder(deps, o.owner, o.id, ({ pending: _, error: __, ...cur }) => ({
    ...cur,
    state: result.reply.status === 'redeemed' ? 'redeemed' : 'open',
    summary,
    envelopes: mergeEnvelopes(cur.envelopes, stepEnvelopes(result)),
    head: result.reply.cid,
    updated: nowOf(deps),
  }));
  return { order, content: result.content };
}

/** Builds, stores and posts a new order. */
export async function placeOrder(deps: FlowsDeps, args: PlaceArgs): Promise<Placed> {
  const session = await sessionFor(deps, args.node);
  const me = session.me.identity.cid.toString();
  const beneficiary = args.beneficiary ?? me;
  const type = `${args.plugin}/order`;
  const request = args.intentFor
    ? await session.me.createEnvelope({
        type,
        recipients: intentRecipients(session.node, args.intentFor),
        content: args.content,
        sealed: true,
      })
    : await session.request({ type, content: args.content });
  const now = nowOf(deps);
  const record: OrderRecord = {
    owner: me,
    id: request.cid.toString(),
    plugin: args.plugin,
    node: session.api.url,
    nodeIdentity: session.node.cid.toString(),
    principal: me,
    beneficiary,
    role: roleOf(me, me, beneficiary)!,
    created: now,
    updated: now,
    state: 'sending',
    pending: { step: 'order', cid: request.cid.toString(), bytes: request.bytes },
    envelopes: [],
    ...(args.label !== undefined ? { label: args.label } : {}),
    ...(args.bitcoin ? { bitcoin: args.bitcoin } : {}),
    ...(args.release ? { release: args.release } : {}),
    intent: { kind: args.intentFor ? 'intent' : 'before-intents' },
  };
  await putOrder(deps, record);
  return sendOrder(deps, session, record, args.summarize);
}

/** Posts a stored order's pending request again (after a lost reply or a network failure). */
export async function resendOrder(deps: FlowsDeps, id: string, summarize: Summarize): Promise<Placed> {
  const me = await requireSigner(deps);
  const o = await getOrder(deps, me.identity.cid.toString(), id);
  if (o.pending?.step !== 'order') throw new NotReadyError('this order has no request waiting to be sent');
  return sendOrder(deps, await sessionFor(deps, o.node), o, summarize);
}

/** The opened content of the node's step of type `type` in the verified chain that is addressed to us. */
async function openFromChain(session: NodeSession, order: VerifiedOrder, type: string): Promise<unknown> {
  const me = session.me.identity.cid;
  const step = [...order.steps]
    .reverse()
    .find(
      (e) =>
        e.value.header.type === type &&
        e.value.header.sender.equals(session.node.cid) &&
        e.value.header.recipients.some((r) => r.equals(me)),
    );
  return step ? session.openIfAddressed(step) : undefined;
}

/** The order as its node's history shows it, verified; every party and state read from the envelopes. */
async function fetchVerified(
  deps: FlowsDeps,
  session: NodeSession,
  id: string,
): Promise<{ order: VerifiedOrder; view: OrderView }> {
  const view = await session.api.order(id);
  return { order: await verifiedOrder(session, (await deps.crypto()).bls, id, view.history), view };
}

/** What the record keeps of the principal's intent (its content for the order's kind to check, when we read one). */
function intentOf(v: VerifiedOrder, me: string): NonNullable<OrderRecord['intent']> {
  if (v.intent.kind === 'before-intents') return { kind: 'before-intents' };
  return v.principal === me ? { kind: 'intent' } : { kind: 'intent', content: encode(v.intent.content) };
}

export interface Redeemed {
  readonly order: OrderRecord;
  /** The opened redemption reply (it holds the secret: shown, never stored). */
  readonly content: unknown;
}

/** Redeems an order as its beneficiary, or opens the redemption already made (the reply stays on the node, sealed to us). */
export async function redeemOrder(deps: FlowsDeps, id: string, content: unknown = {}): Promise<Redeemed> {
  const me = await requireSigner(deps);
  const owner = me.identity.cid.toString();
  let o = await getOrder(deps, owner, id);
  if (!isBeneficiary(o)) throw new InputError('order', 'only the beneficiary of this order can retrieve it');
  const session = await sessionFor(deps, o.node);
  if (o.pending?.step !== 'redeem') {
    const { order: v, view } = await fetchVerified(deps, session, id);
    const done = v.status === 'redeemed' ? await openFromChain(session, v, `${o.plugin}/redeem-reply`) : undefined;
    if (done !== undefined) {
      const order = await updateOrder(deps, owner, id, (cur) => ({
        ...cur,
        state: 'redeemed',
        head: v.head,
        envelopes: mergeEnvelopes(cur.envelopes, storedOf(view.history)),
        updated: nowOf(deps),
      }));
      return { order, content: done };
    }
    if (v.status === 'redeemed') throw new InputError('order', 'this order was redeemed, but not by this identity');
    // Never before the step it follows, even from a device clock behind the node's (docs/protocol.md#clocks).
    const created = Math.max(nowOf(deps), v.headCreated);
    const previous = CID.parse(v.head);
    const request = await session.request({ type: `${o.plugin}/redeem`, content, order: id, previous, created });
    o = await updateOrder(deps, owner, id, (cur) => ({
      ...cur,
      state: 'redeeming',
      pending: { step: 'redeem', cid: request.cid.toString(), bytes: request.bytes },
      envelopes: mergeEnvelopes(cur.envelopes, storedOf(view.history)),
      updated: nowOf(deps),
    }));
  }
  const result = await post(deps, session, o);
  const order = await updateOrder(deps, owner, id, ({ pending: _, error: __, ...cur }) => ({
    ...cur,
    state: 'redeemed',
    envelopes: mergeEnvelopes(cur.envelopes, stepEnvelopes(result)),
    head: result.reply.cid,
    updated: nowOf(deps),
  }));
  return { order, content: result.content };
}

/** Adds an order we are named in (as principal or beneficiary) from its node; summarises its reply if sealed to us. */
export async function importOrder(
  deps: FlowsDeps,
  node: string,
  id: string,
  summarize: Summarize,
): Promise<OrderRecord> {
  let orderId: string;
  try {
    orderId = CID.parse(id.trim()).toString();
  } catch {
    throw new InputError('order', 'this order id is incomplete or mistyped: copy it whole, as it was given to you');
  }
  const session = await sessionFor(deps, node);
  const me = session.me.identity.cid.toString();
  const { order: v, view } = await fetchVerified(deps, session, orderId);
  const role = roleOf(me, v.principal, v.beneficiary);
  if (!role) throw new InputError('order', 'this order names neither you as principal nor as beneficiary');
  const existing = await findOrder(deps, me, orderId);
  const now = nowOf(deps);
  const base: OrderRecord = existing ?? {
    owner: me,
    id: orderId,
    plugin: v.plugin,
    node: session.api.url,
    nodeIdentity: session.node.cid.toString(),
    principal: v.principal,
    beneficiary: v.beneficiary,
    role,
    created: v.created,
    updated: now,
    state: 'open',
    envelopes: [],
  };
  // A record stored before took its parties from the node's JSON: the verified ones replace them.
  const withIntent: OrderRecord = {
    ...base,
    principal: v.principal,
    beneficiary: v.beneficiary,
    role,
    intent: base.intent ?? intentOf(v, me),
  };
  const opened = await openFromChain(session, v, `${v.plugin}/order-reply`);
  const summary =
    opened !== undefined && !base.summary ? await summarize(opened, withIntent, await deps.crypto()) : base.summary;
  return putOrder(deps, {
    ...withIntent,
    state: stateAfterView(base.state, v.status),
    head: v.head,
    envelopes: mergeEnvelopes(base.envelopes, storedOf(view.history)),
    updated: now,
    ...(summary ? { summary } : {}),
  });
}

async function knownIdentities(deps: FlowsDeps, me: Verified<IdentityDocument>): Promise<Verified<IdentityDocument>[]> {
  const out = [me];
  for (const n of await listNodes(deps)) {
    try {
      out.push(await storedIdentity(deps, n));
    } catch {
      // a stored document that no longer verifies is not trusted
    }
  }
  const db = await deps.db();
  const { bls } = await deps.crypto();
  for (const d of await db.getAll('documents')) {
    try {
      out.push(await readIdentity(bls, d.bytes, CID.parse(d.cid)));
    } catch {
      // same
    }
  }
  return out;
}

async function keepDocuments(deps: FlowsDeps, docs: readonly Verified<IdentityDocument>[]): Promise<void> {
  const db = await deps.db();
  for (const d of docs) await db.put('documents', { cid: d.cid.toString(), bytes: d.bytes });
}

/**
 * Verifies an order's chain. Online: fetches the order from its node (new steps are added), then every
 * envelope and identity by CID over IPFS when the browser's Helia is connected, else from the node's API.
 * Offline (or `offline`): the stored envelopes and identity documents. The result is stored with the order.
 */
export async function verifyOrder(
  deps: FlowsDeps,
  id: string,
  options: { offline?: boolean } = {},
): Promise<OrderRecord> {
  const me = await requireSigner(deps);
  const owner = me.identity.cid.toString();
  const o = await getOrder(deps, owner, id);
  const node = (await listNodes(deps)).find((n) => n.url === o.node);
  let view: OrderView | undefined;
  let api: NodeSession['api'] | undefined;
  if (!options.offline && node) {
    try {
      const session = await sessionFor(deps, o.node);
      api = session.api;
      view = await api.order(id);
    } catch {
      view = undefined; // unreachable: verify what is stored
    }
  }
  const envelopes = view ? mergeEnvelopes(o.envelopes, storedOf(view.history)) : o.envelopes;
  // The head from the envelopes' own links, never from the node's JSON; a chain that fails to decode is reported.
  let head = o.head;
  try {
    if (o.head || view) head = headOf(id, linksOf(envelopes));
  } catch {
    head = view?.order.head ?? o.head;
  }
  if (!head) throw new NotReadyError('this order has no reply yet: nothing to verify');
  const headType = envelopes.find((e) => e.cid === head)?.type;
  const result: ChainResult = await checkChain(
    { bls: (await deps.crypto()).bls, ...(deps.ipfs && view ? { ipfs: deps.ipfs } : {}), now: nowOf(deps) },
    {
      head,
      envelopes,
      bytesVia: view ? 'http' : 'stored',
      providers: (await listNodes(deps)).flatMap((n) => n.libp2p),
      known: await knownIdentities(deps, me.identity),
      ...(api ? { api } : {}),
    },
  );
  await keepDocuments(deps, result.documents);
  return updateOrder(deps, owner, id, (cur) => {
    // A step stored while this check ran (a redemption made meanwhile) is kept, with the head and state it gave;
    // this check was of the chain before it, so it is not recorded.
    const all = mergeEnvelopes(envelopes, cur.envelopes);
    if (all.length > envelopes.length) return { ...cur, envelopes: all, updated: nowOf(deps) };
    return {
      ...cur,
      envelopes,
      head,
      check: result.check,
      updated: nowOf(deps),
      ...(view && result.check.verified && headType
        ? { state: stateAfterView(cur.state, statusOfHead(headType)) }
        : {}),
    };
  });
}
