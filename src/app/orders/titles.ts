/** How orders and their states are named on screen. @module */
import { orderKind } from './kinds.ts';
import type { OrderRecord, OrderState } from './model.ts';

export const STATE_TITLES: Readonly<Record<OrderState, string>> = Object.freeze({
  sending: 'Waiting for the node', open: 'Open', redeeming: 'Being retrieved', redeemed: 'Retrieved', failed: 'Failed',
});

/** A one-line title for an order in lists: its kind's title with the label, or what its summary says. */
export function orderTitle(o: Pick<OrderRecord, 'plugin' | 'label' | 'summary'>): string {
  const kind = orderKind(o.plugin);
  const base = kind?.title ?? o.plugin;
  if (o.label) return `${base}: ${o.label}`;
  return (o.summary && kind?.describe?.(o.summary)) || base;
}
