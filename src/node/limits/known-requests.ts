/**
 * Whether the node accepted a request's very bytes before (by CID): the lookup RequestAuth makes before it
 * refuses a request as stale or of an old version, so that a retry, however late, still reaches its route
 * and finds its reply (409 replay with the committed step), and so that a retry's signature, verified when
 * it first came, costs no pairing again. Each lookup is read only.
 * @module
 */
import type { StoredOrder } from '../storage/orders.ts';

/** One place a request may have been recorded: by its CID and the order its header names ('' for a new one). */
export type RequestLookup = (cid: string, order: string) => Promise<boolean> | boolean;

/** A step committed in the order store: the order's first request (its id) or any later one it replied to. */
export function committedIn(orders: { get(id: string): Promise<StoredOrder | undefined> }): RequestLookup {
  return async (cid, order) => (await orders.get(order === '' ? cid : order))?.replies[cid] !== undefined;
}

/** True when any lookup knows the request (the pending steps of storage/pending.ts belong here too). */
export function knownRequests(lookups: readonly RequestLookup[]): (cid: string, order: string) => Promise<boolean> {
  return async (cid, order) => {
    for (const known of lookups) if (await known(cid, order)) return true;
    return false;
  };
}
