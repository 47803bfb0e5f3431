/**
 * The app's Web Worker: the crypto core (wasm/dta.wasm) and the vault of identity keys, served as one
 * comlink object (api/index.ts, startup.ts). The page starts it with createAppWorker() from
 * app-worker-client.ts. Identity secrets are unsealed here, used here, and wiped here; the page only ever
 * gets public data, signed or sealed envelopes, and opened contents.
 *
 * Cold start: this first chunk holds only the wasm loader and the start-up handshake, so the wasm's fetch and
 * streaming compilation begin as soon as the script runs; the bindings, the vault and every feature's API arrive
 * as a second chunk fetched and evaluated meanwhile (bench/app.ts: cold start to interactive).
 * @module
 */
import { loadCoreModule } from '../core/wasm/loader.ts';
import { serveWhenReady } from './startup.ts';

const wasm = loadCoreModule();
// The envelope code is a chunk that parts shares with the on-demand features: imported here too, it is fetched
// alongside parts instead of after parts has been parsed.
const parts = Promise.all([import('./app-worker-parts.ts'), import('../core/protocol/envelope.ts')]).then(([m]) => m);
// Either may fail before the other settles: its rejection is reported through serveWhenReady, not as unhandled.
wasm.catch(() => undefined);
parts.catch(() => undefined);

serveWhenReady(async () => {
  const { buildAppApi } = await parts;
  return buildAppApi(await wasm);
});
