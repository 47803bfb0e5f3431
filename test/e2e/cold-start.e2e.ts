// A first visit's start (issue 14, Deliver 6: cold start to interactive) in Chromium, on the suite's build:
//  - the built index.html prefetches what the app worker fetches before it can start (its script, its first chunks,
//    the wasm: scripts/start-preloads.ts), and nothing else of the worker's;
//  - in a fresh context at phone size, the worker then finds every one of them in the HTTP cache: each crossed the
//    network once, for the page's prefetch, and none twice;
//  - the app is interactive with the core's self-test passed (run once, in the worker) and no console error.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openApp } from './app.ts';
import { newAppContext, PHONE } from './browser.ts';
import { startWorld, type World } from './world.ts';

let world: World;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world?.cleanup.run();
});

/** The hrefs of index.html's `<link rel="prefetch">` tags. */
async function prefetched(): Promise<string[]> {
  const html = await readFile(join(inject('appDir'), 'index.html'), 'utf8');
  const links = html.match(/<link\b[^>]*>/g) ?? [];
  return links.filter((l) => /\brel="prefetch"/.test(l)).map((l) => /\bhref="([^"]+)"/.exec(l)?.[1] ?? '');
}

interface Fetched {
  readonly path: string;
  /** Bytes on the wire; 0 when the HTTP cache answered. */
  readonly transferSize: number;
}

/** What this global (a page or a worker) fetched, from its own resource timing. */
function fetchedHere(): Fetched[] {
  return performance
    .getEntriesByType('resource')
    .map((r) => ({ path: new URL(r.name).pathname, transferSize: (r as PerformanceResourceTiming).transferSize }));
}

describe('cold start', () => {
  it("index.html prefetches the app worker's start files; the worker takes them from the HTTP cache", async () => {
    const prefetches = await prefetched();
    expect(prefetches.filter((p) => /\.wasm$/.test(p))).toHaveLength(1);

    const device = await newAppContext(world.browser, world.cleanup, { viewport: PHONE });
    const page = await device.newPage();
    await openApp(page, world.app.origin);
    const worker = page.workers().find((w) => /\/app-worker-[\w-]+\.js$/.test(new URL(w.url()).pathname));
    expect(worker, 'the app worker runs').toBeDefined();
    const workerScript = new URL(worker!.url()).pathname;
    expect(prefetches).toContain(workerScript);

    // Everything the worker fetched to start (the wasm, its chunks) was prefetched, and so was its own script...
    const byWorker = await worker!.evaluate(fetchedHere);
    expect(byWorker.length).toBeGreaterThan(0);
    expect([workerScript, ...byWorker.map((f) => f.path)].sort()).toEqual([...prefetches].sort());
    // ... and came out of the HTTP cache: the page's prefetch had fetched it.
    expect(byWorker.filter((f) => f.transferSize > 0)).toEqual([]);
    const byPage = await page.evaluate(fetchedHere);
    for (const path of prefetches) {
      const overNetwork = byPage.filter((f) => f.path === path && f.transferSize > 0);
      expect(overNetwork, `${path} crossed the network once`).toHaveLength(1);
    }
    expect(device.errors).toEqual([]);
  });
});
