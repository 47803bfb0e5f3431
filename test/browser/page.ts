/// <reference types="vite/client" />
/**
 * The page side of the browser tests. It starts the core worker, gathers the shared cases (test/cases/*)
 * and the worker's own cases, and exposes `window.dtaHarness` for core.browser.test.ts to drive through
 * Playwright: one `run(name)` per test, with results passed back as plain data.
 * @module
 */
import type { CoreLike } from '../../src/core/types.ts';
import { type CoreWorker, createCoreWorker } from '../../src/worker/core-worker-client.ts';
import { type CaseFn, collectCases } from './collect.ts';
import { workerCases } from './worker-cases.ts';

export interface CaseResult {
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: { readonly name: string; readonly message: string; readonly stack: string };
}

export interface Harness {
  /** Resolves once the worker has loaded the core; rejects with the reason otherwise. */
  readonly ready: Promise<void>;
  names(): string[];
  run(name: string): Promise<CaseResult>;
}

declare global {
  interface Window {
    dtaHarness: Harness;
  }
}

const cases = new Map<string, CaseFn>([
  ...collectCases(import.meta.glob('../cases/*.ts', { eager: true })),
  ...collectCases({ 'worker.ts': workerCases }),
]);

let worker: CoreWorker | undefined;
const status = document.getElementById('status')!;

async function start(): Promise<void> {
  worker = await createCoreWorker({ timeoutMs: 30_000 });
  status.textContent = 'ready';
}

async function run(name: string): Promise<CaseResult> {
  const fn = cases.get(name);
  const t0 = performance.now();
  try {
    if (!fn) throw new Error(`no case named ${name}`);
    if (!worker) throw new Error('the core worker is not running');
    const core: CoreLike = worker.core; // the worker proxy is a CoreLike: checked here at compile time
    await fn(core);
    return { ok: true, ms: performance.now() - t0 };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return {
      ok: false,
      ms: performance.now() - t0,
      error: { name: err.name, message: err.message, stack: err.stack ?? '' },
    };
  }
}

const ready = start();
ready.catch((e: unknown) => {
  status.textContent = `failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
});
window.dtaHarness = { ready, names: () => [...cases.keys()], run };
