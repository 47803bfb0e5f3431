/**
 * Screens and order-page views loaded on demand: each is its own chunk, fetched the first time it is shown, so a
 * first visit downloads the shell only (the service worker still precaches every chunk, so later ones come from
 * the device, offline too). PageLoader shows an accessible loading state meanwhile.
 * @module
 */
import { type Component, lazy } from 'solid-js';

type Preload = () => Promise<unknown>;

/** A component whose module is fetched on demand (Solid's lazy(), with `preload`), and whether it has arrived. */
export type LazyComponent<C> = C & { readonly preload: Preload; readonly loaded: () => boolean };

/** A component that is the `name` export of the module `load` imports. */
export function lazyNamed<M extends { readonly [k in K]: Component<never> }, K extends string>(
  load: () => Promise<M>,
  name: K,
): LazyComponent<M[K]> {
  let arrived = false;
  const component = lazy(() =>
    load().then((module) => {
      arrived = true;
      return { default: module[name] as unknown as Component<Record<string, unknown>> };
    }),
  );
  return Object.assign(component, { loaded: () => arrived }) as unknown as LazyComponent<M[K]>;
}

/** How to fetch the chunk of `component` when it is a lazy one that has not arrived yet; else undefined. */
export function pendingLoad(component: Component<never>): Preload | undefined {
  const lazyOne = component as Partial<LazyComponent<unknown>>;
  return typeof lazyOne.preload === 'function' && lazyOne.loaded?.() === false ? lazyOne.preload : undefined;
}
