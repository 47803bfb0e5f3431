/**
 * Time limits of the e2e suite and the helper that enforces them. Every wait in the suite is bounded: a
 * Playwright call by the context's default timeout (UI_MS), anything else by withTimeout.
 * @module
 */

export const LIMITS = Object.freeze({
  /** One UI step: a click, a fill, a text to appear. */
  uiMs: 15_000,
  /** A step that runs crypto in the worker or talks to nodes (identity creation, an order, a login). */
  slowMs: 45_000,
  /** Page navigation, including the first load of the worker and the wasm. */
  loadMs: 45_000,
  /** Launching Chromium. */
  launchMs: 30_000,
  /** Each teardown step. */
  closeMs: 15_000,
});

export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/** Runs teardown steps last-in first-out, each bounded; never throws. */
export class Cleanup {
  readonly #steps: Array<{ what: string; step: () => Promise<unknown> }> = [];

  add(what: string, step: () => Promise<unknown>): void {
    this.#steps.push({ what, step });
  }

  async run(): Promise<void> {
    while (this.#steps.length > 0) {
      const { what, step } = this.#steps.pop()!;
      await withTimeout(Promise.resolve().then(step), LIMITS.closeMs, `closing ${what}`).catch((e: unknown) => {
        console.error(`e2e cleanup: ${(e as Error).message}`);
      });
    }
  }
}
