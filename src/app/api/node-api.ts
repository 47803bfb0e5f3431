/**
 * The node API as the app opens it, on the shared client (src/core/api):
 * node URLs in the one form the app stores, and, when a node cannot be
 * reached, the hint that only the page knows (the node is this page's own
 * loopback server under another name, so the browser applies CORS to it).
 * @module
 */

import type { Fetch } from '../../core/api/http.ts';
import { NodeApi } from '../../core/api/node-api.ts';
import { InputError } from './errors.ts';

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
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError('url', 'a node URL starts with http:// or https://');
  }
  if (url.username || url.password) throw new InputError('url', 'a node URL must not carry a user name or password');
  if (url.search || url.hash) throw new InputError('url', 'a node URL has no query (?) or fragment (#)');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
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
    const alias =
      a.origin !== b.origin &&
      a.protocol === b.protocol &&
      a.port === b.port &&
      LOOPBACK_NAMES.has(a.hostname) &&
      LOOPBACK_NAMES.has(b.hostname);
    return alias ? b.origin : undefined;
  } catch {
    return undefined;
  }
}

function aliasHint(url: string): string | undefined {
  const alias = sameServerOrigin(url, typeof location === 'undefined' ? undefined : location.origin);
  if (!alias) return undefined;
  return `this page comes from ${alias}, the same server under another name: add the node as ${alias}`;
}

/** The API of the node at `input` (normalised; InputError when it is not a node URL), through `fetchFn`. */
export function nodeApiAt(input: string, fetchFn?: Fetch): NodeApi {
  return new NodeApi(normalizeNodeUrl(input), { ...(fetchFn ? { fetch: fetchFn } : {}), unreachableHint: aliasHint });
}
