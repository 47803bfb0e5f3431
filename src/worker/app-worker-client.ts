/**
 * The page's side of the app worker: createAppWorker() starts app-worker.ts as a module worker, waits until
 * the core and the vault are up (startup.ts), and returns the worker's API (api/index.ts) through comlink,
 * every method async. Errors keep their `name` (and the core's error classes) across the boundary, see
 * errors.ts. Contents of envelopes cross as DAG-CBOR bytes, encoded and decoded on the page.
 * @module
 */
import type { AppApi } from './api/index.ts';
import type { RemoteNamespace } from './remote.ts';
import { startWorker } from './startup.ts';

export type { AppApi } from './api/index.ts';
export type * from './api/types.ts';

/** The app worker's API as the page sees it. */
export type RemoteAppApi = RemoteNamespace<AppApi>;

export interface AppWorker {
  readonly api: RemoteAppApi;
  /** Stops the worker (and forgets the unlocked identity); later calls throw. */
  terminate(): void;
}

/** Starts the app worker; rejects (and stops it) if the core cannot load within `timeoutMs` (default 30 s). */
export async function createAppWorker(options: { readonly timeoutMs?: number } = {}): Promise<AppWorker> {
  const started = await startWorker<AppApi>(
    () => new Worker(new URL('./app-worker.ts', import.meta.url), { type: 'module', name: 'dta-app' }),
    { what: 'core', ...options },
  );
  return { api: started.remote, terminate: started.terminate };
}
