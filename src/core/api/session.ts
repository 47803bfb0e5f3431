/**
 * The request model of the node, for every client (the app, the CLI,
 * scripts, tests, a node calling another node): every state change is one
 * envelope signed by the caller's identity and sealed to the node; every
 * reply is the node's envelope, checked before anything is believed:
 * signed by the node's verified identity, answering exactly our request
 * (its `previous`), naming the right order; then opened when it is sealed
 * to us.
 *
 * Lost replies: when the node dies after committing a step but before its
 * reply arrives, the session sends the same envelope again (`retries`); the
 * node refuses it as 409 replay naming the order and its reply step, and
 * the session reads that step from GET /v1/orders/{id} and carries on as if
 * the reply had arrived (`replayed: true`). Sending the same bytes, never a
 * new envelope, is what makes a retry safe: it cannot create a second order.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { decodeEnvelope, type VerifiedEnvelope, verifyEnvelope } from '../protocol/envelope.ts';
import { readIdentity } from '../protocol/identity.ts';
import { intentRecipients } from '../protocol/intent.ts';
import type { BlsSigner, IdentityDocument, Verified } from '../protocol/types.ts';
import type { Checkpoint } from '../tlog/checkpoint.ts';
import { IdentityChangedError, NodeApiError, NodeUnreachableError, ReplyError } from './errors.ts';
import { type LogKey, type LogReceipt, logKeyOfIdentity, logKeyOfStatement, verifyLogReceipt } from './log-proof.ts';
import type { CallOptions, NodeApi } from './node-api.ts';
import { type Discovery, replyBytes, replyCid, type StepReply } from './replies.ts';
import type { Signer } from './signer.ts';

/** A request envelope as sent: kept so that a retry posts the very same bytes (the node answers it again). */
export interface SentRequest {
  readonly cid: CID;
  readonly bytes: Uint8Array;
}

/** A checked step: the request, the node's reply, the verified reply envelope and its opened content. */
export interface StepResult {
  readonly request: SentRequest;
  readonly reply: StepReply;
  readonly envelope: VerifiedEnvelope;
  /** The reply's content; undefined when it is sealed to others only. */
  readonly content: unknown;
  /** The checkpoint of the node's log that includes the step's envelopes (verified); absent from older nodes. */
  readonly checkpoint?: Checkpoint;
}

export interface SessionOptions {
  /** How many times a step is sent again after a network failure or a 502/503/504 (the same bytes; default 0). */
  readonly retries?: number;
  /** The wait between those attempts (default 1000 ms). */
  readonly retryDelayMs?: number;
  /** Register the signer's identity with the node before its first step (default false: the caller does). */
  readonly registerFirst?: boolean;
  /** The clock that stamps our envelopes (ms since the epoch); Date.now unless a test sets it. */
  readonly now?: () => number;
}

/** The identity a discovery document carries, verified; IdentityChangedError when it is not `expected`. */
export async function identityOf(d: Discovery, bls: BlsSigner, expected?: string): Promise<Verified<IdentityDocument>> {
  if (expected !== undefined && d.identity !== expected) throw new IdentityChangedError(expected, d.identity);
  const cid = replyCid(d.identity, 'discovery.identity');
  return readIdentity(bls, replyBytes(d.identityDocument, 'discovery.identityDocument'), cid);
}

/** The node's identity from its discovery document, verified (schema, proof of possession, signature, CID). */
export async function nodeIdentity(
  api: NodeApi,
  bls: BlsSigner,
  expected?: string,
  options?: CallOptions,
): Promise<Verified<IdentityDocument>> {
  return identityOf(await api.discovery(options), bls, expected);
}

/** An identity document the node knows, by CID, verified against that CID. */
async function fetchIdentity(
  api: NodeApi,
  bls: BlsSigner,
  cid: CID | string,
  options?: CallOptions,
): Promise<Verified<IdentityDocument>> {
  const c = typeof cid === 'string' ? replyCid(cid, 'identity') : cid;
  return readIdentity(bls, await api.identityBytes(c.toString(), options), c);
}

