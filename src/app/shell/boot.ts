/**
 * Starting the app: the worker (core + vault) and the first read of the vault, then the core's self-test, which the
 * worker runs after that read (before the core's first use: the first screen needs no crypto) and which fails the
 * start if it fails. The state is one signal the shell renders: starting, ready, or failed with the reason. The `dta:…`
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
      /** The core's self-test: running while the first screen shows, then passed (failed: the boot failed). */
      readonly selfTest: 'running' | 'passed';
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
    setBoot({ state: 'ready', worker, vault, selfTest: 'running', ms: performance.now() - worker.spawnedAt });
    // Run once, in the worker (About runs it again on request); the worker refuses the core until it has passed.
    await worker.selfTest;
    performance.mark('dta:self-test');
    setBoot({ state: 'ready', worker, vault, selfTest: 'passed', ms: performance.now() - worker.spawnedAt });
  } catch (error) {
    setBoot({ state: 'failed', error });
  }
}

/** Starts the app once; later calls return the same promise. */
export function startApp(): Promise<void> {
  started ??= run();
  return started;
}
