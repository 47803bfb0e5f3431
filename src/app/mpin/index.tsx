/** M-Pin: register with several issuing nodes and a PIN, log in to an authentication server. @module */
import type { AppRoute } from '../shell/router.ts';
import { MpinPage } from './MpinPage.tsx';

export { createMpinStore, type MpinStore } from './store.ts';

export const routes: AppRoute[] = [{ path: '/mpin', title: 'M-Pin', component: MpinPage }];
