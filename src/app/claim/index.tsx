/** Receiving a secret by signing in at an OpenID Connect provider: the claim link's page and the way back. @module */
import { lazyNamed } from '../shell/lazy-page.ts';
import type { AppRoute } from '../shell/router.ts';

const ClaimPage = lazyNamed(() => import('./ClaimPage.tsx'), 'ClaimPage');
const ClaimBackPage = lazyNamed(() => import('./ClaimBackPage.tsx'), 'ClaimBackPage');

export const routes: AppRoute[] = [
  { path: '/claim', title: 'Receive a secret', component: ClaimPage, nav: false },
  { path: '/claim/back', title: 'Receive a secret', component: ClaimBackPage, nav: false },
];
