/** Custody groups as an order kind (the data part; index.tsx adds the order page's views). @module */
import type { OrderKind } from '../orders/kinds.ts';
import { describeGroup } from './summary.ts';

export const custodyKind: OrderKind = {
  plugin: 'custody',
  title: 'Threshold custody',
  // A group is placed from this app, never imported by one order id: it spans n orders on n nodes.
  summarize: async () => {
    throw new Error('a custody group is added from the device that ordered it, not by one order id');
  },
  retrievable: true,
  importable: false,
  describe: (s) => (s.kind === 'custody' ? `Threshold custody, ${describeGroup(s)}` : undefined),
  create: { href: '/custody/new', label: 'Threshold custody', testid: 'new-custody' },
};
