/** M-Pin shares as an order kind: each issued share is an order, listed and verifiable, never retrieved. @module */
import type { OrderKind } from '../orders/kinds.ts';

export const mpinKind: OrderKind = {
  plugin: 'mpin',
  title: 'M-Pin share',
  // Loaded with the first order summarised, not with the app.
  summarize: (...args) => import('./summary.ts').then((m) => m.summarizeMpin(...args)),
  retrievable: false,
  importable: false,
  describe: (s) => (s.kind === 'mpin' ? `M-Pin share (${s.issue})` : undefined),
};
