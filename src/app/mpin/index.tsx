/** M-Pin: register with several issuing nodes and a PIN, log in to an authentication server. @module */
import { lazyNamed } from '../shell/lazy-page.ts';
import type { AppRoute } from '../shell/router.ts';
import { mpinKind } from './kind.ts';

const MpinPage = lazyNamed(() => import('./MpinPage.tsx'), 'MpinPage');

/** Issued shares have no views of their own on the order page. */
export const orderKind = mpinKind;

export const routes: AppRoute[] = [{ path: '/mpin', title: 'M-Pin', component: MpinPage }];
