/**
 * Every screen of the app, in navigation order: the start screen, the identity screens (keys/), the
 * features (nodes/, safeguard/, custody/, orders/, bitcoin/, mpin/, audit/: each folder's index.tsx exports its `routes`), and
 * About. The first route matching a path wins (so safeguard's /orders/new comes before /orders/:id).
 * @module
 */
import { routes as auditRoutes } from '../audit/index.tsx';
import { routes as bitcoinRoutes } from '../bitcoin/index.tsx';
import { routes as claimRoutes } from '../claim/index.tsx';
import { routes as custodyRoutes } from '../custody/index.tsx';
import { routes as keyRoutes } from '../keys/index.tsx';
import { routes as mpinRoutes } from '../mpin/index.tsx';
import { routes as nodeRoutes } from '../nodes/index.tsx';
import { routes as orderRoutes } from '../orders/index.tsx';
import { routes as safeguardRoutes } from '../safeguard/index.tsx';
import { lazyNamed } from './lazy-page.ts';
import type { AppRoute } from './router.ts';

const About = lazyNamed(() => import('./About.tsx'), 'About');
const Home = lazyNamed(() => import('./Home.tsx'), 'Home');
// The start screen shows once the worker is up; the page is idle while it starts, so its chunk is fetched then.
globalThis.requestIdleCallback?.(() => void Home.preload().catch(() => undefined));

const features: readonly AppRoute[] = [
  ...keyRoutes,
  ...nodeRoutes,
  ...safeguardRoutes,
  ...custodyRoutes,
  ...orderRoutes,
  ...bitcoinRoutes,
  ...mpinRoutes,
  ...auditRoutes,
  ...claimRoutes,
];

export const appRoutes: readonly AppRoute[] = [
  {
    path: '/',
    title: 'Home',
    component: Object.assign(() => <Home features={features} />, { preload: Home.preload, loaded: Home.loaded }),
  },
  ...features,
  { path: '/about', title: 'About', component: About },
];
