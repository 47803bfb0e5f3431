/**
 * What the app worker builds once its wasm is instantiated and has passed the core's self-test: the core's
 * bindings, the vault (or one that explains why keys cannot be stored here, the core still starting) and the API
 * over both. Loaded by app-worker.ts as its own chunk; the worker reports its start before this has loaded.
 * @module
 */
import { createCore } from '../core/index.ts';
import type { LoadedCore } from '../core/wasm/loader.ts';
import { type AppApi, createAppApi } from './api/index.ts';
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
 * The worker's API over the core module, which app-worker.ts has instantiated and self-tested (assertSelfTest: a
 * worker that starts has passed it; the test is not run twice), and the vault's database, being opened since the
 * worker's start.
 */
export async function buildAppApi(tested: LoadedCore, db: Promise<VaultDb>): Promise<AppApi> {
  const core = await createCore({ module: tested, selfTest: false });
  return createAppApi(core, await openVault(core.bls, db));
}
