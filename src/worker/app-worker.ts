/**
 * The app's Web Worker: the crypto core (wasm/dta.wasm) and the vault of identity keys, exposed as one
 * comlink object (api/index.ts). The page starts it with createAppWorker() from app-client.ts. Identity
 * secrets are unsealed here, used here, and wiped here; the page only ever gets public data, signed or
 * sealed envelopes, and opened contents.
 * @module
 */
import * as Comlink from 'comlink';
import { createCore } from '../core/index.ts';
import { loadCoreModule } from '../core/wasm/loader.ts';
import { createAppApi } from './api/index.ts';
import { installErrorTransfer } from './errors.ts';
import { STARTUP, type StartupMessage } from './protocol.ts';
import { unavailableVault } from './vault/unavailable.ts';
import { createVault, type Vault } from './vault/vault.ts';

function announce(message: StartupMessage): void {
  postMessage(message);
}

async function openVault(bls: Parameters<typeof createVault>[0]['bls']): Promise<Vault> {
  try {
    return await createVault({ bls });
  } catch (e) {
    return unavailableVault(e instanceof Error ? e : new Error(String(e)));
  }
}

async function start(): Promise<void> {
  installErrorTransfer();
  try {
    const core = await createCore({ module: await loadCoreModule() });
    Comlink.expose(createAppApi(core, await openVault(core.bls)));
    announce({ type: STARTUP, ok: true });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    announce({ type: STARTUP, ok: false, name: err.name, message: err.message });
  }
}

void start();
