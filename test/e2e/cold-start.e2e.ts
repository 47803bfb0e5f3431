// A first visit's start (issue 14, Deliver 6: cold start to interactive) in Chromium, on the suite's build:
//  - the built index.html's first script is the early script (scripts/early-worker.ts), inline right after
//    `<meta charset>` and allowed by its hash in the page's CSP, which spawns the app worker before the page's modules
//    have even arrived: its `dta:worker-spawn` mark precedes the one the page's modules set first
//    (`dta:page-modules`), and the page adopts that worker (exactly one app worker runs);
//  - index.html prefetches what the app worker fetches before it can start (its first chunks, the wasm:
//    scripts/start-preloads.ts), and nothing else of the worker's; in a fresh context at phone size, the worker then
//    finds every one of them in the HTTP cache: each crossed the network once, its own script too, and none twice;
//  - the app is interactive with the core's self-test passed (run once, in the worker) and no console error;
//  - a worker that reports its start before the page listens is still heard (the early script keeps its message);
//  - without the early script (the dev server, or a host whose CSP lacks its hash), the page spawns the worker itself.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openApp, waitForCore } from './app.ts';
import { newAppContext, PHONE } from './browser.ts';
import { LIMITS } from './limits.ts';
import { startWorld, type World } from './world.ts';

let world: World;
let indexHtml: string;

beforeAll(async () => {
  world = await startWorld();
  indexHtml = await readFile(join(inject('appDir'), 'index.html'), 'utf8');
});

afterAll(async () => {
  await world?.cleanup.run();
});

/** The value of `attr` on each of index.html's `<tag>` elements that `filter` accepts, in document order. */
function htmlAttrs(tag: string, attr: string, filter: RegExp = /./): string[] {
  const elements = indexHtml.match(new RegExp(`<${tag}\\b[^>]*>`, 'g')) ?? [];
  return elements.filter((e) => filter.test(e)).map((e) => new RegExp(`\\b${attr}="([^"]+)"`).exec(e)?.[1] ?? '');
}

/** The early script, inline right after `<meta charset>` (first in index.html's `<head>`): its whole element. */
function earlyScript(): string {
  const early = /<head>\s*<meta charset="utf-8" \/>\s*(<script>[\s\S]*?<\/script>)/.exec(indexHtml)?.[1];
  expect(early, "the early script follows <meta charset> at the top of index.html's <head>").toBeDefined();
  return early!;
}

/** The page's entry module (what the early script must not wait for). */
function entryModule(): string {
  const entries = htmlAttrs('script', 'src', /\btype="module"/);
  expect(entries).toHaveLength(1);
  return entries[0]!;
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

/** The page's `dta:` marks by name (the first of each), ms from navigation start. */
function pageMarks(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const marks: Record<string, number> = {};
    for (const m of performance.getEntriesByType('mark')) marks[m.name] ??= m.startTime;
    return marks;
  });
}

/** The page's app workers (a page that adopted the early worker and spawned another would show two). */
function appWorkers(page: Page): Worker[] {
  return page.workers().filter((w) => /\/app-worker-[\w-]+\.js$/.test(new URL(w.url()).pathname));
}

