/**
 * The node's HTTP API: one object per node base URL, one method per route,
 * every reply parsed strictly (replies.ts). It moves JSON and bytes only;
 * building, signing, verifying and opening envelopes is session.ts's job.
 * @module
 */
import { toBase64 } from '../bytes.ts';
import { type DkgStepReply, parseDkgStepReply } from './dkg-reply.ts';
import { ReplyError } from './errors.ts';
import { type Fetch, globalFetch, type RequestOptions, request } from './http.ts';
import type { LogReceipt } from './log-proof.ts';
import {
  type AnchorsReply,
  checkpointSize,
  type Discovery,
  type LogEntryReply,
  type LogKeyReply,
  type NodeStatus,
  type OrderView,
  parseAnchors,
  parseDiscovery,
  parseLogEntry,
  parseLogKey,
  parseLogProof,
  parseOrderView,
  parseRegistered,
  parseStatus,
  parseStepReply,
  type StepReply,
} from './replies.ts';

/** Per-call options: a time limit and a cancel signal. */
export type CallOptions = Pick<RequestOptions, 'timeoutMs' | 'signal'>;

export interface NodeApiOptions {
  /** The fetch requests go through (default: the platform's). */
  readonly fetch?: Fetch;
  /** More to say when the node cannot be reached (see RequestOptions). */
  readonly unreachableHint?: (url: string) => string | undefined;
}

const segment = (text: string): string => encodeURIComponent(text);

export class NodeApi {
  /** The base URL, without a trailing slash. */
  readonly url: string;
  readonly #fetch: Fetch;
  readonly #hint: NodeApiOptions['unreachableHint'];

  constructor(url: string, options: NodeApiOptions = {}) {
    this.url = url.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? globalFetch;
    this.#hint = options.unreachableHint;
  }

  #call(path: string, options: RequestOptions = {}): Promise<unknown> {
    return request(this.#fetch, this.url + path, { ...options, unreachableHint: this.#hint });
  }

