/**
 * Screens and order-page views loaded on demand: each is its own chunk, fetched the first time it is shown, so a
 * first visit downloads the shell and the start screen only (the service worker still precaches every chunk, so
 * later ones come from the device, offline too). PageLoader shows an accessible loading state meanwhile.
 * @module
 */
import { type Component, lazy } from 'solid-js';

type Preload = () => Promise<unknown>;

/** The components made here whose chunk has arrived: they render at once, with no loading state. */
const arrived = new WeakSet<object>();

/** A component that is the `name` export of the module `load` imports (Solid's lazy(), which has `preload`). */
export function lazyNamed<M extends { readonly [k in K]: Component<never> }, K extends string>(
  load: () => Promise<M>,
  name: K,
): M[K] & { preload: Preload } {
  const component = lazy(() =>
    load().then((module) => {
      arrived.add(component);
      return { default: module[name] as unknown as Component<Record<string, unknown>> };
    }),
  );
  return component as unknown as M[K] & { preload: Preload };
}

/** How to fetch the chunk of `component` when it is a lazyNamed one that has not arrived yet; else undefined. */
export function pendingLoad(component: Component<never>): Preload | undefined {
  const preload = (component as { preload?: unknown }).preload;
  return typeof preload === 'function' && !arrived.has(component) ? (preload as Preload) : undefined;
}
