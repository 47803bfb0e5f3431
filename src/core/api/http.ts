/**
 * One HTTP exchange with a node, on `fetch` (browsers, the worker, Node):
 * a JSON or CBOR body out, JSON or raw bytes back, a time limit on every
 * request; the node's `{error: {code, message}}` turned into NodeApiError
 * and every transport failure into NodeUnreachableError. In a browser a
 * node that refuses the page's origin looks exactly like an unreachable
 * one, so that message names the node's `corsOrigins` setting too.
 * @module
 */
import type { UnmetCondition } from '../protocol/conditions.ts';
import { NodeApiError, NodeUnreachableError, ReplyError } from './errors.ts';

const DEFAULT_TIMEOUT_MS = 30_000;

export interface RequestOptions {
  readonly method?: 'GET' | 'POST';
  /** A JSON body, or raw bytes sent as `application/cbor`. */
  readonly body?: unknown;
  /** Ask for raw bytes (`Accept: application/cbor`) instead of JSON. */
  readonly binary?: boolean;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** More to say when the node cannot be reached (the app names a loopback alias of the page's origin). */
  readonly unreachableHint?: (url: string) => string | undefined;
}

/** The fetch function requests go through; tests and the app may pass their own. */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export const globalFetch: Fetch = (input, init) => fetch(input, init);

function pageOrigin(): string {
  return typeof location === 'undefined' ? 'this origin' : location.origin;
}

function unreachable(url: string, e: unknown, timedOut: boolean, options: RequestOptions): NodeUnreachableError {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const limit = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`;
  if (timedOut) return new NodeUnreachableError(url, `no answer from ${url} within ${limit}`, true);
  const why = e instanceof Error && e.name === 'AbortError' ? 'the request was cancelled' : 'the connection failed';
  const hint = options.unreachableHint?.(url);
  return new NodeUnreachableError(
    url,
    `${why}: ${url} is offline or unreachable, or the node does not allow ` +
      `requests from ${pageOrigin()} (add it to "corsOrigins" in the node's config.json)${hint ? `; ${hint}` : ''}`,
  );
}

/** The node's error reply as a NodeApiError; a reply not in that shape keeps its HTTP status as the code. */
async function errorOf(res: Response): Promise<NodeApiError> {
  let code = `http_${res.status}`;
  let message = res.statusText;
  const details: Record<string, string> = {};
  let unmet: UnmetCondition[] = [];
  try {
    const body = (await res.json()) as { error?: Record<string, unknown> };
    unmet = unmetOf(body.error?.unmet);
    for (const [k, v] of Object.entries(body.error ?? {})) {
      if (typeof v !== 'string') continue;
      if (k === 'code') code = v;
      else if (k === 'message') message = v;
      else details[k] = v;
    }
  } catch {
    // not the node's error shape: keep the HTTP status
  }
  return new NodeApiError(res.status, code, message, details, unmet);
}

/** The `unmet` list of a condition_not_met refusal: the well-formed entries (a newer node may say more). */
function unmetOf(v: unknown): UnmetCondition[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((u: { condition?: unknown; until?: unknown } | null) => {
    const ok = (u?.condition === 'notBefore' || u?.condition === 'checkIn') && Number.isSafeInteger(u.until);
    return ok ? [{ condition: u.condition as UnmetCondition['condition'], until: u.until as number }] : [];
  });
}

function bodyOf(body: unknown): { headers: Record<string, string>; body?: BodyInit } {
  if (body === undefined) return { headers: {} };
  if (body instanceof Uint8Array) {
    return { headers: { 'content-type': 'application/cbor' }, body: body as Uint8Array<ArrayBuffer> };
  }
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** Sends one request to `url`; resolves with the parsed JSON (or the raw bytes with `binary`). */
export async function request(fetchFn: Fetch, url: string, options: RequestOptions = {}): Promise<unknown> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const out = bodyOf(options.body);
  let res: Response;
  try {
    res = await fetchFn(url, {
      method: options.method ?? (options.body !== undefined ? 'POST' : 'GET'),
      headers: { accept: options.binary ? 'application/cbor' : 'application/json', ...out.headers },
      signal,
      credentials: 'omit',
      ...(out.body !== undefined ? { body: out.body } : {}),
    });
  } catch (e) {
    throw unreachable(url, e, timeout.aborted, options);
  }
  if (!res.ok) throw await errorOf(res);
  try {
    return options.binary ? new Uint8Array(await res.arrayBuffer()) : await res.json();
  } catch (e) {
    if (timeout.aborted) throw unreachable(url, e, true, options);
    throw new ReplyError(`${url}: the reply is not ${options.binary ? 'readable' : 'JSON'}`);
  }
}
