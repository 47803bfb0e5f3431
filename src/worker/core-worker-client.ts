/**
 * The page's side of the core worker: createCoreWorker() starts core-worker.ts as a module worker, waits
 * until the core has loaded there (startup.ts), and returns a comlink proxy with the same API as the Core
 * of src/core (every call returns a Promise), plus terminate().
 *
 * Errors thrown by the core in the worker arrive as the same classes (errors.ts of the core) with the
 * same `name` and `code`.
 * @module
 */
import type { Core } from '../core/types.ts';
import type { RemoteNamespace } from './remote.ts';
import { startWorker } from './startup.ts';

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
  const started = await startWorker<Core>(
    () => new Worker(new URL('./core-worker.ts', import.meta.url), { type: 'module', name: 'dta-core' }),
    { what: 'core', ...options },
  );
  return { core: started.remote, terminate: started.terminate };
}
