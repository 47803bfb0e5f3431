/**
 * The page's side of the app worker: createAppWorker() starts app-worker.ts as a module worker (or adopts the one
 * the built index.html's first script started), waits until the core has loaded (startup.ts), and
 * returns the worker's API (api/index.ts) through comlink, every method async. Errors keep their `name` (and the
 * core's error classes) across the boundary, see errors.ts. Contents of envelopes cross as DAG-CBOR bytes, encoded
 * and decoded on the page.
 * @module
 */
import type { AppApi } from './api/index.ts';
import type { RemoteNamespace } from './remote.ts';
import { type SpawnedWorker, startWorker } from './startup.ts';

export type { AppApi } from './api/index.ts';
export type * from './api/types.ts';

/** The app worker's API as the page sees it. */
export type RemoteAppApi = RemoteNamespace<AppApi>;

export interface AppWorker {
  readonly api: RemoteAppApi;
  /** When the worker was spawned, ms on the page's clock (the `dta:worker-spawn` mark). */
  readonly spawnedAt: number;
  /**
   * The core's self-test, which the worker runs after its start (before the core's first use, after the first read
   * of the vault): resolves once it has passed, rejects with the failure (then every call needing the core fails).
   */
  readonly selfTest: Promise<void>;
  /** Stops the worker (and forgets the unlocked identity); later calls throw. */
  terminate(): void;
}

interface AppWorkerSpawn extends SpawnedWorker {
  readonly spawnedAt: number;
}

/**
 * Set by the built index.html's first script (scripts/early-worker.ts), which spawned the app worker before the
 * page's modules loaded; hands it over once, with its events so far, then is gone.
 */
type EarlyAppWorker = () => AppWorkerSpawn;

/** The worker index.html's first script spawned; else (dev server, tests, a failed early spawn) a new one. */
function adoptOrSpawn(): AppWorkerSpawn {
  const early = (globalThis as { dtaEarlyAppWorker?: EarlyAppWorker }).dtaEarlyAppWorker?.();
  if (early) return early;
  const spawnedAt = performance.mark('dta:worker-spawn').startTime;
  const worker = new Worker(new URL('./app-worker.ts', import.meta.url), { type: 'module', name: 'dta-app' });
  return { worker, earlier: [], spawnedAt };
}

/** Starts the app worker; rejects (and stops it) if the core cannot load within `timeoutMs` (default 30 s). */
export async function createAppWorker(options: { readonly timeoutMs?: number } = {}): Promise<AppWorker> {
  let spawnedAt = 0;
  const started = await startWorker<AppApi>(
    () => {
      const spawn = adoptOrSpawn();
      spawnedAt = spawn.spawnedAt;
      return spawn;
    },
    { what: 'core', ...options },
  );
  return { api: started.remote, spawnedAt, selfTest: started.selfTest, terminate: started.terminate };
}
