/** M-Pin: register with several issuing nodes and a PIN, log in to an authentication server. @module */
import type { AppRoute } from '../shell/router.ts';
import { mpinKind } from './kind.ts';
import { MpinPage } from './MpinPage.tsx';

/** Issued shares have no views of their own on the order page. */
export const orderKind = mpinKind;

export const routes: AppRoute[] = [{ path: '/mpin', title: 'M-Pin', component: MpinPage }];
