/**
 * The node that serves this app, if one does: the page's own origin answers /.well-known/dta with a discovery
 * document (dta serve with a built app). Its address is the example that works in the "Add a node" form — the
 * page's own name, so calls to it are same-origin and need no CORS.
 * @module
 */
import type { FlowsDeps } from '../api/deps.ts';
import { nodeApiAt } from '../api/node-api.ts';

// Short: it only picks an example address, and a page served by vite or a static server has no node behind it.
const PROBE_TIMEOUT_MS = 3000;

/** The page's origin when a node answers there with its discovery document; undefined otherwise. */
export async function servingNodeOrigin(deps: FlowsDeps): Promise<string | undefined> {
  if (typeof location === 'undefined' || !/^https?:$/.test(location.protocol)) return undefined;
  try {
    await nodeApiAt(location.origin, deps.fetch).discovery({ timeoutMs: PROBE_TIMEOUT_MS });
    return location.origin;
  } catch {
    return undefined;
  }
}
