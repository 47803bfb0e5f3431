/** Nodes: the fiduciary nodes the person added (registry, status, IPFS check). @module */
import { lazyNamed } from '../shell/lazy-page.ts';
import type { AppRoute } from '../shell/router.ts';

export type { NodesStore } from './store.ts';

const NodesPage = lazyNamed(() => import('./NodesPage.tsx'), 'NodesPage');

export const routes: AppRoute[] = [{ path: '/nodes', title: 'Nodes', component: NodesPage }];
