/**
 * A feature's API whose code is loaded on its first call: the worker's first chunks then hold only what the start
 * (core, vault, identities) needs, and a feature's libraries (secp256k1 and BIP-32 for Bitcoin, the DKG for
 * custody, M-Pin's messages) are fetched and evaluated when the person first uses it.
 * @module
 */

type Methods = Record<string, (...args: never[]) => unknown>;

/**
 * An object that stands for `load()`'s result: each method, when called, awaits the loaded API and calls its
 * namesake. Comlink looks methods up by name, so the names need not be known here.
 */
export function onDemand<T extends object>(load: () => Promise<T>): T {
  let loaded: Promise<T> | undefined;
  const call =
    (name: string) =>
    async (...args: unknown[]): Promise<unknown> => {
      loaded ??= load();
      const api = (await loaded) as unknown as Methods;
      const method = api[name];
      if (typeof method !== 'function') throw new TypeError(`no method ${name} in this API`);
      return (method as (...a: unknown[]) => unknown).apply(api, args);
    };
  return new Proxy({} as T, {
    // 'then' stays undefined: the object is never taken for a promise.
    get: (_target, name) => (typeof name === 'string' && name !== 'then' ? call(name) : undefined),
  });
}
