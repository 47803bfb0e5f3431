/** Safeguarded secrets as an order kind (the data part; index.tsx adds the order page's views). @module */
import type { OrderKind } from '../orders/kinds.ts';
import { summarizeSafeguard } from './flow.ts';

export const safeguardKind: OrderKind = {
  plugin: 'safeguard',
  title: 'Safeguarded secret',
  summarize: summarizeSafeguard,
  retrievable: true,
  importable: true,
  create: { href: '/orders/new', label: 'Safeguard a secret', testid: 'new-safeguard' },
};
