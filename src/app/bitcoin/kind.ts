/** Bitcoin keys as an order kind (the data part; index.tsx adds the order page's views). @module */
import type { OrderKind } from '../orders/kinds.ts';

export const bitcoinKind: OrderKind = {
  plugin: 'bitcoin',
  title: 'Bitcoin key',
  // The flow (and the Bitcoin libraries) loads with the first order summarised, not with the app.
  summarize: (...args) => import('./flow.ts').then((m) => m.summarizeBitcoin(...args)),
  retrievable: true,
  importable: true,
  describe: (s) => (s.kind === 'bitcoin' ? `Bitcoin key: ${s.address}` : undefined),
  create: { href: '/bitcoin', label: 'Order a Bitcoin key', testid: 'new-bitcoin' },
};
