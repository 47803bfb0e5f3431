/**
 * Starting the app: the worker (core + vault; the worker's start includes the core's self-test) and the first read
 * of the vault. The state is one signal the shell renders: starting, ready, or failed with the reason. The `dta:…`
 * performance marks time the steps (bench/app.ts prints them with the worker's own).
 * @module
 */
import { createSignal } from 'solid-js';
import { type AppWorker, createAppWorker } from '../../worker/app-worker-client.ts';
import { createVaultStore, type VaultStore } from '../keys/store.ts';

export type Boot =
  | { readonly state: 'starting' }
  | {
      readonly state: 'ready';
      readonly worker: AppWorker;
      readonly vault: VaultStore;
      readonly selfTest: boolean;
      readonly ms: number;
    }
  | { readonly state: 'failed'; readonly error: unknown };

const [boot, setBoot] = createSignal<Boot>({ state: 'starting' });

/** The start-up state (reactive). */
export { boot };

let started: Promise<void> | undefined;

async function run(): Promise<void> {
  try {
    // Adopts the worker index.html's first script spawned, if any (it marks `dta:worker-spawn` when spawned).
    const worker = await createAppWorker({ timeoutMs: 30_000 });
    performance.mark('dta:worker-up');
    const vault = createVaultStore(worker.api);
    await vault.refresh();
    performance.mark('dta:vault-read');
    // The worker reports its start only once createCore's self-test has passed (it fails to start otherwise), so
    // the page does not run the test a second time before the first screen (About runs it again on request).
    setBoot({ state: 'ready', worker, vault, selfTest: true, ms: performance.now() - worker.spawnedAt });
  } catch (error) {
    setBoot({ state: 'failed', error });
  }
}

/** Starts the app once; later calls return the same promise. */
export function startApp(): Promise<void> {
  started ??= run();
  return started;
}
