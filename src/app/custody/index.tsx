/** Threshold custody: the new-group screen, adding a group as its beneficiary, the order page's views. @module */
import type { OrderKind } from '../orders/kinds.ts';
import { lazyNamed } from '../shell/lazy-page.ts';
import type { AppRoute } from '../shell/router.ts';
import { custodyKind } from './kind.ts';

const AddCustodyPage = lazyNamed(() => import('./AddCustodyPage.tsx'), 'AddCustodyPage');
const CustodyFacts = lazyNamed(() => import('./CustodyFacts.tsx'), 'CustodyFacts');
const CustodyRetrieve = lazyNamed(() => import('./CustodyRetrieve.tsx'), 'CustodyRetrieve');
const NewCustodyPage = lazyNamed(() => import('./NewCustodyPage.tsx'), 'NewCustodyPage');

export const orderKind: OrderKind = { ...custodyKind, Facts: CustodyFacts, Retrieve: CustodyRetrieve };

export const routes: AppRoute[] = [
  { path: '/custody/new', title: 'Threshold custody', component: NewCustodyPage, nav: false },
  { path: '/custody/add', title: 'Add a custody group', component: AddCustodyPage, nav: false },
];
