/**
 * The one message the core worker sends outside comlink: whether the core loaded. The worker exposes the
 * core only after the wasm module is instantiated, and comlink drops calls that arrive before expose(),
 * so the client waits for this message before it sends anything.
 * @module
 */

/** Tag of the start-up message; comlink's own messages never carry it. */
export const STARTUP = 'dta-core-worker-startup';

export type StartupMessage =
  | { readonly type: typeof STARTUP; readonly ok: true }
  | { readonly type: typeof STARTUP; readonly ok: false; readonly name: string; readonly message: string };

export function isStartupMessage(data: unknown): data is StartupMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === STARTUP;
}
