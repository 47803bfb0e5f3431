/** Audit: a node's log, witnesses, consistency, your envelopes' inclusion and its Bitcoin anchor, checked here. @module */
import { lazyNamed } from '../shell/lazy-page.ts';
import type { AppRoute } from '../shell/router.ts';

const AuditPage = lazyNamed(() => import('./AuditPage.tsx'), 'AuditPage');

export const routes: AppRoute[] = [{ path: '/audit', title: 'Audit', component: AuditPage }];
