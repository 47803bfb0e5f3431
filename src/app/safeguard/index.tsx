/** Safeguarded secrets: a new one (its route comes before the order page's), and their parts of the order page. @module */
import type { OrderKind } from '../orders/kinds.ts';
import type { AppRoute } from '../shell/router.ts';
import { safeguardKind } from './kind.ts';
import { NewSafeguardPage } from './NewSafeguardPage.tsx';
import { SafeguardFacts } from './SafeguardFacts.tsx';
import { SafeguardRetrieve } from './SafeguardRetrieve.tsx';

export const orderKind: OrderKind = { ...safeguardKind, Facts: SafeguardFacts, Retrieve: SafeguardRetrieve };

export const routes: AppRoute[] = [{ path: '/orders/new', title: 'Safeguard a secret', component: NewSafeguardPage, nav: false }];
