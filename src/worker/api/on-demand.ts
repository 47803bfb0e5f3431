/**
 * An API whose code is loaded on its first call. The worker's start then needs only what its first answers need: a
 * feature's libraries (secp256k1 and BIP-32 for Bitcoin, the DKG for custody, M-Pin's messages) are fetched and
 * evaluated when the person first uses it, and the whole API (the core's bindings, the vault, the envelope code)
 * after the worker has reported its start (app-worker.ts), with calls that arrive before it awaiting it.
 * @module
 */

type Callable = (...args: unknown[]) => unknown;

/** A method answered before the API has loaded: what it returns is what the loaded API would return now. */
export type EarlyAnswers = Readonly<Record<string, Callable>>;

/** Functions' own names: a stand-in must keep them, or `f.apply(...)` (comlink's call) would not reach its trap. */
const OWN_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Function.prototype));

/** `path` in `api`, with the object it was found on (a method's `this`). */
function lookUp(api: object, path: readonly string[]): { owner: unknown; value: unknown } {
  let owner: unknown;
  let value: unknown = api;
  for (const name of path) {
    owner = value;
    value = value === null || value === undefined ? undefined : (value as Record<string, unknown>)[name];
  }
  return { owner, value };
}

/**
 * An object that stands for `load()`'s result, at any depth: `x.a.b(...)` awaits the loaded API and calls its
 * `a.b`, and awaiting `x.a` gives its `a` (comlink reads a data property that way). Comlink looks methods up by
 * name, so the names need not be known here. `early` answers some methods by their dotted path ("vault.state")
 * until the API has loaded, without loading it.
 */
export function onDemand<T extends object>(load: () => Promise<T>, early: EarlyAnswers = {}): T {
  let loading: Promise<T> | undefined;
  let loaded: T | undefined;
  const api = async (): Promise<T> => {
    loading ??= load().then(
      (value) => {
        loaded = value;
        return value;
      },
      (e: unknown) => {
        // A chunk that failed to arrive is asked for again on the next call.
        loading = undefined;
        throw e;
      },
    );
    return loading;
  };
  const call = async (path: readonly string[], args: unknown[]): Promise<unknown> => {
    const answer = loaded === undefined ? early[path.join('.')] : undefined;
    if (answer) return answer(...args);
    const { owner, value } = lookUp(await api(), path);
    if (typeof value !== 'function') throw new TypeError(`no method ${path.join('.')} in this API`);
    return (value as Callable).apply(owner, args);
  };
  const at = (path: readonly string[]): unknown =>
    new Proxy(() => undefined, {
      get: (target, name) => {
        if (typeof name !== 'string' || OWN_NAMES.has(name)) return Reflect.get(target, name);
        // The root is never taken for a promise; a deeper name resolves to its value (comlink's GET).
        if (name === 'then') {
          if (path.length === 0) return undefined;
          return (resolve: (v: unknown) => void, reject: (e: unknown) => void) =>
            api()
              .then((loadedApi) => lookUp(loadedApi, path).value)
              .then(resolve, reject);
        }
        return at([...path, name]);
      },
      apply: (_target, _this, args: unknown[]) => call(path, args),
    });
  return at([]) as T;
}
