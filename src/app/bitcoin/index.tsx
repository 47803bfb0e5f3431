/** Bitcoin: order a key shared between a node and this device; retrieve it as beneficiary (order page). @module */
import type { AppRoute } from '../shell/router.ts';
import { BitcoinPage } from './BitcoinPage.tsx';

export { BitcoinRetrieve } from './BitcoinRetrieve.tsx';

export const routes: AppRoute[] = [{ path: '/bitcoin', title: 'Bitcoin', component: BitcoinPage }];
