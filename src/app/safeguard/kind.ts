/** Safeguarded secrets as an order kind (the data part; index.tsx adds the order page's views). @module */
import type { OrderKind } from '../orders/kinds.ts';

export const safeguardKind: OrderKind = {
  plugin: 'safeguard',
  title: 'Safeguarded secret',
  // The flow (and the plugin's decoders) loads with the first order summarised, not with the app.
  summarize: (...args) => import('./flow.ts').then((m) => m.summarizeSafeguard(...args)),
  retrievable: true,
  importable: true,
  create: { href: '/orders/new', label: 'Safeguard a secret', testid: 'new-safeguard' },
};