  async discovery(options?: CallOptions): Promise<Discovery> {
    return parseDiscovery(await this.#call('/.well-known/dta', options));
  }

  async status(options?: CallOptions): Promise<NodeStatus> {
    return parseStatus(await this.#call('/v1/status', options));
  }

  /** Makes a signed identity document known to the node (201 new, 200 known: both fine); its CID. */
  async registerIdentity(document: Uint8Array, options?: CallOptions): Promise<{ readonly cid: string }> {
    const body = { identity: toBase64(document) };
    return parseRegistered(await this.#call('/v1/identities', { ...options, method: 'POST', body }));
  }

  /** The raw bytes of an identity document, unverified (the caller checks them against the CID). */
  async identityBytes(cid: string, options?: CallOptions): Promise<Uint8Array> {
    return (await this.#call(`/v1/identities/${segment(cid)}`, { ...options, binary: true })) as Uint8Array;
  }

  /** POST /v1/orders: the first envelope of an order; the node's reply, unverified (see NodeSession). */
  async postOrder(envelope: Uint8Array, options?: CallOptions): Promise<StepReply> {
    const body = { envelope: toBase64(envelope) };
    return parseStepReply(await this.#call('/v1/orders', { ...options, method: 'POST', body }));
  }

  /** POST /v1/orders/{order}/redeem: a redemption envelope; the node's reply, unverified. */
  async postRedeem(order: string, envelope: Uint8Array, options?: CallOptions): Promise<StepReply> {
    const body = { envelope: toBase64(envelope) };
    const path = `/v1/orders/${segment(order)}/redeem`;
    return parseStepReply(await this.#call(path, { ...options, method: 'POST', body }));
  }

  /** POST /v1/orders/{order}/check-in or /cancel: the principal's step envelope; the node's reply, unverified. */
  async postPrincipalStep(
    step: 'check-in' | 'cancel',
    order: string,
    envelope: Uint8Array,
    options?: CallOptions,
  ): Promise<StepReply> {
    const body = { envelope: toBase64(envelope) };
    const path = `/v1/orders/${segment(order)}/${step}`;
    return parseStepReply(await this.#call(path, { ...options, method: 'POST', body }));
  }

  /** GET /v1/orders/{id}: the order record and its history of envelopes. */
  async order(id: string, options?: CallOptions): Promise<OrderView> {
    return parseOrderView(await this.#call(`/v1/orders/${segment(id)}`, options));
  }

  /**
   * The log receipt of envelopes the node logged (a step read back after a lost reply): its latest checkpoint note
   * and each envelope's inclusion proof against that checkpoint (GET /v1/log/entries/{cid}?size=), unverified.
   */
  async logReceiptOf(cids: readonly string[], options?: CallOptions): Promise<LogReceipt> {
    const note = (await this.#call('/v1/log/checkpoint', { ...options, binary: true })) as Uint8Array;
    const checkpoint = new TextDecoder().decode(note);
    const size = checkpointSize(checkpoint);
    const entries = [];
    for (const cid of cids) {
      const path = `/v1/log/entries/${segment(cid)}?size=${size}`;
      entries.push({ cid, ...parseLogProof(await this.#call(path, options)) });
    }
    return { checkpoint, entries };
  }

  /** GET /v1/log/key: the node's log origin and key, with the statement binding them when its identity does not. */
  async logKey(options?: CallOptions): Promise<LogKeyReply> {
    return parseLogKey(await this.#call('/v1/log/key', options));
  }

  /** GET /v1/log/checkpoint: the latest signed checkpoint note (text), unverified (src/app/audit/ checks it). */
  logCheckpoint(options?: CallOptions): Promise<string> {
    return this.#note('/v1/log/checkpoint', options);
  }

  /**
   * GET /v1/log/checkpoint/cosigned: the newest checkpoint note witnesses cosigned, unverified (NodeApiError 404
   * `not_cosigned` when none yet); it may be older than the latest, which must then extend it.
   */
  logCosignedCheckpoint(options?: CallOptions): Promise<string> {
    return this.#note('/v1/log/checkpoint/cosigned', options);
  }

  async #note(path: string, options?: CallOptions): Promise<string> {
    const bytes = (await this.#call(path, { ...options, binary: true })) as Uint8Array;
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new ReplyError('log checkpoint: not UTF-8 text');
    }
  }

  /** GET /v1/log/<path>: a C2SP tile or entry bundle by its path (`tile/0/x001/234.p/5`), unverified. */
  async logTile(path: string, options?: CallOptions): Promise<Uint8Array> {
    const safe = path.split('/').map(segment).join('/');
    return (await this.#call(`/v1/log/${safe}`, { ...options, binary: true })) as Uint8Array;
  }

  /** GET /v1/log/entries/{cid}: where the node says the entry naming `cid` is (NodeApiError 404 when nowhere). */
  async logEntry(cid: string, options?: CallOptions): Promise<LogEntryReply> {
    return parseLogEntry(await this.#call(`/v1/log/entries/${segment(cid)}`, options));
  }

  /** GET /v1/anchors: the node's Bitcoin anchors as served (shape only; src/core/anchor verifies the proofs). */
  async anchors(options?: CallOptions): Promise<AnchorsReply> {
    return parseAnchors(await this.#call('/v1/anchors', options));
  }

  /** GET /v1/witness/evidence: the records this node keeps as a witness of other logs, unverified. */
  async witnessEvidence(options?: CallOptions): Promise<readonly unknown[]> {
    const reply = (await this.#call('/v1/witness/evidence', options)) as { evidence?: unknown } | null;
    if (!Array.isArray(reply?.evidence)) throw new ReplyError('witness evidence: expected {evidence: [...]}');
    return reply.evidence;
  }

  /** POST /v1/dkg/sessions: a `dkg/start` request envelope; the node's step reply. */
  async dkgStart(envelope: Uint8Array, options?: CallOptions): Promise<DkgStepReply> {
    const body = { envelope: toBase64(envelope) };
    return parseDkgStepReply(await this.#call('/v1/dkg/sessions', { ...options, method: 'POST', body }));
  }

  /** POST /v1/dkg/sessions/{session}/round1|round2: a round's envelopes, one per node in node order. */
  async dkgRound(
    session: string,
    round: 'round1' | 'round2',
    envelopes: readonly Uint8Array[],
    options?: CallOptions,
  ): Promise<DkgStepReply> {
    const body = { envelopes: envelopes.map(toBase64) };
    const path = `/v1/dkg/sessions/${segment(session)}/${round}`;
    return parseDkgStepReply(await this.#call(path, { ...options, method: 'POST', body }));
  }

  /** POST /v1/dkg/sessions/{session}/abort: another node's abort notice. */
  async dkgAbort(session: string, envelope: Uint8Array, options?: CallOptions): Promise<DkgStepReply> {
    const body = { envelope: toBase64(envelope) };
    const path = `/v1/dkg/sessions/${segment(session)}/abort`;
    return parseDkgStepReply(await this.#call(path, { ...options, method: 'POST', body }));
  }

  /** GET /v1/dkg/sessions/{session}: where the node is in a DKG session. */
  async dkgStatus(session: string, options?: CallOptions): Promise<DkgStepReply> {
    return parseDkgStepReply(await this.#call(`/v1/dkg/sessions/${segment(session)}`, options));
  }

  /** GET /v1/plugins/<plugin>/<path>: a plugin's own JSON route. */
  pluginGet(plugin: string, path = '', options?: CallOptions): Promise<unknown> {
    return this.#call(`/v1/plugins/${segment(plugin)}/${path}`, options);
  }

  /** POST /v1/plugins/<plugin>/<path> with a JSON body (or CBOR bytes). */
  /** POST /v1/beneficiaries/{identity}/orders: a signed `orders/list` request (beneficiary-orders.ts parses). */
  beneficiaryOrders(identity: string, envelope: Uint8Array, options?: CallOptions): Promise<unknown> {
    const body = { envelope: toBase64(envelope) };
    return this.#call(`/v1/beneficiaries/${segment(identity)}/orders`, { ...options, method: 'POST', body });
  }

  pluginPost(plugin: string, path: string, body: unknown, options?: CallOptions): Promise<unknown> {
    return this.#call(`/v1/plugins/${segment(plugin)}/${path}`, { ...options, method: 'POST', body });
  }
}
