/** Safeguarded secrets: the new-secret screen (its route precedes /orders/:id) and their order page views. @module */
import type { OrderKind } from '../orders/kinds.ts';
import type { AppRoute } from '../shell/router.ts';
import { safeguardKind } from './kind.ts';
import { NewSafeguardPage } from './NewSafeguardPage.tsx';
import { SafeguardFacts } from './SafeguardFacts.tsx';
import { SafeguardRetrieve } from './SafeguardRetrieve.tsx';

export const orderKind: OrderKind = { ...safeguardKind, Facts: SafeguardFacts, Retrieve: SafeguardRetrieve };

export const routes: AppRoute[] = [
  { path: '/orders/new', title: 'Safeguard a secret', component: NewSafeguardPage, nav: false },
];
