/** Bitcoin: order a key shared between a node and this device; retrieve it as beneficiary (order page). @module */
import type { OrderKind } from '../orders/kinds.ts';
import type { AppRoute } from '../shell/router.ts';
import { BitcoinFacts } from './BitcoinFacts.tsx';
import { BitcoinPage } from './BitcoinPage.tsx';
import { BitcoinRetrieve } from './BitcoinRetrieve.tsx';
import { bitcoinKind } from './kind.ts';

export const orderKind: OrderKind = { ...bitcoinKind, Facts: BitcoinFacts, Retrieve: BitcoinRetrieve };

export const routes: AppRoute[] = [{ path: '/bitcoin', title: 'Bitcoin', component: BitcoinPage }];
