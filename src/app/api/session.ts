/**
 * The request model of the node, from the browser: every state change is
 * one envelope signed by this device's identity and sealed to the node;
 * every reply is the node's envelope, checked here before anything is
 * believed: signed by the node's verified identity, answering exactly our
 * request (its `previous`), naming the right order; then opened in the
 * worker when it is sealed to us.
 * @module
 */
import { CID } from 'multiformats/cid';
import { decodeEnvelope, readIdentity, verifyEnvelope } from '../../core/protocol/index.ts';
import type { BlsSigner, IdentityDocument, Verified } from '../../core/protocol/types.ts';
import type { VerifiedEnvelope } from '../../core/protocol/envelope.ts';
import type { Signer } from './context.ts';
import { ApiError, IdentityChangedError, NetworkError, ReplyError } from './errors.ts';
import { replyBytes, type CallOptions, type NodeApi } from './node-api.ts';
import type { Discovery, StepReply } from './types.ts';

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
  readonly content: unknown;
}

/** The node's identity from its discovery document, verified (schema, proof of possession, signature, CID). */
export async function nodeIdentity(api: NodeApi, bls: BlsSigner, expected?: string, options?: CallOptions):
  Promise<Verified<IdentityDocument>> {
  return identityOf(await api.discovery(options), bls, expected);
}

/** The identity a discovery document carries, verified; IdentityChangedError when it is not `expected`. */
export async function identityOf(d: Discovery, bls: BlsSigner, expected?: string): Promise<Verified<IdentityDocument>> {
  if (expected !== undefined && d.identity !== expected) throw new IdentityChangedError(expected, d.identity);
  let cid: CID;
  try {
    cid = CID.parse(d.identity);
  } catch {
    throw new ReplyError('discovery.identity: not a CID');
  }
  return readIdentity(bls, replyBytes(d.identityDocument, 'discovery.identityDocument'), cid);
}

export class NodeSession {
  readonly api: NodeApi;
  readonly node: Verified<IdentityDocument>;
  readonly #bls: BlsSigner;
  readonly #me: Signer;
  /** How many times a step is sent again after a network failure or a 502/503/504 (the same bytes). */
  readonly retries: number;
  readonly retryDelayMs: number;
  #registered = false;

  constructor(api: NodeApi, node: Verified<IdentityDocument>, bls: BlsSigner, me: Signer,
    options: { retries?: number; retryDelayMs?: number } = {}) {
    this.api = api;
    this.node = node;
    this.#bls = bls;
    this.#me = me;
    this.retries = options.retries ?? 2;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  get me(): Signer {
    return this.#me;
  }

  /** Makes our identity known to the node (idempotent; once per session). */
  async register(options?: CallOptions): Promise<void> {
    if (this.#registered) return;
    await this.api.registerIdentity(this.#me.identity.bytes, options);
    this.#registered = true;
  }

  /** A request envelope for this node: signed by us, sealed to the node unless `sealed: false`. */
  request(init: { type: string; content: unknown; order?: string; previous?: CID | null; sealed?: boolean }): Promise<SentRequest> {
    return this.#me.createEnvelope({
      type: init.type,
      recipients: [this.node],
      previous: init.previous ?? null,
      order: init.order ?? '',
      content: init.content,
      sealed: init.sealed ?? true,
    });
  }

  /** Posts a new order's request (or the same one again) and checks the reply. */
  async postOrder(request: SentRequest, options?: CallOptions): Promise<StepResult> {
    await this.register(options);
    const reply = await this.#send(request, () => this.api.postOrder(request.bytes, options), options);
    if (reply.order !== request.cid.toString()) throw new ReplyError('the reply names another order than our request');
    return this.#checked(request, reply);
  }

  /** Posts a redemption of `order` (or the same one again) and checks the reply. */
  async postRedeem(order: string, request: SentRequest, options?: CallOptions): Promise<StepResult> {
    await this.register(options);
    const reply = await this.#send(request, () => this.api.postRedeem(order, request.bytes, options), options);
    if (reply.order !== order) throw new ReplyError('the reply names another order');
    return this.#checked(request, reply);
  }

  /**
   * Posts a step envelope; after a network failure or a 502/503/504, the same bytes again (up to `retries`
   * times, a second apart). A 409 replay means the node committed this very envelope before (its reply was
   * lost): the reply is then read from the order's history, where it follows our request.
   */
  async #send(request: SentRequest, post: () => Promise<StepReply>, options?: CallOptions): Promise<StepReply> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await post();
      } catch (e) {
        if (e instanceof ApiError && e.code === 'replay') return this.#committedReply(request, e, options);
        const transient = e instanceof NetworkError || (e instanceof ApiError && [502, 503, 504].includes(e.status));
        if (!transient || attempt >= this.retries || options?.signal?.aborted) throw e;
        await new Promise((r) => setTimeout(r, this.retryDelayMs));
      }
    }
  }

  /** The reply the node committed to `request`, from GET /v1/orders/{order} after a 409 replay. */
  async #committedReply(request: SentRequest, e: ApiError, options?: CallOptions): Promise<StepReply> {
    const { order, head } = e.details;
    if (order === undefined || head === undefined) throw e;
    const view = await this.api.order(order, options);
    const at = view.history.findIndex((h) => h.cid === head);
    if (at < 1 || view.history[at - 1]!.cid !== request.cid.toString()) throw e;
    const status = view.order.status === 'redeemed' ? 'redeemed' : 'open';
    return { order, status, cid: head, envelope: view.history[at]!.envelope, replayed: true };
  }

  /** Creates an order with `plugin`: builds the request, posts it, checks and opens the reply. */
  async order(plugin: string, content: unknown, options?: CallOptions): Promise<StepResult> {
    return this.postOrder(await this.request({ type: `${plugin}/order`, content }), options);
  }

  /** Redeems `order` (as its beneficiary), linking the order's current head. */
  async redeem(plugin: string, order: string, content: unknown = {}, options?: CallOptions): Promise<StepResult> {
    const view = await this.api.order(order, options);
    const previous = CID.parse(view.order.head);
    return this.postRedeem(order, await this.request({ type: `${plugin}/redeem`, content, order, previous }), options);
  }

  /** Verifies a reply envelope: by the node, linked to `request`, for the reply's order; opens it if sealed to us. */
  async #checked(request: SentRequest, reply: StepReply): Promise<StepResult> {
    const envelope = await this.verifyReply(reply);
    if (!envelope.value.header.previous?.equals(request.cid)) throw new ReplyError('the reply does not answer our request');
    const content = await this.openIfAddressed(envelope);
    return { request, reply, envelope, content };
  }

  /** The node's reply envelope, verified: CID, schema, signature by the node, order id. */
  async verifyReply(reply: StepReply): Promise<VerifiedEnvelope> {
    let cid: CID;
    try {
      cid = CID.parse(reply.cid);
    } catch {
      throw new ReplyError('reply.cid: not a CID');
    }
    const decoded = decodeEnvelope(replyBytes(reply.envelope, 'reply.envelope'), cid);
    const env = await verifyEnvelope(this.#bls, decoded, this.node);
    if (env.value.header.order !== reply.order) throw new ReplyError('the reply envelope names another order');
    return env;
  }

  /** Plain content as is; sealed content opened when we are a recipient; undefined otherwise. */
  async openIfAddressed(envelope: VerifiedEnvelope): Promise<unknown> {
    const mine = this.#me.identity.cid;
    const { header } = envelope.value;
    if (header.recipients.length > 0 && !header.recipients.some((r) => r.equals(mine))) return undefined;
    return this.#me.openEnvelope(envelope);
  }
}
