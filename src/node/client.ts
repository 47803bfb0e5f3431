/**
 * A small client of the node API for scripts, the CLI, tests and the
 * benchmark: it builds signed (and sealed) request envelopes with the
 * caller's identity, posts them, and verifies and opens the node's reply
 * envelopes (signature by the node identity, link to the request, order id).
 *
 * Lost replies: when the node dies after committing a step but before its
 * reply arrives, the client sends the same envelope again (`retries`); the
 * node refuses it as 409 replay naming the order and its reply step, and the
 * client reads that step from GET /v1/orders/{id} and carries on as if the
 * reply had arrived (`replayed: true`). Sending the same envelope, never a
 * new one, is what makes a retry safe: it cannot create a second order.
 * @module
 */
import { CID } from 'multiformats/cid';
import type { Core } from '../core/types.ts';
import { createEnvelope, decodeEnvelope, openEnvelope, readIdentity, recipientOf, verifyEnvelope } from '../core/protocol/index.ts';
import type { IdentityDocument, IdentitySecrets, Verified } from '../core/protocol/types.ts';

export interface ClientIdentity {
  readonly identity: Verified<IdentityDocument>;
  readonly secrets: IdentitySecrets;
}

/** An API error reply, with its code. */
export class ClientError extends Error {
  override name = 'ClientError';
  readonly status: number;
  readonly code: string;
  /** The error's other fields (e.g. `order` and `head` of a 409 replay). */
  readonly details: Readonly<Record<string, unknown>>;
  constructor(status: number, code: string, message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(`${status} ${code}: ${message}`);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export interface StepReply {
  readonly order: string;
  readonly status: 'open' | 'redeemed';
  readonly cid: string;
  readonly envelope: string;
  /** True when the node had already committed this request and the reply was read back from the order's history. */
  readonly replayed: boolean;
}

export interface ClientOptions {
  /** How many times to send an order step's envelope again after a network failure or a 502/503/504 (default 0). */
  readonly retries?: number;
  /** Wait between those attempts (default 1000 ms). */
  readonly retryDelayMs?: number;
}

export interface OrderView {
  order: { id: string; head: string; status: string; beneficiary: string; principal: string; plugin: string; created: number };
  history: { cid: string; type: string; sender: string; recipients: string[]; created: number; envelope: string }[];
}

function isCid(s: string): boolean {
  try {
    return CID.parse(s).toString() === s;
  } catch {
    return false;
  }
}

/** Worth sending the same envelope again: the node may not have seen it, or may be restarting. */
function retryable(err: unknown): boolean {
  if (err instanceof ClientError) return err.status === 502 || err.status === 503 || err.status === 504;
  const name = (err as Error)?.name;
  return name === 'TypeError' || name === 'TimeoutError' || name === 'AbortError'; // fetch: connection refused, reset, timed out
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

export class DtaClient {
  readonly url: string;
  readonly #core: Core;
  readonly #me: ClientIdentity | undefined;
  readonly #retries: number;
  readonly #retryDelayMs: number;
  #node: Verified<IdentityDocument> | undefined;

  constructor(url: string, core: Core, me?: ClientIdentity, options: ClientOptions = {}) {
    this.url = url.replace(/\/+$/, '');
    this.#core = core;
    this.#me = me;
    this.#retries = Math.max(0, Math.floor(options.retries ?? 0));
    this.#retryDelayMs = Math.max(0, options.retryDelayMs ?? 1000);
  }

  async #call<T>(method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<T> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      signal: AbortSignal.timeout(timeoutMs),
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ClientError(res.status, 'bad_reply', `not JSON: ${text.slice(0, 80)}`);
    }
    if (!res.ok) {
      const { code, message, ...details } = (parsed as { error?: { code?: string; message?: string } }).error ?? {};
      throw new ClientError(res.status, code ?? 'unknown', message ?? '', details);
    }
    return parsed as T;
  }

  status(): Promise<Record<string, unknown>> {
    return this.#call('GET', '/v1/status');
  }

  /** The node's identity, from its discovery document, verified (and cached). */
  async node(): Promise<Verified<IdentityDocument>> {
    if (this.#node) return this.#node;
    const d = await this.#call<{ identity: string; identityDocument: string }>('GET', '/.well-known/dta');
    this.#node = await readIdentity(this.#core.bls, unb64(d.identityDocument), CID.parse(d.identity));
    return this.#node;
  }

  async register(identity: Verified<IdentityDocument>): Promise<{ cid: string }> {
    return this.#call('POST', '/v1/identities', { identity: b64(identity.bytes) });
  }

  /** An identity document by CID from the node, verified against its CID. */
  async identity(cid: CID | string): Promise<Verified<IdentityDocument>> {
    const c = typeof cid === 'string' ? CID.parse(cid) : cid;
    const r = await this.#call<{ identity: string }>('GET', `/v1/identities/${c.toString()}`);
    return readIdentity(this.#core.bls, unb64(r.identity), c);
  }

  #identity(): ClientIdentity {
    if (!this.#me) throw new Error('client: no identity to sign with');
    return this.#me;
  }

  /** A signed envelope from this client to the node, sealed to it by default. */
  async envelope(init: { type: string; content: unknown; previous?: CID | null; order?: string; sealed?: boolean; created?: number }) {
    const me = this.#identity();
    const node = await this.node();
    return createEnvelope(this.#core.bls, me.secrets.bls, {
      type: init.type,
      sender: me.identity.cid,
      recipients: [recipientOf(node)],
      previous: init.previous ?? null,
      order: init.order ?? '',
      content: init.content,
      sealed: init.sealed ?? true,
      ...(init.created !== undefined ? { created: init.created } : {}),
    });
  }

  /** POSTs an order envelope; a lost reply is recovered (see the module comment). */
  postOrder(envelope: Uint8Array): Promise<StepReply> {
    return this.#postStep('/v1/orders', envelope);
  }

  /** POSTs a redeem envelope for `order`; a lost reply is recovered (see the module comment). */
  postRedeem(order: string, envelope: Uint8Array): Promise<StepReply> {
    return this.#postStep(`/v1/orders/${order}/redeem`, envelope);
  }

  /** Sends one step envelope, again (the same bytes) after a failure if allowed, until a reply or a 409 replay. */
  async #postStep(path: string, envelope: Uint8Array): Promise<StepReply> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#call<StepReply>('POST', path, { envelope: b64(envelope) });
      } catch (err) {
        if (err instanceof ClientError && err.code === 'replay') return this.#committedStep(err, envelope);
        if (attempt >= this.#retries || !retryable(err)) throw err;
        await new Promise((r) => setTimeout(r, this.#retryDelayMs));
      }
    }
  }

  /**
   * The reply the node committed to `envelope`, read from its order's
   * history after a 409 replay: the step named by the error's `head`, right
   * after the request itself. Anything else is the original error.
   */
  async #committedStep(err: ClientError, envelope: Uint8Array): Promise<StepReply> {
    const { order, head } = err.details;
    if (typeof order !== 'string' || typeof head !== 'string' || !isCid(order)) throw err;
    const request = decodeEnvelope(envelope).cid.toString();
    const view = await this.getOrder(order);
    const at = view.history.findIndex((step) => step.cid === head);
    if (at < 1 || view.history[at - 1]!.cid !== request) throw err;
    return { order, status: view.order.status as StepReply['status'], cid: head, envelope: view.history[at]!.envelope, replayed: true };
  }

  /** Creates an order with `plugin` and returns the node's reply and its opened content. */
  async order(plugin: string, content: unknown): Promise<{ reply: StepReply; content: unknown }> {
    const env = await this.envelope({ type: `${plugin}/order`, content });
    const reply = await this.postOrder(env.bytes);
    return { reply, content: await this.openReply(reply, env.cid) };
  }

  /** Redeems order `id` (as its beneficiary), linking its current head. */
  async redeem(plugin: string, id: string, content: unknown = {}): Promise<{ reply: StepReply; content: unknown }> {
    const order = await this.getOrder(id);
    const env = await this.envelope({ type: `${plugin}/redeem`, content, order: id, previous: CID.parse(order.order.head) });
    const reply = await this.postRedeem(id, env.bytes);
    return { reply, content: await this.openReply(reply, env.cid) };
  }

  getOrder(id: string): Promise<OrderView> {
    return this.#call('GET', `/v1/orders/${id}`);
  }

  /** Checks a reply envelope (node signature, link to `request`, order id) and opens it if it is sealed to this client. */
  async openReply(reply: StepReply, request?: CID): Promise<unknown> {
    const node = await this.node();
    const env = await verifyEnvelope(this.#core.bls, decodeEnvelope(unb64(reply.envelope), CID.parse(reply.cid)), node);
    const { header } = env.value;
    if (header.order !== reply.order) throw new Error('client: the reply names another order');
    if (request && !header.previous?.equals(request)) throw new Error('client: the reply does not answer this request');
    if (!header.recipients.length) return (env.value.body as { plain: unknown }).plain;
    const me = this.#identity();
    return openEnvelope(env, { cid: me.identity.cid, xwing: me.secrets.xwing });
  }
}
