/**
 * The Web Worker that runs the crypto core off the page's main thread. It instantiates wasm/dta.wasm with
 * the core's one loader, builds the Core object and exposes it through comlink; the page talks to it with
 * createCoreWorker() from client.ts. Secrets handled by the core (keys, shares) stay in this worker's
 * memory, and the core zeroes its wasm buffers after every call.
 * @module
 */
import * as Comlink from 'comlink';
import { createCore } from '../core/index.ts';
import { loadCoreModule } from '../core/wasm/loader.ts';
import { installErrorTransfer } from './errors.ts';
import { STARTUP, type StartupMessage } from './protocol.ts';

function announce(message: StartupMessage): void {
  postMessage(message);
}

async function start(): Promise<void> {
  installErrorTransfer();
  try {
    const core = await createCore({ module: await loadCoreModule() });
    Comlink.expose(core);
    announce({ type: STARTUP, ok: true });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    announce({ type: STARTUP, ok: false, name: err.name, message: err.message });
  }
}

void start();
