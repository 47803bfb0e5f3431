/**
 * A retrieved secret held by a view: fetched by an action, shown until the person hides it or leaves the view,
 * and wiped then. The safeguard and Bitcoin retrieve views share it, so neither can forget to wipe.
 * @module
 */
import { type Accessor, createSignal, onCleanup } from 'solid-js';
import { type Action, createAction } from '../ui/index.ts';

export interface Retrieval<T> {
  /** The secret while it is shown; undefined before retrieving and after forgetting. */
  readonly value: Accessor<T | undefined>;
  /** Retrieves (the view shows `run.pending()` and `run.error()`). */
  readonly run: Action<[], void>;
  /** Hides the secret and wipes it. */
  readonly forget: () => void;
}

/** Holds what `retrieve` returns; `wipe` overwrites its secret parts on forget and when the view goes away. */
export function createRetrieval<T>(
  retrieve: () => Promise<T>,
  wipe: (value: T) => void,
  onDone: () => void,
): Retrieval<T> {
  const [value, setValue] = createSignal<T>();
  const forget = (): void => {
    const held = value();
    if (held !== undefined) wipe(held);
    setValue(undefined);
  };
  onCleanup(forget);
  const run = createAction(async () => {
    const got = await retrieve();
    setValue(() => got);
    onDone();
  });
  return { value, run, forget };
}
