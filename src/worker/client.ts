/**
 * The page's side of the core worker: createCoreWorker() starts src/worker/core-worker.ts as a module
 * worker, waits until the core has loaded there, and returns a comlink proxy with the same API as the
 * Core of src/core (every call returns a Promise), plus terminate().
 *
 * Errors thrown by the core in the worker arrive as the same classes (errors.ts of the core) with the
 * same `name` and `code`.
 * @module
 */
import * as Comlink from 'comlink';
import type { Core } from '../core/types.ts';
import { installErrorTransfer } from './errors.ts';
import { whenStarted } from './protocol.ts';

/** True for objects that hold only data (no methods): comlink can clone them whole. */
type DataOnly<T> = { [K in keyof T]: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T] extends never
  ? true
  : false;

/**
 * A namespace of the core seen through the worker: every method async, every data property awaitable.
 * A data-only object (like `sizes`) can be awaited whole or field by field, as comlink allows both.
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

/** The Core API through the worker. It satisfies CoreLike, so the shared test cases run against it. */
export type RemoteCore = RemoteNamespace<Core>;

export interface CoreWorker {
  readonly core: RemoteCore;
  /** Stops the worker at once; calls still pending never settle, later calls throw. */
  terminate(): void;
}

export interface CoreWorkerOptions {
  /** How long the worker may take to load the core (default 30 s). */
  readonly timeoutMs?: number;
}

/** Starts the core in a Web Worker; rejects (and stops the worker) if the core cannot load. */
export async function createCoreWorker(options: CoreWorkerOptions = {}): Promise<CoreWorker> {
  installErrorTransfer();
  const worker = new Worker(new URL('./core-worker.ts', import.meta.url), { type: 'module', name: 'dta-core' });
  try {
    await whenStarted(worker, options.timeoutMs ?? 30_000);
  } catch (e) {
    worker.terminate();
    throw e;
  }
  const remote = Comlink.wrap<Core>(worker);
  return {
    core: remote as unknown as RemoteCore,
    terminate: () => {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
