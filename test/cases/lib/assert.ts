/**
 * Tiny assertions for the shared cases (no vitest, no Node APIs: the same
 * code runs in Node and, bundled by Vite, in Chromium against the worker).
 * Failures throw plain Errors whose messages say what differed.
 * @module
 */
import { ERROR_NAMES } from '../../../src/core/errors.ts';

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function assertBytes(got: Uint8Array, want: Uint8Array, what: string): void {
  if (!sameBytes(got, want)) throw new Error(`assertion failed: ${what}: got ${hex(got)}, want ${hex(want)}`);
}

/**
 * Awaits `fn()` and requires it to throw the core error named `name`. A
 * result (a wrong "valid"), another core error, or anything else (a crash:
 * a wasm trap, a TypeError) fails with a message saying which.
 */
export async function rejectsWith(name: string, fn: () => unknown, what: string): Promise<void> {
  let result: unknown;
  try {
    result = await fn();
  } catch (e) {
    const got = e instanceof Error ? e.name : typeof e;
    if (got === name) return;
    const kind = (ERROR_NAMES as readonly string[]).includes(got) ? 'another core error' : 'a crash';
    throw new Error(
      `assertion failed: ${what}: want ${name}, got ${kind}: ${got}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const shown = result instanceof Uint8Array ? `${result.length} bytes` : String(result);
  throw new Error(`assertion failed: ${what}: want ${name}, but it returned ${shown}`);
}
