/**
 * The one message the core worker sends outside comlink: whether the core loaded. The worker exposes the
 * core only after the wasm module is instantiated, and comlink drops calls that arrive before expose(),
 * so the client waits for this message before it sends anything (whenStarted).
 * @module
 */
import { DtaError } from '../core/errors.ts';
import { fromWire } from './errors.ts';

/** Tag of the start-up message; comlink's own messages never carry it. */
export const STARTUP = 'dta-core-worker-startup';

export type StartupMessage =
  | { readonly type: typeof STARTUP; readonly ok: true }
  | { readonly type: typeof STARTUP; readonly ok: false; readonly name: string; readonly message: string };

export function isStartupMessage(data: unknown): data is StartupMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === STARTUP;
}

function startupError(message: string): DtaError {
  return new DtaError(`worker start-up: ${message}`);
}

/** Resolves when the worker reports the core loaded; rejects on its failure, a worker error or the timeout. */
export function whenStarted(worker: Worker, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onMessage = (ev: MessageEvent) => {
      if (!isStartupMessage(ev.data)) return;
      done(ev.data.ok ? undefined : fromWire(ev.data));
    };
    const onError = (ev: ErrorEvent) => done(startupError(`the worker failed to start: ${ev.message || 'script error'}`));
    const timer = setTimeout(() => done(startupError(`the core did not load within ${timeoutMs} ms`)), timeoutMs);
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
  });
}

