/**
 * A small hash router: the route is the part of the URL after '#', so every app URL loads the same
 * index.html (from the node, a static server or the service worker, online or not) and nothing about the
 * route reaches a server. Patterns are '/'-separated; ':name' matches one segment, a final '*' the rest.
 * @module
 */
import { type Component, createSignal } from 'solid-js';

/** What each feature folder exports in its `routes` array. */
export interface AppRoute {
  readonly path: string;
  readonly title: string;
  readonly component: Component<RouteProps>;
  /** Shown in the navigation (default: when the path has no parameter). */
  readonly nav?: boolean;
}

export interface RouteProps {
  /** The values of the pattern's ':name' segments (decoded), and '*' for a final wildcard. */
  readonly params: Readonly<Record<string, string>>;
}

export interface Location {
  readonly path: string;
  readonly query: URLSearchParams;
}

function readLocation(): Location {
  const raw = globalThis.location?.hash.replace(/^#/, '') ?? '';
  const [path = '', query = ''] = raw.split('?', 2);
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(query) };
}

const [location, setLocation] = createSignal<Location>(readLocation());
globalThis.addEventListener?.('hashchange', () => setLocation(readLocation()));

/** The current route (reactive). */
export function useLocation(): () => Location {
  return location;
}

/** The href of an app path, for <a href>. */
export function href(path: string): string {
  return `#${path}`;
}

/** Goes to `path` (with a history entry unless `replace`). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const url = href(path);
  if (options.replace) globalThis.location.replace(url);
  else globalThis.location.hash = url;
  setLocation(readLocation());
}

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The params of `path` under `pattern`, or null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w === '*' && i === want.length - 1) {
      params['*'] = got.slice(i).join('/');
      return params;
    }
    const g = got[i];
    if (g === undefined) return null;
    const value = decode(g);
    if (value === null) return null;
    if (w.startsWith(':')) params[w.slice(1)] = value;
    else if (w !== value) return null;
  }
  return got.length === want.length ? params : null;
}

/** The first route matching `path` (routes are tried in order), with its params. */
export function matchRoute(
  routes: readonly AppRoute[],
  path: string,
): { route: AppRoute; params: Record<string, string> } | null {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

export function inNav(route: AppRoute): boolean {
  return route.nav ?? !route.path.includes(':');
}
