/**
 * The browser suite: every shared core case (test/cases/*) and the worker's own cases, each as its own
 * test, run in Debian Chromium against the core in a Web Worker (src/worker). The page is a production
 * build served by Vite on 127.0.0.1; see session.ts.
 */
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCases } from './collect.ts';
import { type BrowserSession, startSession } from './session.ts';
import { workerCases } from './worker-cases.ts';

/** Time limit of one case, page round trip included. */
const CASE_MS = 60_000;

async function sharedCaseModules(): Promise<Record<string, unknown>> {
  const dir = new URL('../cases/', import.meta.url);
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.ts'));
  const modules: Record<string, unknown> = {};
  for (const f of files) modules[f] = await import(new URL(f, dir).href);
  return modules;
}

// The same collection the page does, so each case is named (and reported) here before the browser runs it.
const names = [...collectCases(await sharedCaseModules()).keys(), ...collectCases({ 'worker.ts': workerCases }).keys()];

describe('Chromium: the core in a Web Worker', () => {
  let session: BrowserSession | undefined;

  beforeAll(async () => {
    session = await startSession();
  });

  afterAll(async () => {
    await session?.close();
  });

  const open = (): BrowserSession => {
    if (!session) throw new Error('no browser session');
    return session;
  };

  it('the page collected the same cases as Node', async () => {
    expect(await open().names()).toEqual(names);
  });

  for (const name of names) {
    it(
      name,
      async () => {
        const result = await open().run(name, CASE_MS);
        if (!result.ok) {
          // Rebuild the page's error so vitest reports its name, message and (page) stack.
          const e = new Error(result.error?.message ?? 'failed without an error');
          e.name = result.error?.name ?? 'Error';
          e.stack = `${e.name}: ${e.message}\n    (in Chromium, through the core worker)\n${result.error?.stack ?? ''}`;
          throw e;
        }
      },
      CASE_MS + 5_000,
    );
  }

  it('index.html runs the self-test in the worker and shows the result', async () => {
    const page = await open().page.context().newPage();
    try {
      await page.goto(`${open().origin}index.html`);
      await page.waitForSelector('#self-test[data-state="done"]:not([data-self-test="running"])', { timeout: 30_000 });
      expect(await page.textContent('#self-test')).toBe('core self-test: passed');
    } finally {
      await page.close();
    }
  });

  it('the page made no request outside the local server', () => {
    expect(open().externalRequests).toEqual([]);
  });

  it('no uncaught error or console error on the page', () => {
    expect(open().pageErrors).toEqual([]);
  });
});
