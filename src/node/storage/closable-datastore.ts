/**
 * A datastore that refuses writes once the node has stopped. libp2p's address manager debounces a write of
 * the node's own peer record by a second and does not cancel it on stop, so without this gate a stopped
 * node still writes into its home about a second later — after its process meant to be done, after a test
 * removed the directory (recreating it), or after an operator copied the home for a backup. Reads pass
 * through; a write after close is an error (the address manager logs and drops it).
 * @module
 */
const WRITES: ReadonlySet<PropertyKey> = new Set(['put', 'putMany', 'delete', 'deleteMany', 'batch']);

export class DatastoreClosedError extends Error {
  override name = 'DatastoreClosedError';
}

export interface ClosableDatastore<T> {
  readonly store: T;
  /** From now on every write throws DatastoreClosedError. */
  close(): void;
}

/** `inner` behind the gate (any store with the datastore interface's method names). */
export function closableDatastore<T extends object>(inner: T): ClosableDatastore<T> {
  let closed = false;
  const refuse = (): never => {
    throw new DatastoreClosedError('the node has stopped: its datastore takes no more writes');
  };
  const store = new Proxy(inner, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (closed && WRITES.has(prop)) return refuse;
      return value.bind(target);
    },
  });
  return {
    store,
    close: () => {
      closed = true;
    },
  };
}
