/**
 * The app's Web Worker: the crypto core (wasm/dta.wasm) and the vault of identity keys, served as one
 * comlink object (api/index.ts, startup.ts). The page starts it with createAppWorker() from
 * app-worker-client.ts. Identity secrets are unsealed here, used here, and wiped here; the page only ever
 * gets public data, signed or sealed envelopes, and opened contents.
 *
 * Cold start: this first chunk holds only the wasm loader, the core's self-test, the vault database's opening, the
 * vault's first read and the start-up handshake. The worker reports its start once the wasm is instantiated and has
 * passed the self-test; the page's first call, the vault's state, is answered from the database (api/early.ts). The
 * rest (the core's bindings, the vault, the envelope code: app-worker-parts.ts) is loaded after, and a call that
 * needs it before awaits it (api/on-demand.ts). index.html has asked for all of these files already
 * (scripts/start-preloads.ts). The `dta:worker-…` performance marks time these steps (bench/app.ts prints them).
 * @module
 */
import { loadCoreModule } from '../core/wasm/loader.ts';
import { assertSelfTest } from '../core/wasm/self-test.ts';
import { answersBeforeLoad } from './api/early.ts';
import type { AppApi } from './api/index.ts';
import { onDemand } from './api/on-demand.ts';
import { serveWhenReady } from './startup.ts';
import { openVaultDb } from './vault/db.ts';

performance.mark('dta:worker-script');
const wasm = loadCoreModule().finally(() => performance.mark('dta:worker-wasm'));
const vaultDb = openVaultDb();
// Either may fail before the other settles: its rejection is reported through serveWhenReady (or, for the
// database, as the vault's reason to be unavailable), not as unhandled.
wasm.catch(() => undefined);
vaultDb.catch(() => undefined);

/** The bindings and the vault's code; the envelope code, a chunk parts shares with the features, fetched alongside. */
const loadParts = () =>
  Promise.all([import('./app-worker-parts.ts'), import('../core/protocol/envelope.ts')]).then(([m]) => {
    performance.mark('dta:worker-chunks');
    return m;
  });

let whole: Promise<AppApi> | undefined;
/** The whole API, built once. */
const wholeApi = (): Promise<AppApi> => {
  whole ??= Promise.all([loadParts(), wasm])
    .then(async ([{ buildAppApi }, tested]) => {
      const api = await buildAppApi(tested, vaultDb);
      performance.mark('dta:worker-whole');
      return api;
    })
    .catch((e: unknown) => {
      // A chunk that failed to arrive is asked for again on the next call that needs it.
      whole = undefined;
      throw e;
    });
  return whole;
};

serveWhenReady(async () => {
  assertSelfTest(await wasm);
  performance.mark('dta:worker-api');
  // Once the page has its first screen's state, the rest loads (before, it would hold up that answer).
  const afterFirstRead = () => setTimeout(() => void wholeApi().catch(() => undefined), 0);
  return onDemand(wholeApi, answersBeforeLoad(vaultDb, afterFirstRead));
});
