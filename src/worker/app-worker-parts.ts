/**
 * What the app worker builds once its wasm is instantiated: the core's bindings, the vault (or one that explains
 * why keys cannot be stored here, the core still starting) and the API over both. Loaded by app-worker.ts as
 * its own chunk, in parallel with the wasm.
 * @module
 */
import { createCore } from '../core/index.ts';
import type { LoadedCore } from '../core/wasm/loader.ts';
import { createAppApi } from './api/index.ts';
import type { VaultDb } from './vault/db.ts';
import { unavailableVault } from './vault/unavailable.ts';
import { createVault, type Vault, type VaultOptions } from './vault/vault.ts';

async function openVault(bls: VaultOptions['bls'], db: Promise<VaultDb>): Promise<Vault> {
  try {
    return await createVault({ bls, db });
  } catch (e) {
    return unavailableVault(e instanceof Error ? e : new Error(String(e)));
  }
}

/**
 * The worker's API over the instantiated core module (createCore runs the core's self-test: a worker that starts
 * has passed it) and the vault's database, being opened since the worker's start.
 */
export async function buildAppApi(module: LoadedCore, db: Promise<VaultDb>): Promise<object> {
  const core = await createCore({ module });
  return createAppApi(core, await openVault(core.bls, db));
}
