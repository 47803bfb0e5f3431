/**
 * createAction: runs an async step for a view and tracks it — pending (for progress and disabled buttons)
 * and the last error (shown by <ErrorNote>). Errors are kept, not swallowed: run() resolves to undefined
 * when the step threw, and error() holds what it threw.
 * @module
 */
import { type Accessor, createSignal } from 'solid-js';

export interface Action<A extends unknown[], R> {
  run(...args: A): Promise<R | undefined>;
  readonly pending: Accessor<boolean>;
  readonly error: Accessor<unknown>;
  clear(): void;
}

export function createAction<A extends unknown[], R>(step: (...args: A) => Promise<R>): Action<A, R> {
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<unknown>(undefined);
  return {
    async run(...args) {
      if (pending()) return undefined; // one at a time: a double click does not run a step twice
      setPending(true);
      setError(undefined);
      try {
        return await step(...args);
      } catch (e) {
        setError(() => e);
        return undefined;
      } finally {
        setPending(false);
      }
    },
    pending,
    error,
    clear: () => setError(undefined),
  };
}