/** A session with the node behind `api`: its identity read from discovery (and held to `expected` when given). */
export async function openSession(
  api: NodeApi,
  bls: BlsSigner,
  me: Signer,
  options: SessionOptions & { expected?: string } & CallOptions = {},
): Promise<NodeSession> {
  const { expected, timeoutMs, signal, ...session } = options;
  const call = { ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(signal ? { signal } : {}) };
  return new NodeSession(api, await nodeIdentity(api, bls, expected, call), bls, me, session);
}

/** Worth sending the same envelope again: the node may not have seen it, or may be restarting. */
function transient(e: unknown): boolean {
  return e instanceof NodeUnreachableError || (e instanceof NodeApiError && [502, 503, 504].includes(e.status));
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Identity documents a session keeps verified (the oldest is dropped beyond). */
const MAX_CACHED_IDENTITIES = 256;

export class NodeSession {
  readonly api: NodeApi;
  /** The node's verified identity. */
  readonly node: Verified<IdentityDocument>;
  readonly me: Signer;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly #bls: BlsSigner;
  readonly #now: () => number;
  #registered: boolean;
  #logKey: Promise<LogKey> | undefined;
  /** Identity documents read through this session, by CID: named by their hash, they never change once verified. */
  readonly #identities = new Map<string, Promise<Verified<IdentityDocument>>>();

  constructor(
    api: NodeApi,
    node: Verified<IdentityDocument>,
    bls: BlsSigner,
    me: Signer,
    options: SessionOptions = {},
  ) {
    this.api = api;
    this.node = node;
    this.me = me;
    this.#bls = bls;
    this.retries = Math.max(0, Math.floor(options.retries ?? 0));
    this.retryDelayMs = Math.max(0, options.retryDelayMs ?? 1000);
    this.#registered = !options.registerFirst;
    this.#now = options.now ?? Date.now;
  }

  /** Makes our identity known to the node (idempotent on the node; once per session here). */
  async register(options?: CallOptions): Promise<void> {
    await this.api.registerIdentity(this.me.identity.bytes, options);
    this.#registered = true;
  }

  /**
   * A request envelope for this node: signed by us, sealed to the node unless `sealed: false`; with `intentFor`
   * (an order's first step written with the principal's intent), sealed to the node and that beneficiary.
   */
  request(init: {
    type: string;
    content: unknown;
    order?: string;
    previous?: CID | null;
    sealed?: boolean;
    created?: number;
    intentFor?: Verified<IdentityDocument>;
  }): Promise<SentRequest> {
    return this.me.createEnvelope({
      type: init.type,
      recipients: init.intentFor ? intentRecipients(this.node, init.intentFor) : [this.node],
      previous: init.previous ?? null,
      order: init.order ?? '',
      content: init.content,
      sealed: init.sealed ?? true,
      created: init.created ?? this.#now(),
    });
  }

  /** Posts a new order's request (or the same one again) and checks the reply. */
  async postOrder(request: SentRequest, options?: CallOptions): Promise<StepResult> {
    const reply = await this.#send(request, () => this.api.postOrder(request.bytes, options), options);
    if (reply.order !== request.cid.toString()) throw new ReplyError('the reply names another order than our request');
    return this.#checked(request, reply);
  }

  /** Posts a redemption of `order` (or the same one again) and checks the reply. */
  async postRedeem(order: string, request: SentRequest, options?: CallOptions): Promise<StepResult> {
    const reply = await this.#send(request, () => this.api.postRedeem(order, request.bytes, options), options);
    if (reply.order !== order) throw new ReplyError('the reply names another order');
    return this.#checked(request, reply);
  }

  /**
   * Creates an order with `plugin`: builds the request, posts it, checks and opens the reply. With `intentFor`
   * (the beneficiary's verified identity) the order is written with the principal's intent
   * (docs/protocol.md#the-principals-intent); a plugin's shared half builds its content (safeguard: order.ts).
   */
  async order(
    plugin: string,
    content: unknown,
    options?: CallOptions & { intentFor?: Verified<IdentityDocument> },
  ): Promise<StepResult> {
    const { intentFor, ...call } = options ?? {};
    const request = await this.request({ type: `${plugin}/order`, content, ...(intentFor ? { intentFor } : {}) });
    return this.postOrder(request, call);
  }

  /** Redeems `order` (as its beneficiary), linking the order's current head. */
  async redeem(plugin: string, order: string, content: unknown = {}, options?: CallOptions): Promise<StepResult> {
    const request = await this.#nextStep(plugin, 'redeem', order, content, options);
    return this.postRedeem(order, request, options);
  }

  /**
   * Checks in on `order` (as its principal): the order's dead man's switch starts again from the node's time of the
   * reply (docs/protocol.md#check-in-and-cancel).
   */
  async checkIn(plugin: string, order: string, options?: CallOptions): Promise<StepResult> {
    return this.#principalStep(plugin, 'check-in', order, options);
  }

  /** Cancels `order` (as its principal): the node deletes its secret, and the order takes no further step. */
  async cancel(plugin: string, order: string, options?: CallOptions): Promise<StepResult> {
    return this.#principalStep(plugin, 'cancel', order, options);
  }

  async #principalStep(plugin: string, step: 'check-in' | 'cancel', order: string, options?: CallOptions) {
    const request = await this.#nextStep(plugin, step, order, {}, options);
    const post = () => this.api.postPrincipalStep(step, order, request.bytes, options);
    const reply = await this.#send(request, post, options);
    if (reply.order !== order) throw new ReplyError('the reply names another order');
    return this.#checked(request, reply);
  }

  /** A request of type "<plugin>/<step>" on `order`, linking its current head, stamped no earlier than the head. */
  async #nextStep(plugin: string, step: string, order: string, content: unknown, options?: CallOptions) {
    const view = await this.api.order(order, options);
    const previous = replyCid(view.order.head, 'order.head');
    // Never before the step it follows, even from a clock behind the node's (docs/protocol.md#clocks).
    const created = Math.max(this.#now(), view.history.find((h) => h.cid === view.order.head)?.created ?? 0);
    return this.request({ type: `${plugin}/${step}`, content, order, previous, created });
  }

  /**
   * Posts a step envelope; after a network failure or a 502/503/504, the same bytes again (up to `retries`
   * times). A 409 replay means the node committed this very envelope before (its reply was lost): the reply
   * is then read from the order's history, where it follows our request.
   */
  async #send(request: SentRequest, post: () => Promise<StepReply>, options?: CallOptions): Promise<StepReply> {
    for (let attempt = 0; ; attempt++) {
      try {
        if (!this.#registered) await this.register(options); // idempotent on the node: safe to retry too
        return await post();
      } catch (e) {
        if (e instanceof NodeApiError && e.code === 'replay') return this.#committedReply(request, e, options);
        if (!transient(e) || attempt >= this.retries || options?.signal?.aborted) throw e;
        await pause(this.retryDelayMs);
      }
    }
  }

  /** The reply the node committed to `request`, from GET /v1/orders/{order} after a 409 replay; else `e`. */
  async #committedReply(request: SentRequest, e: NodeApiError, options?: CallOptions): Promise<StepReply> {
    const { order, head } = e.details;
    if (order === undefined || head === undefined) throw e;
    const view = await this.api.order(order, options);
    const at = view.history.findIndex((h) => h.cid === head);
    if (at < 1 || view.history[at - 1]!.cid !== request.cid.toString()) throw e;
    const status = view.order.status === 'redeemed' || view.order.status === 'cancelled' ? view.order.status : 'open';
    const log = await this.#loggedStep([request.cid.toString(), head], options);
    return { order, status, cid: head, envelope: view.history[at]!.envelope, replayed: true, ...log };
  }

  /** A replayed step's log receipt, read back from the node's log; none from a node that keeps no log. */
  async #loggedStep(cids: readonly string[], options?: CallOptions): Promise<{ log?: LogReceipt }> {
    try {
      return { log: await this.api.logReceiptOf(cids, options) };
    } catch (e) {
      if (e instanceof NodeApiError && e.status === 404 && !logKeyOfIdentity(this.node)) return {};
      throw e;
    }
  }

  /** Verifies a reply envelope: by the node, linked to `request`, for the reply's order; opens it if sealed to us. */
  async #checked(request: SentRequest, reply: StepReply): Promise<StepResult> {
    const envelope = await this.verifyReply(reply, request.cid);
    // A reply is never an older envelope version than its request: version 1 has no key commitment.
    if (envelope.value.header.version < decodeEnvelope(request.bytes, request.cid).value.header.version) {
      throw new ReplyError('the reply is an older envelope version than our request (no key commitment)');
    }
    const checkpoint = await this.#checkLog(reply, [request.cid, envelope.cid]);
    return { request, reply, envelope, content: await this.openIfAddressed(envelope), ...checkpoint };
  }

  /**
   * The reply's log receipt checked against the node's log key: both envelopes of the step included in a
   * checkpoint signed by that key. A node whose identity binds a log must send one, except on a replayed step
   * (read back from the order's history); an older node's replies carry none.
   */
  async #checkLog(reply: StepReply, cids: readonly CID[]): Promise<{ checkpoint?: Checkpoint }> {
    if (!reply.log) {
      if (!reply.replayed && logKeyOfIdentity(this.node)) throw new ReplyError('the reply carries no log proof');
      return {};
    }
    return { checkpoint: await verifyLogReceipt(reply.log, await this.logKey(), cids) };
  }

  /** The node's log key: from its identity document, else from its signed dta/log-key statement (fetched once). */
  logKey(options?: CallOptions): Promise<LogKey> {
    const bound = logKeyOfIdentity(this.node);
    if (bound) return Promise.resolve(bound);
    this.#logKey ??= this.api.logKey(options).then((r) => {
      if (r.statement === undefined) throw new ReplyError('the node binds no log key to its identity');
      return logKeyOfStatement(this.#bls, this.node, replyBytes(r.statement, 'log key statement'));
    });
    this.#logKey.catch(() => {
      this.#logKey = undefined; // asked again next time
    });
    return this.#logKey;
  }

  /** The node's reply envelope, verified: CID, schema, signature by the node, order id (and link to `request`). */
  async verifyReply(reply: StepReply, request?: CID): Promise<VerifiedEnvelope> {
    const cid = replyCid(reply.cid, 'reply.cid');
    const decoded = decodeEnvelope(replyBytes(reply.envelope, 'reply.envelope'), cid);
    const env = await verifyEnvelope(this.#bls, decoded, this.node);
    if (env.value.header.order !== reply.order) throw new ReplyError('the reply envelope names another order');
    if (request && !env.value.header.previous?.equals(request)) {
      throw new ReplyError('the reply does not answer our request');
    }
    return env;
  }

  /** A reply's content, verified (see verifyReply); NotRecipientError when it is sealed to others only. */
  async openReply(reply: StepReply, request?: CID): Promise<unknown> {
    return this.me.openEnvelope(await this.verifyReply(reply, request));
  }

  /** Plain content as is; sealed content opened when we are a recipient; undefined otherwise. */
  async openIfAddressed(envelope: VerifiedEnvelope): Promise<unknown> {
    const mine = this.me.identity.cid;
    const { header } = envelope.value;
    if (header.recipients.length > 0 && !header.recipients.some((r) => r.equals(mine))) return undefined;
    return this.me.openEnvelope(envelope);
  }

  /**
   * An identity document the node knows, by CID, verified against that CID; fetched and verified once per session
   * (a GET and two pairing checks each time otherwise, on every order with an intent), again after a failure.
   */
  identity(cid: CID | string, options?: CallOptions): Promise<Verified<IdentityDocument>> {
    const key = cid.toString();
    const known = this.#identities.get(key);
    if (known) return known;
    if (this.#identities.size >= MAX_CACHED_IDENTITIES) this.#identities.delete(this.#identities.keys().next().value!);
    const read = fetchIdentity(this.api, this.#bls, cid, options);
    this.#identities.set(key, read);
    read.catch(() => this.#identities.delete(key));
    return read;
  }
}
