/** How orders and their states are named on screen. @module */
import { orderKind } from './kinds.ts';
import type { OrderRecord, OrderState } from './model.ts';

const STATE_TITLES: Readonly<Record<OrderState, string>> = Object.freeze({
  sending: 'Waiting for the node',
  open: 'Open',
  redeeming: 'Being retrieved',
  redeemed: 'Retrieved',
  cancelled: 'Cancelled',
  failed: 'Failed',
});

/**
 * The order's label: the one this device stored when it placed the order, else the one in the node's signed reply
 * (its summary) — the only one a beneficiary has.
 */
function labelOf(o: Pick<OrderRecord, 'label' | 'summary'>): string | undefined {
  if (o.label) return o.label;
  const fromReply = (o.summary as { readonly label?: unknown } | undefined)?.label;
  return typeof fromReply === 'string' && fromReply ? fromReply : undefined;
}

/** A one-line title for an order in lists: its kind's title with the label, or what its summary says. */
export function orderTitle(o: Pick<OrderRecord, 'plugin' | 'label' | 'summary'>): string {
  const kind = orderKind(o.plugin);
  const base = kind?.title ?? o.plugin;
  const label = labelOf(o);
  if (label) return `${base}: ${label}`;
  return (o.summary && kind?.describe?.(o.summary)) || base;
}

/**
 * The order's state as a person reads it: an order of a kind nobody retrieves (an M-Pin share) is done once the
 * node answered it ("Issued"), not forever "Open".
 */
export function stateTitle(o: Pick<OrderRecord, 'plugin' | 'state'>): string {
  if (o.state === 'open' && orderKind(o.plugin)?.retrievable === false) return 'Issued';
  return STATE_TITLES[o.state];
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
