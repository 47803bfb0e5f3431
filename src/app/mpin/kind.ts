/** M-Pin shares as an order kind: each issued share is an order, listed and verifiable, never retrieved. @module */
import type { OrderKind } from '../orders/kinds.ts';
import { summarizeMpin } from './summary.ts';

export const mpinKind: OrderKind = {
  plugin: 'mpin',
  title: 'M-Pin share',
  summarize: summarizeMpin,
  retrievable: false,
  importable: false,
  describe: (s) => (s.kind === 'mpin' ? `M-Pin share (${s.issue})` : undefined),
};
