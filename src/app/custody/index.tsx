/** Threshold custody: the new-group screen, adding a group as its beneficiary, the order page's views. @module */
import type { OrderKind } from '../orders/kinds.ts';
import type { AppRoute } from '../shell/router.ts';
import { AddCustodyPage } from './AddCustodyPage.tsx';
import { CustodyFacts } from './CustodyFacts.tsx';
import { CustodyRetrieve } from './CustodyRetrieve.tsx';
import { custodyKind } from './kind.ts';
import { NewCustodyPage } from './NewCustodyPage.tsx';

export const orderKind: OrderKind = { ...custodyKind, Facts: CustodyFacts, Retrieve: CustodyRetrieve };

export const routes: AppRoute[] = [
  { path: '/custody/new', title: 'Threshold custody', component: NewCustodyPage, nav: false },
  { path: '/custody/add', title: 'Add a custody group', component: AddCustodyPage, nav: false },
];
