/**
 * Starting a Web Worker that serves one API through comlink, the same way for every worker.
 *
 * Worker side, serveWhenReady(init): the API is built first (the core's wasm instantiated, the vault
 * opened) and exposed only then, because comlink drops calls that arrive before expose(). One message
 * outside comlink then says whether the start succeeded, with the failure's name and message (never a
 * stack) when it did not.
 *
 * Page side, startWorker(spawn): waits for that message (or the worker's own error, or a time limit),
 * stops the worker on failure, and returns the API through comlink. The caller spawns the Worker itself,
 * because bundlers find worker scripts only in the literal `new Worker(new URL('…', import.meta.url))`.
 * @module
 */
import * as Comlink from 'comlink';
import { DtaError } from '../core/errors.ts';
import { fromWire, installErrorTransfer } from './errors.ts';
import type { RemoteNamespace } from './remote.ts';

/** Tag of the start-up message; comlink's own messages never carry it (bench/app.ts looks for it too). */
const STARTUP = 'dta-worker-startup';

type StartupMessage =
  | { readonly type: typeof STARTUP; readonly ok: true }
  | { readonly type: typeof STARTUP; readonly ok: false; readonly name: string; readonly message: string };

function isStartupMessage(data: unknown): data is StartupMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === STARTUP;
}

/** The worker did not start: it failed to load, or did not report within the time limit. */
class WorkerStartError extends DtaError {
  override name = 'WorkerStartError';
}

/** In the worker: builds the API, exposes it, and reports the start (or why it failed) to the page. */
export function serveWhenReady(init: () => Promise<object>): void {
  installErrorTransfer();
  const report = (message: StartupMessage) => postMessage(message);
  init().then(
    (api) => {
      Comlink.expose(api);
      report({ type: STARTUP, ok: true });
    },
    (e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      report({ type: STARTUP, ok: false, name: err.name, message: err.message });
    },
  );
}

/**
 * Resolves when the worker reports its start; rejects on its failure, a worker error or the timeout. `earlier`:
 * the worker's events from before anyone listened, looked at first.
 */
function whenStarted(worker: Worker, what: string, timeoutMs: number, earlier: readonly Event[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onMessage = (ev: MessageEvent) => {
      if (isStartupMessage(ev.data)) done(ev.data.ok ? undefined : fromWire(ev.data));
    };
    const onError = (ev: ErrorEvent) =>
      done(new WorkerStartError(`worker start-up: the worker failed to start: ${ev.message || 'script error'}`));
    const timer = setTimeout(
      () => done(new WorkerStartError(`worker start-up: the ${what} did not load within ${timeoutMs} ms`)),
      timeoutMs,
    );
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
    for (const event of earlier) {
      if (event.type === 'error') onError(event as ErrorEvent);
      else if (event.type === 'message') onMessage(event as MessageEvent);
    }
  });
}

/**
 * A worker spawned before the page could listen (index.html's first script, scripts/early-worker.ts), with its
 * `message` and `error` events so far in order: its start-up message may be among them.
 */
export interface SpawnedWorker {
  readonly worker: Worker;
  readonly earlier: readonly Event[];
}

export interface StartedWorker<T> {
  /** The worker's API: every method async. */
  readonly remote: RemoteNamespace<T>;
  /** Stops the worker at once; calls still pending never settle, later calls throw. */
  terminate(): void;
}

export interface WorkerStartOptions {
  /** What the worker loads, for the timeout's message ("core"). */
  readonly what: string;
  /** How long the worker may take to start (default 30 s). */
  readonly timeoutMs?: number;
}

/** On the page: spawns the worker and waits for its start; rejects (and stops it) if it does not start. */
export async function startWorker<T>(
  spawn: () => Worker | SpawnedWorker,
  options: WorkerStartOptions,
): Promise<StartedWorker<T>> {
  installErrorTransfer();
  const spawned = spawn();
  const { worker, earlier } = 'earlier' in spawned ? spawned : { worker: spawned, earlier: [] };
  try {
    await whenStarted(worker, options.what, options.timeoutMs ?? 30_000, earlier);
  } catch (e) {
    worker.terminate();
    throw e;
  }
  const remote = Comlink.wrap<T>(worker);
  return {
    remote: remote as unknown as RemoteNamespace<T>,
    terminate: () => {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
