/**
 * The app's Web Worker: the crypto core (wasm/dta.wasm) and the vault of identity keys, served as one
 * comlink object (api/index.ts, startup.ts). The page starts it with createAppWorker() from
 * app-worker-client.ts. Identity secrets are unsealed here, used here, and wiped here; the page only ever
 * gets public data, signed or sealed envelopes, and opened contents.
 *
 * Cold start: this first chunk holds only the wasm loader, the vault database's opening and the start-up handshake,
 * so the wasm's streaming compilation and IndexedDB's opening (creating the database on a first visit) begin as soon
 * as the script runs; the bindings, the vault and every feature's API arrive as a second chunk fetched and evaluated
 * meanwhile. index.html has asked for all of them already (scripts/start-preloads.ts). The `dta:worker-…`
 * performance marks time these steps (bench/app.ts prints them).
 * @module
 */
import { loadCoreModule } from '../core/wasm/loader.ts';
import { serveWhenReady } from './startup.ts';
import { openVaultDb } from './vault/db.ts';

performance.mark('dta:worker-script');
const wasm = loadCoreModule().finally(() => performance.mark('dta:worker-wasm'));
const vaultDb = openVaultDb();
// The envelope code is a chunk that parts shares with the on-demand features: imported here too, it is fetched
// alongside parts instead of after parts has been parsed.
const parts = Promise.all([import('./app-worker-parts.ts'), import('../core/protocol/envelope.ts')]).then(([m]) => {
  performance.mark('dta:worker-chunks');
  return m;
});
// Any may fail before the others settle: its rejection is reported through serveWhenReady (or, for the database,
// as the vault's reason to be unavailable), not as unhandled.
wasm.catch(() => undefined);
vaultDb.catch(() => undefined);
parts.catch(() => undefined);

serveWhenReady(async () => {
  const { buildAppApi } = await parts;
  const api = await buildAppApi(await wasm, vaultDb);
  performance.mark('dta:worker-api');
  return api;
});
