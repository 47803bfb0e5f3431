/** Safeguarded secrets: the new-secret screen (its route precedes /orders/:id) and their order page views. @module */
import type { OrderKind } from '../orders/kinds.ts';
import { lazyNamed } from '../shell/lazy-page.ts';
import type { AppRoute } from '../shell/router.ts';
import { safeguardKind } from './kind.ts';

const NewSafeguardPage = lazyNamed(() => import('./NewSafeguardPage.tsx'), 'NewSafeguardPage');
const SafeguardFacts = lazyNamed(() => import('./SafeguardFacts.tsx'), 'SafeguardFacts');
const SafeguardRetrieve = lazyNamed(() => import('./SafeguardRetrieve.tsx'), 'SafeguardRetrieve');

export const orderKind: OrderKind = { ...safeguardKind, Facts: SafeguardFacts, Retrieve: SafeguardRetrieve };

export const routes: AppRoute[] = [
  { path: '/orders/new', title: 'Safeguard a secret', component: NewSafeguardPage, nav: false },
];
