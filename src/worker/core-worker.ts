/**
 * The Web Worker that runs the crypto core off the page's main thread. It instantiates wasm/dta.wasm with
 * the core's one loader, builds the Core object and serves it (startup.ts); the page talks to it with
 * createCoreWorker() from core-worker-client.ts. Secrets handled by the core (keys, shares) stay in this
 * worker's memory, and the core zeroes its wasm buffers after every call.
 * @module
 */
import { createCore } from '../core/index.ts';
import { loadCoreModule } from '../core/wasm/loader.ts';
import { serveWhenReady } from './startup.ts';

serveWhenReady(async () => createCore({ module: await loadCoreModule() }));
