/**
 * The app's Web Worker: the crypto core (wasm/dta.wasm) and the vault of identity keys, served as one
 * comlink object (api/index.ts, startup.ts). The page starts it with createAppWorker() from
 * app-worker-client.ts. Identity secrets are unsealed here, used here, and wiped here; the page only ever
 * gets public data, signed or sealed envelopes, and opened contents.
 *
 * Cold start: this first chunk holds only the wasm loader, the core's self-test, the vault database's opening, the
 * vault's first read and the start-up handshake. The worker reports its start once the wasm is instantiated; the
 * page's first call, the vault's state, is answered from the database (api/early.ts), read since the database
 * opened. Then the core's self-test runs (conditionalSelfTest: before the core's first use, not before the first
 * screen, which needs no crypto; the page hears its outcome, startup.ts) and the rest (the core's bindings, the
 * vault, the envelope code: app-worker-parts.ts) loads; a call that needs it before awaits it (api/on-demand.ts),
 * and it is built only over a core that has passed. index.html has asked for all of these files already
 * (scripts/start-preloads.ts). The `dta:worker-…` performance marks time these steps (bench/app.ts prints them).
 * @module
 */
import { loadCoreModule } from '../core/wasm/loader.ts';
import { conditionalSelfTest } from '../core/wasm/self-test.ts';
import { answersBeforeLoad, readEarlyState } from './api/early.ts';
import type { AppApi } from './api/index.ts';
import { onDemand } from './api/on-demand.ts';
import { serveWhenReady } from './startup.ts';
import { openVaultDb } from './vault/db.ts';

performance.mark('dta:worker-script');
const wasm = loadCoreModule().finally(() => performance.mark('dta:worker-wasm'));
const vaultDb = openVaultDb();
// The page's first call; read while the wasm compiles.
const firstState = readEarlyState(vaultDb);
// Each may fail before the others settle: its rejection is reported through serveWhenReady (or, for the
// database, as the vault's reason to be unavailable; for the first read, to the page's first call), not as unhandled.
wasm.catch(() => undefined);
vaultDb.catch(() => undefined);
firstState.catch(() => undefined);
const selfTest = conditionalSelfTest(wasm);
selfTest.outcome.then(
  () => performance.mark('dta:worker-self-test'),
  () => undefined,
);

/** The bindings and the vault's code; the envelope code, a chunk parts shares with the features, fetched alongside. */
const loadParts = () =>
  Promise.all([import('./app-worker-parts.ts'), import('../core/protocol/envelope.ts')]).then(([m]) => {
    performance.mark('dta:worker-chunks');
    return m;
  });

let whole: Promise<AppApi> | undefined;
/** The whole API, built once. */
const wholeApi = (): Promise<AppApi> => {
  // The chunks are asked for first: they arrive while the self-test runs.
  whole ??= Promise.all([loadParts(), selfTest.run()])
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
  // A core that does not load stops the start; one that fails its self-test is refused at its first use.
  await wasm;
  performance.mark('dta:worker-api');
  // Once the page has its first screen's state, the self-test runs and the rest loads (before, they would hold up
  // that answer).
  const afterFirstRead = () => setTimeout(() => void wholeApi().catch(() => undefined), 0);
  return onDemand(wholeApi, answersBeforeLoad(vaultDb, afterFirstRead, firstState));
}, selfTest.outcome);
