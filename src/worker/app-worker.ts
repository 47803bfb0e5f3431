/**
 * The app's Web Worker: the crypto core (wasm/dta.wasm) and the vault of identity keys, served as one
 * comlink object (api/index.ts, startup.ts). The page starts it with createAppWorker() from
 * app-worker-client.ts. Identity secrets are unsealed here, used here, and wiped here; the page only ever
 * gets public data, signed or sealed envelopes, and opened contents.
 * @module
 */
import { createCore } from '../core/index.ts';
import { loadCoreModule } from '../core/wasm/loader.ts';
import { createAppApi } from './api/index.ts';
import { serveWhenReady } from './startup.ts';
import { unavailableVault } from './vault/unavailable.ts';
import { createVault, type Vault } from './vault/vault.ts';

/** The vault, or one that explains why keys cannot be stored here (the core still starts). */
async function openVault(bls: Parameters<typeof createVault>[0]['bls']): Promise<Vault> {
  try {
    return await createVault({ bls });
  } catch (e) {
    return unavailableVault(e instanceof Error ? e : new Error(String(e)));
  }
}

serveWhenReady(async () => {
  const core = await createCore({ module: await loadCoreModule() });
  return createAppApi(core, await openVault(core.bls));
});
