/** Nodes: the fiduciary nodes the person added (registry, status, IPFS check). @module */
import type { AppRoute } from '../shell/router.ts';
import { NodesPage } from './NodesPage.tsx';

export type { NodesStore } from './store.ts';

export const routes: AppRoute[] = [{ path: '/nodes', title: 'Nodes', component: NodesPage }];
