/**
 * The node's HTTP API as the browser sees it: one object per node base URL,
 * one method per route. It moves JSON and bytes only; building, signing,
 * verifying and opening envelopes is session.ts's job (through the worker).
 * @module
 */
import { fromBase64, toBase64 } from '../../core/bytes.ts';
import { InputError, ReplyError } from './errors.ts';
import { request, type Fetch, type RequestOptions } from './http.ts';
import {
  parseDiscovery, parseOrderView, parseStatus, parseStepReply, type Discovery, type NodeStatus, type OrderView, type StepReply,
} from './types.ts';

/** Per-call options: a time limit and a cancel signal. */
export type CallOptions = Pick<RequestOptions, 'timeoutMs' | 'signal'>;

/**
 * A node base URL in the form the app stores: http(s), no credentials, query or fragment, no trailing slash.
 * Throws InputError naming the problem.
 */
export function normalizeNodeUrl(input: string): string {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new InputError('url', 'not a URL: write it like http://127.0.0.1:5556');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError('url', 'a node URL starts with http:// or https://');
  if (url.username || url.password) throw new InputError('url', 'a node URL must not carry a user name or password');
  if (url.search || url.hash) throw new InputError('url', 'a node URL has no query (?) or fragment (#)');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

const cidSegment = (cid: string): string => encodeURIComponent(cid);

export class NodeApi {
  readonly url: string;
  readonly #fetch: Fetch;

  constructor(url: string, fetchFn: Fetch = (input, init) => fetch(input, init)) {
    this.url = normalizeNodeUrl(url);
    this.#fetch = fetchFn;
  }

  #get(path: string, options: CallOptions & { binary?: boolean } = {}): Promise<unknown> {
    return request(this.#fetch, this.url + path, options);
  }

  #post(path: string, body: unknown, options: CallOptions = {}): Promise<unknown> {
    return request(this.#fetch, this.url + path, { ...options, method: 'POST', body });
  }

  async discovery(options?: CallOptions): Promise<Discovery> {
    return parseDiscovery(await this.#get('/.well-known/dta', options));
  }

  async status(options?: CallOptions): Promise<NodeStatus> {
    return parseStatus(await this.#get('/v1/status', options));
  }

  /** Makes a signed identity document known to the node (201 new, 200 known: both fine). */
  async registerIdentity(document: Uint8Array, options?: CallOptions): Promise<void> {
    await this.#post('/v1/identities', { identity: toBase64(document) }, options);
  }

  /** The raw bytes of an identity document, unverified (the caller checks them against the CID). */
  async identityBytes(cid: string, options?: CallOptions): Promise<Uint8Array> {
    return (await this.#get(`/v1/identities/${cidSegment(cid)}`, { ...options, binary: true })) as Uint8Array;
  }

  async postOrder(envelope: Uint8Array, options?: CallOptions): Promise<StepReply> {
    return parseStepReply(await this.#post('/v1/orders', { envelope: toBase64(envelope) }, options));
  }

  async postRedeem(order: string, envelope: Uint8Array, options?: CallOptions): Promise<StepReply> {
    return parseStepReply(await this.#post(`/v1/orders/${cidSegment(order)}/redeem`, { envelope: toBase64(envelope) }, options));
  }

  async order(id: string, options?: CallOptions): Promise<OrderView> {
    return parseOrderView(await this.#get(`/v1/orders/${cidSegment(id)}`, options));
  }

  /** GET /v1/plugins/<plugin>/<path>: a plugin's own JSON route. */
  pluginGet(plugin: string, path = '', options?: CallOptions): Promise<unknown> {
    return this.#get(`/v1/plugins/${encodeURIComponent(plugin)}/${path}`, options);
  }

  /** POST /v1/plugins/<plugin>/<path> with a JSON body. */
  pluginPost(plugin: string, path: string, body: unknown, options?: CallOptions): Promise<unknown> {
    return this.#post(`/v1/plugins/${encodeURIComponent(plugin)}/${path}`, body, options);
  }
}

/** Bytes of a base64 field of a reply. */
export function replyBytes(b64: string, what: string): Uint8Array {
  try {
    return fromBase64(b64, what);
  } catch (e) {
    throw new ReplyError((e as Error).message);
  }
}
