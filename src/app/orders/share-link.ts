/**
 * What a principal sends the beneficiary: the order's id and node, as a link that opens "Add an order" in the
 * app filled in (`#/orders/add?order=<id>&node=<url>&kind=<plugin>`), and the same link read back.
 * @module
 */

/** The query an "Add an order" link carries. */
export interface SharedOrder {
  readonly order: string;
  readonly node: string;
  readonly plugin?: string;
}

/** The app path of the "Add an order" screen for `o`. */
function sharePath(o: SharedOrder): string {
  const q = new URLSearchParams({ order: o.order, node: o.node, ...(o.plugin ? { kind: o.plugin } : {}) });
  return `/orders/add?${q.toString()}`;
}

/** The whole link, on this app's own address (the beneficiary opens the same app, served from anywhere). */
export function shareLink(o: SharedOrder, base: string = `${location.origin}${location.pathname}`): string {
  return `${base}#${sharePath(o)}`;
}

/** The order named by an "Add an order" link's query, or what of it is there. */
export function sharedOrderOf(query: URLSearchParams): Partial<SharedOrder> {
  const pick = (k: string) => query.get(k)?.trim() || undefined;
  const order = pick('order');
  const node = pick('node');
  const plugin = pick('kind');
  return { ...(order ? { order } : {}), ...(node ? { node } : {}), ...(plugin ? { plugin } : {}) };
}
