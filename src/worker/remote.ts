/** The type of an API as the page sees it through comlink. @module */

/** True for objects that hold only data (no methods): comlink can clone them whole. */
type DataOnly<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T] extends never
  ? true
  : false;

/**
 * A namespace seen through the worker: every method async, every data property awaitable.
 * A data-only object (like the core's `sizes`) can be awaited whole or field by field, as comlink allows both.
 */
export type RemoteNamespace<N> = {
  readonly [K in keyof N]: N[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : N[K] extends Uint8Array
      ? Promise<N[K]>
      : N[K] extends object
        ? DataOnly<N[K]> extends true
          ? Promise<N[K]> & RemoteNamespace<N[K]>
          : RemoteNamespace<N[K]>
        : Promise<N[K]>;
};