describe('cold start', () => {
  it('the early script spawns the app worker, the page adopts it; its start files come from the HTTP cache', async () => {
    const early = earlyScript();
    const prefetches = htmlAttrs('link', 'href', /\brel="prefetch"/);
    expect(prefetches.filter((p) => /\.wasm$/.test(p))).toHaveLength(1);

    const device = await newAppContext(world.browser, world.cleanup, { viewport: PHONE });
    const page = await device.newPage();
    await openApp(page, world.app.origin);
    const workers = appWorkers(page);
    expect(workers, 'exactly one app worker runs').toHaveLength(1);
    const worker = workers[0]!;
    const workerScript = new URL(worker.url()).pathname;
    expect(prefetches).not.toContain(workerScript);
    expect(early).toContain(JSON.stringify(workerScript));
    // Allowed by its hash, nothing inline besides.
    const csp =
      (await page.evaluate(() =>
        fetch('/', { cache: 'no-store' }).then((r) => r.headers.get('content-security-policy')),
      )) ?? '';
    const text = /<script>([\s\S]*)<\/script>/.exec(early)![1]!;
    const hash = `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(/script-src ([^;]*)/.exec(csp)?.[1]).toBe(`'self' ${hash}`);

    // Spawned before the page's modules ran, and adopted: the early script's hand-over is gone.
    const marks = await pageMarks(page);
    expect(marks['dta:worker-spawn']).toBeLessThan(marks['dta:page-modules']!);
    expect(marks['dta:worker-up']).toBeGreaterThan(marks['dta:worker-spawn']!);
    expect(await page.evaluate(() => 'dtaEarlyAppWorker' in self)).toBe(false);

    // Everything the worker fetched to start (the wasm, its chunks) was prefetched, the chunks of the API it loads
    // right after its start included (src/worker/app-worker.ts: its `dta:worker-whole` mark)...
    for (let tries = 0; tries < 100; tries++) {
      if (await worker.evaluate(() => performance.getEntriesByName('dta:worker-whole').length > 0)) break;
      await page.waitForTimeout(100);
    }
    const byWorker = await worker.evaluate(fetchedHere);
    expect(byWorker.length).toBeGreaterThan(0);
    expect(byWorker.map((f) => f.path).sort()).toEqual([...prefetches].sort());
    // ... and came out of the HTTP cache: the page's prefetch had fetched it.
    expect(byWorker.filter((f) => f.transferSize > 0)).toEqual([]);
    const byPage = await page.evaluate(fetchedHere);
    for (const path of [workerScript, ...prefetches]) {
      const overNetwork = byPage.filter((f) => f.path === path && f.transferSize > 0);
      expect(overNetwork, `${path} crossed the network once`).toHaveLength(1);
    }
    expect(device.errors).toEqual([]);
  });

  it("hears a worker that reported its start before the page's modules listened", async () => {
    const device = await newAppContext(world.browser, world.cleanup, { viewport: PHONE });
    const page = await device.newPage();
    // The entry module is held until the worker is up (its last start mark, src/worker/app-worker.ts).
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const entry = entryModule();
    await page.route(`${world.app.origin}${entry}`, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(world.app.origin, { waitUntil: 'commit' });
    let reported = false;
    for (let tries = 0; tries < 150 && !reported; tries++) {
      await page.waitForTimeout(100);
      const worker = appWorkers(page)[0];
      const api = await worker?.evaluate(() => performance.getEntriesByName('dta:worker-api').length).catch(() => 0);
      reported = (api ?? 0) > 0;
    }
    // Past its report: its start-up message has been posted, with only the early script listening.
    await page.waitForTimeout(200);
    const beforeEntry = await pageMarks(page);
    release();
    expect(reported, "the worker reported its start while the page's entry was held").toBe(true);
    expect(beforeEntry['dta:page-modules']).toBeUndefined();
    await waitForCore(page);
    expect(appWorkers(page)).toHaveLength(1);
    expect(device.errors).toEqual([]);
  });

  it('without the early script, the page spawns the worker itself', async () => {
    const device = await newAppContext(world.browser, world.cleanup, { viewport: PHONE });
    const page = await device.newPage();
    const early = earlyScript();
    // The page as the node sends it (its CSP included), the early script left out.
    await page.route(`${world.app.origin}/`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: (await response.text()).replace(early, '') });
    });
    await page.goto(`${world.app.origin}/`, { waitUntil: 'commit', timeout: LIMITS.loadMs });
    await waitForCore(page);
    expect(appWorkers(page)).toHaveLength(1);
    const marks = await pageMarks(page);
    expect(marks['dta:worker-spawn']).toBeGreaterThan(marks['dta:page-modules']!);
    expect(device.errors).toEqual([]);
  });
});
