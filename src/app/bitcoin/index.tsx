/** Bitcoin: order a key shared between a node and this device; retrieve it as beneficiary (order page). @module */
import type { OrderKind } from '../orders/kinds.ts';
import { lazyNamed } from '../shell/lazy-page.ts';
import type { AppRoute } from '../shell/router.ts';
import { bitcoinKind } from './kind.ts';

const BitcoinFacts = lazyNamed(() => import('./BitcoinFacts.tsx'), 'BitcoinFacts');
const BitcoinPage = lazyNamed(() => import('./BitcoinPage.tsx'), 'BitcoinPage');
const BitcoinRetrieve = lazyNamed(() => import('./BitcoinRetrieve.tsx'), 'BitcoinRetrieve');

export const orderKind: OrderKind = { ...bitcoinKind, Facts: BitcoinFacts, Retrieve: BitcoinRetrieve };

export const routes: AppRoute[] = [{ path: '/bitcoin', title: 'Bitcoin', component: BitcoinPage }];
