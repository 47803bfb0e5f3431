/**
 * Per-plugin parts of the order views and the import step: how each plugin's order reply is summarised,
 * and how its orders are named in lists. Pure data, no views.
 * @module
 */
import { summarizeBitcoin } from '../bitcoin/flow.ts';
import type { Summarize } from './flow.ts';
import type { OrderRecord, OrderState } from './model.ts';
import { summarizeSafeguard } from './safeguard.ts';

const summarizeMpin: Summarize = async (content) => {
  const issue = typeof content === 'object' && content !== null && typeof (content as { issue?: unknown }).issue === 'string'
    ? (content as { issue: string }).issue : 'share';
  return { kind: 'mpin', issue };
};

/** The summariser of `plugin`'s order replies (for orders imported from a node). */
export function summarizerFor(plugin: string): Summarize {
  if (plugin === 'safeguard') return summarizeSafeguard;
  if (plugin === 'bitcoin') return summarizeBitcoin;
  if (plugin === 'mpin') return summarizeMpin;
  return async () => {
    throw new Error(`orders of the "${plugin}" service are not supported by this app`);
  };
}

export const PLUGIN_TITLES: Readonly<Record<string, string>> = Object.freeze({
  safeguard: 'Safeguarded secret', bitcoin: 'Bitcoin key', mpin: 'M-Pin share',
});

export const STATE_TITLES: Readonly<Record<OrderState, string>> = Object.freeze({
  sending: 'Waiting for the node', open: 'Open', redeeming: 'Being retrieved', redeemed: 'Retrieved', failed: 'Failed',
});

/** A one-line title for an order in lists. */
export function orderTitle(o: Pick<OrderRecord, 'plugin' | 'label' | 'summary'>): string {
  const base = PLUGIN_TITLES[o.plugin] ?? o.plugin;
  if (o.label) return `${base}: ${o.label}`;
  if (o.summary?.kind === 'bitcoin') return `${base}: ${o.summary.address}`;
  if (o.summary?.kind === 'mpin') return `${base} (${o.summary.issue})`;
  return base;
}

/** What the person can do next with an order. */
export function nextSteps(o: Pick<OrderRecord, 'role' | 'state' | 'pending' | 'plugin'>): { retrieve: boolean; resend: boolean } {
  const beneficiary = o.role === 'beneficiary' || o.role === 'both';
  const retrievable = o.plugin === 'safeguard' || o.plugin === 'bitcoin';
  return {
    retrieve: beneficiary && retrievable && (o.state === 'open' || o.state === 'redeeming' || o.state === 'redeemed'),
    resend: o.pending?.step === 'order',
  };
}
