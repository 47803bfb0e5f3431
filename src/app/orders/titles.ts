/** How orders and their states are named on screen. @module */
import { orderKind } from './kinds.ts';
import type { OrderRecord, OrderState } from './model.ts';

export const STATE_TITLES: Readonly<Record<OrderState, string>> = Object.freeze({
  sending: 'Waiting for the node',
  open: 'Open',
  redeeming: 'Being retrieved',
  redeemed: 'Retrieved',
  failed: 'Failed',
});

/** A one-line title for an order in lists: its kind's title with the label, or what its summary says. */
export function orderTitle(o: Pick<OrderRecord, 'plugin' | 'label' | 'summary'>): string {
  const kind = orderKind(o.plugin);
  const base = kind?.title ?? o.plugin;
  if (o.label) return `${base}: ${o.label}`;
  return (o.summary && kind?.describe?.(o.summary)) || base;
}

/** What the app could check of the principal's wishes (src/core/protocol/intent.ts), for the order's page. */
export function intentTitle(o: Pick<OrderRecord, 'intent' | 'role'>): string {
  if (o.intent?.kind === 'intent') {
    return o.role === 'beneficiary'
      ? 'Checked: signed by the principal and sealed to you, it names you'
      : 'Sealed to you';
  }
  return "Made before intents: the principal's wishes cannot be checked";
}
