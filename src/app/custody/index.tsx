/** Threshold custody: the new-group screen and the order page's views of a group. @module */
import type { OrderKind } from '../orders/kinds.ts';
import type { AppRoute } from '../shell/router.ts';
import { CustodyFacts } from './CustodyFacts.tsx';
import { CustodyRetrieve } from './CustodyRetrieve.tsx';
import { custodyKind } from './kind.ts';
import { NewCustodyPage } from './NewCustodyPage.tsx';

export const orderKind: OrderKind = { ...custodyKind, Facts: CustodyFacts, Retrieve: CustodyRetrieve };

export const routes: AppRoute[] = [
  { path: '/custody/new', title: 'Threshold custody', component: NewCustodyPage, nav: false },
];
