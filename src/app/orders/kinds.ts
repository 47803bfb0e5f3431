/**
 * The registry of order kinds: what the generic order screens and steps need to know about each plugin's
 * orders (its title, how its reply is summarised, whether a beneficiary retrieves something, and its own
 * parts of the order page). Each feature folder describes its kind (kind.ts, views added in index.tsx);
 * the shell registers them at start, so nothing in orders/ names a plugin.
 * @module
 */
import type { Component } from 'solid-js';
import type { Summarize } from './flow.ts';
import type { OrderRecord, OrderSummary } from './model.ts';

export interface OrderKind {
  /** The plugin's name, as in envelope types ("<plugin>/order") and order records. */
  readonly plugin: string;
  /** What one order of this kind is called in lists ("Safeguarded secret"). */
  readonly title: string;
  /** Checks and summarises an order reply of an order imported from a node (nothing known beyond the order). */
  readonly summarize: Summarize;
  /** The beneficiary redeems these orders for something (a secret, a key). */
  readonly retrievable: boolean;
  /** Orders of this kind can be added by id by the people they name (listed in the import form). */
  readonly importable: boolean;
  /** A title saying more than `title`, from the order's summary (e.g. its address). */
  readonly describe?: (summary: OrderSummary) => string | undefined;
  /** A link to the screen that places a new order of this kind, on the orders list. */
  readonly create?: { readonly href: string; readonly label: string; readonly testid: string };
  /** Rows of the order page's facts list (<dt>/<dd> pairs) from the order's summary. */
  readonly Facts?: Component<{ readonly order: OrderRecord }>;
  /** The order page's retrieval panel, for the beneficiary. */
  readonly Retrieve?: Component<{ readonly order: OrderRecord; readonly onDone: () => void }>;
}

const kinds = new Map<string, OrderKind>();

/** Adds (or replaces, by plugin name) an order kind; the order of first registration is the order of lists. */
export function registerOrderKind(kind: OrderKind): void {
  kinds.set(kind.plugin, kind);
}

/** The kind of `plugin`'s orders, if the app knows it. */
export function orderKind(plugin: string): OrderKind | undefined {
  return kinds.get(plugin);
}

/** Every registered kind, in registration order. */
export function orderKinds(): readonly OrderKind[] {
  return [...kinds.values()];
}

/** The summariser of `plugin`'s order replies (for orders imported from a node). */
export function summarizerFor(plugin: string): Summarize {
  return (
    orderKind(plugin)?.summarize ??
    (async () => {
      throw new Error(`orders of the "${plugin}" service are not supported by this app`);
    })
  );
}

/** What the person can do next with an order. */
export function nextSteps(o: Pick<OrderRecord, 'role' | 'state' | 'pending' | 'plugin'>): {
  retrieve: boolean;
  resend: boolean;
} {
  const beneficiary = o.role === 'beneficiary' || o.role === 'both';
  const retrievable = orderKind(o.plugin)?.retrievable === true;
  return {
    retrieve: beneficiary && retrievable && (o.state === 'open' || o.state === 'redeeming' || o.state === 'redeemed'),
    resend: o.pending?.step === 'order',
  };
}
