/** Bitcoin keys as an order kind (the data part; index.tsx adds the order page's views). @module */
import type { OrderKind } from '../orders/kinds.ts';
import { summarizeBitcoin } from './flow.ts';

export const bitcoinKind: OrderKind = {
  plugin: 'bitcoin',
  title: 'Bitcoin key',
  summarize: summarizeBitcoin,
  retrievable: true,
  importable: true,
  describe: (s) => (s.kind === 'bitcoin' ? `Bitcoin key: ${s.address}` : undefined),
  create: { href: '/bitcoin', label: 'Order a Bitcoin key', testid: 'new-bitcoin' },
};
