/**
 * One HTTP exchange with a node: JSON in, JSON out, a time limit on every
 * request, the node's error shape turned into ApiError and every transport
 * failure into NetworkError (with the CORS hint, since the browser reports
 * a refused cross-origin reply exactly like an unreachable host).
 * @module
 */
import { ApiError, NetworkError, ReplyError } from './errors.ts';

export const DEFAULT_TIMEOUT_MS = 20_000;

export interface RequestOptions {
  readonly method?: 'GET' | 'POST';
  /** A JSON body (POST). */
  readonly body?: unknown;
  /** Ask for raw bytes (`Accept: application/cbor`) instead of JSON. */
  readonly binary?: boolean;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** The fetch function requests go through; tests and the app may pass their own. */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

function origin(): string {
  return typeof location === 'undefined' ? 'this origin' : location.origin;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The page's own origin when `url` names the same loopback server under another name (127.0.0.1 for
 * localhost): the same node, but another origin to the browser, so it needs CORS where the page's own name
 * does not.
 */
export function sameServerOrigin(url: string, pageOrigin: string | undefined): string | undefined {
  if (!pageOrigin) return undefined;
  try {
    const a = new URL(url);
    const b = new URL(pageOrigin);
    const alias = a.origin !== b.origin && a.protocol === b.protocol && a.port === b.port &&
      LOOPBACK_NAMES.has(a.hostname) && LOOPBACK_NAMES.has(b.hostname);
    return alias ? b.origin : undefined;
  } catch {
    return undefined;
  }
}

function transportError(url: string, e: unknown, timedOut: boolean, timeoutMs: number): NetworkError {
  if (timedOut) return new NetworkError(url, `no answer from ${url} within ${Math.round(timeoutMs / 1000)} s`, true);
  const why = e instanceof Error && e.name === 'AbortError' ? 'the request was cancelled' : 'the connection failed';
  const alias = sameServerOrigin(url, typeof location === 'undefined' ? undefined : location.origin);
  const hint = alias ? `; this page comes from ${alias}, the same server under another name: add the node as ${alias}` : '';
  return new NetworkError(url, `${why}: ${url} is offline or unreachable, or the node does not allow requests from ` +
    `${origin()} (add it to "corsOrigins" in the node's config.json)${hint}`);
}

async function errorOf(res: Response): Promise<ApiError> {
  let code = 'http_' + res.status;
  let message = res.statusText;
  const details: Record<string, string> = {};
  try {
    const body = (await res.json()) as { error?: Record<string, unknown> };
    for (const [k, v] of Object.entries(body.error ?? {})) {
      if (typeof v !== 'string') continue;
      if (k === 'code') code = v;
      else if (k === 'message') message = v;
      else details[k] = v;
    }
  } catch {
    // not the node's error shape: keep the HTTP status
  }
  return new ApiError(res.status, code, message, details);
}

/** Sends one request to `url`; resolves with the parsed JSON (or the raw bytes with `binary`). */
export async function request(fetchFn: Fetch, url: string, options: RequestOptions = {}): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const headers: Record<string, string> = { accept: options.binary ? 'application/cbor' : 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetchFn(url, {
      method: options.method ?? (options.body !== undefined ? 'POST' : 'GET'),
      headers,
      signal,
      credentials: 'omit',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch (e) {
    throw transportError(url, e, timeout.aborted, timeoutMs);
  }
  if (!res.ok) throw await errorOf(res);
  try {
    return options.binary ? new Uint8Array(await res.arrayBuffer()) : await res.json();
  } catch (e) {
    if (timeout.aborted) throw transportError(url, e, true, timeoutMs);
    throw new ReplyError(`${url}: the reply is not ${options.binary ? 'readable' : 'JSON'}`);
  }
}
