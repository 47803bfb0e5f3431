/**
 * The flows' components in the running app: the "dta-flows" database, the
 * worker's crypto, the browser's fetch, and the browser's Helia, started on
 * first use and allowed to dial only the libp2p addresses of the nodes the
 * person added (kept here, updated by the nodes store). One instance per
 * worker API (a page has one).
 * @module
 */
import type { RemoteAppApi } from '../../worker/app-worker-client.ts';
import type { BrowserIpfs } from '../ipfs/helia.ts';
import { listNodes } from '../nodes/registry.ts';
import { flowsDb } from './db.ts';
import type { FlowsDeps } from './deps.ts';
import { flowsCryptoOf } from './worker-adapter.ts';

let allowed: readonly string[] = [];

/** The libp2p addresses the browser's Helia may dial (the added nodes'); set by the nodes store. */
export function setAllowedAddresses(addresses: readonly string[]): void {
  allowed = [...addresses];
}

/** The browser's Helia: undefined when it cannot start here (reported once in the console). */
let ipfs: Promise<BrowserIpfs | undefined> | undefined;
function browserIpfs(): Promise<BrowserIpfs | undefined> {
  ipfs ??= import('../ipfs/helia.ts')
    .then((m) => m.startBrowserIpfs(() => allowed))
    .catch((e) => {
      console.warn('in-browser IPFS unavailable:', e);
      return undefined;
    });
  return ipfs;
}

const cache = new WeakMap<object, FlowsDeps>();

export function flowsDepsOf(api: RemoteAppApi): FlowsDeps {
  let deps = cache.get(api);
  if (!deps) {
    const crypto = flowsCryptoOf(api);
    const base: FlowsDeps = { db: () => flowsDb(), crypto: async () => crypto };
    deps = {
      ...base,
      // The allow list from the stored nodes first: a screen opened directly (an order's page after a reload)
      // may come before any screen that lists the nodes.
      ipfs: async () => {
        setAllowedAddresses((await listNodes(base)).flatMap((n) => n.libp2p));
        return browserIpfs();
      },
    };
    cache.set(api, deps);
  }
  return deps;
}
