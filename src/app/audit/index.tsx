/** Audit: a node's log, witnesses, consistency, your envelopes' inclusion and its Bitcoin anchor, checked here. @module */
import type { AppRoute } from '../shell/router.ts';
import { AuditPage } from './AuditPage.tsx';

export const routes: AppRoute[] = [{ path: '/audit', title: 'Audit', component: AuditPage }];
