/**
 * App rows of `npm run bench` (issue 5): the built app (src/app) in Debian Chromium, a fresh production build
 * served on http://localhost the way a node serves it (its app-static plugin), against a local node (in this
 * process, temp home, loopback, CORS for the app's origin).
 *  - sizes of the build by kind (JS, wasm, CSS, the rest), raw and gzip -9, and the bytes a cold first visit
 *    actually transferred (Chromium's network log, headers included);
 *  - cold start to interactive: a fresh browser context (empty HTTP cache, no service worker, no IndexedDB),
 *    navigation start to the first moment the app's interactive marker is in the DOM; and the warm start (a
 *    reload in the same context, served by the service worker / HTTP cache);
 *  - worker + wasm initialisation: the app's own built core worker, `new Worker()` to its start-up message
 *    (wasm fetched, compiled, instantiated, core self-test), cold (first in a fresh context) and warm;
 *  - a full order round trip through the app's screens against the node (see orderRoundTrip).
 * Run alone: `node bench/app.ts [--quick]`.
 * @module
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Browser, Page, Request } from 'playwright-core';
import { addNode, createIdentity, goTo, openApp } from '../test/e2e/app.ts';
import { buildApp, serveApp } from '../test/e2e/app-build.ts';
import { launchChromium, newAppContext, PHONE } from '../test/e2e/browser.ts';
import { Cleanup, LIMITS, withTimeout } from '../test/e2e/limits.ts';
import { setNodeHomesRoot, startE2eNode } from '../test/e2e/nodes.ts';
import { launchCdpChromium } from './cdp-visit.ts';
import { median } from './measure.ts';

export interface AppRow {
  readonly op: string;
  /** 'ms': median of `runs` (with min and max); 'bytes': a size (gzip: its gzip -9 size, when it applies). */
  readonly unit: 'ms' | 'bytes';
  readonly value: number;
  readonly min?: number;
  readonly max?: number;
  readonly runs?: number;
  readonly gzip?: number;
  /** Bytes on the wire (compressed bodies and headers) of what a visit loaded. */
  readonly wire?: number;
  readonly files?: number;
  /** Issue 14's target for the row's value (ms or bytes): the table says whether the run met it. */
  readonly target?: number;
}

/** Issue 14's targets: cold start at phone size (median) and the JS a first visit transfers. */
export const APP_TARGETS = Object.freeze({ coldStartMs: 400, firstVisitJsWireBytes: 250 * 1024 });

export interface AppBenchOptions {
  /** Measured runs of each timing (default 5). */
  readonly runs?: number;
}

export const APP_NOTES = [
  "App rows: a production build (vite build, the project's vite.config.ts) served by the node's app-static plugin on 127.0.0.1, " +
    'opened as http://localhost in headless Debian Chromium (playwright-core); no throttling: loopback, 2 cores.',
  'cold start = fresh context at phone size (no cache, no service worker, no IndexedDB), navigation start to the ' +
    'interactive marker (APP_INTERACTIVE) in the DOM, in Chromium driven over CDP alone (bench/cdp-visit.ts): nothing ' +
    "attached to the page's workers, as in a person's browser. The row under it is the same visit under Playwright, " +
    'which pauses each new worker until it has instrumented it (a round trip to this busy Node process, between ' +
    "`new Worker()` and the worker's first line); warm start = reload of the same context (service worker and HTTP cache).",
  '"cold: …" rows = when each step of the Playwright cold start ended, ms from navigation start (median of the cold visits): ' +
    "the app's dta: performance marks, the worker's put on the page's clock, then the start screen's first control " +
    "(START_SCREEN_CONTROLS; its chunk is fetched while the worker starts); index.html's first script has spawned the " +
    'worker (scripts/early-worker.ts) and the page has prefetched its first chunks and the wasm ' +
    "(scripts/start-preloads.ts), so the worker finds them in the HTTP cache. The core's self-test runs after the " +
    "first read, before the core's first use (src/core/wasm/self-test.ts): its row says when the footer said it passed.",
  "worker + wasm init = new Worker(<the app's built app worker>) to its start-up message (fetch, compile and " +
    'instantiate the wasm; the core self-test and the vault read come after it); cold = first in a fresh context, warm = later ones.',
  'order round trip: in one context against a local node (in process, loopback): Safeguard pressed (typed 32-byte ' +
    "secret, beneficiary = me) to the order page with the node's signed reply checked; then the chain verified there; " +
    'then Retrieve pressed to the secret on screen (redeem signed, reply opened in the worker); after one warm-up order; ' +
    'timed from Node around the Playwright steps (includes a few ms of CDP round trips).',
  'sizes: files of the build by kind, raw and gzip -9; "first visit" = what a first visit fetched until the service ' +
    "worker is active (+0.5 s), the page's own requests by kind and the service worker's precache apart, decoded, and on the wire (headers included; the node compresses what it serves, br or gzip as Chromium asks: src/node/http/compression.ts; the wire " +
    "size of a worker's own script is estimated as brotli 4 or gzip -6 of it, as Chromium reports none).",
  '"JS transferred" = the transferSize (compressed body and headers, as Chromium counts them) of every JS resource in ' +
    "the page's resource timing at the end of the first visit, the app worker's script and (from the worker's own " +
    'resource timing) the chunks it imports included; median of the cold ' +
    'visits. Targets (issue 14): cold start ≤ 400 ms median at phone size (390×844), first-visit JS ≤ 250 kB.',
];

/**
 * What "interactive" means: the first of these selectors in the DOM. The shell's footer says the app has started
 * (`data-state="done"`) once the app worker is up (wasm instantiated) and the vault has been read, which is when the
 * shell renders the first screen (create or unlock an identity); that screen's chunk is fetched meanwhile
 * (src/app/shell/routes.tsx), and the bench also prints when its controls appear (START_SCREEN_CONTROLS). The
 * core's self-test runs next, before anything uses the core (a call that needs it waits for it), and the bench
 * prints when it passed (SELF_TEST_PASSED).
 */
export const APP_INTERACTIVE = ['#self-test[data-state="done"]'];

const KINDS: Record<string, string> = { '.js': 'JS', '.mjs': 'JS', '.wasm': 'wasm', '.css': 'CSS' };

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

/** Sizes of the build by kind (the service worker's own scripts counted apart from the app's JS). */
export async function buildSizes(dir: string): Promise<AppRow[]> {
  const sums = new Map<string, { bytes: number; gzip: number; files: number }>();
  for (const file of await filesUnder(dir)) {
    const name = relative(dir, file);
    const isSw = /^(sw|workbox-[\w-]+|registerSW)\.js$/.test(name);
    const kind = isSw ? 'service worker JS' : (KINDS[extname(file)] ?? 'other (HTML, manifest, icons)');
    const bytes = await readFile(file);
    const s = sums.get(kind) ?? { bytes: 0, gzip: 0, files: 0 };
    s.bytes += bytes.length;
    s.gzip += gzipSync(bytes, { level: 9 }).length;
    s.files++;
    sums.set(kind, s);
  }
  const order = ['JS', 'wasm', 'CSS', 'service worker JS', 'other (HTML, manifest, icons)'];
  return order
    .filter((k) => sums.has(k))
    .map((k) => {
      const s = sums.get(k)!;
      return { op: `build: ${k}`, unit: 'bytes', value: s.bytes, gzip: s.gzip, files: s.files };
    });
}

/** The built worker the app starts: a script carrying the worker's start-up tag (app-worker-* preferred). */
async function coreWorkerAsset(dir: string): Promise<string> {
  const files = (await filesUnder(dir)).sort(
    (a, b) => Number(b.includes('app-worker')) - Number(a.includes('app-worker')),
  );
  for (const file of files) {
    if (!file.endsWith('.js')) continue;
    const text = await readFile(file, 'utf8');
    // The page's chunk knows the tag too (it waits for the message) but is the one that calls new Worker.
    if (text.includes('dta-worker-startup') && !/\bnew Worker\(/.test(text)) return `/${relative(dir, file)}`;
  }
  throw new Error('bench: no core worker script in the build');
}

function timingRow(op: string, xs: readonly number[]): AppRow {
  const r = (x: number) => Math.round(x * 10) / 10;
  return { op, unit: 'ms', value: r(median(xs)), min: r(Math.min(...xs)), max: r(Math.max(...xs)), runs: xs.length };
}

/** The start screen's controls (create or unlock an identity): when a person can act, the screen's chunk loaded. */
const START_SCREEN_CONTROLS = '#main input, #main button';

/** The footer once the core's self-test has passed (it runs after the first screen, before the core's first use). */
const SELF_TEST_PASSED = '#self-test[data-self-test="passed"]';

/**
 * Records, from the page's own clock, when the first interactive selector appears, and when the start screen's
 * controls do.
 */
function interactiveProbe({
  selectors,
  controls,
  selfTest,
}: {
  selectors: readonly string[];
  controls: string;
  selfTest: string;
}): void {
  const w = window as unknown as { __dtaInteractiveAt?: number; __dtaControlsAt?: number; __dtaSelfTestAt?: number };
  const check = () => {
    if (w.__dtaInteractiveAt === undefined && selectors.some((s) => document.querySelector(s))) {
      w.__dtaInteractiveAt = performance.now();
    }
    if (w.__dtaControlsAt === undefined && document.querySelector(controls)) w.__dtaControlsAt = performance.now();
    if (w.__dtaSelfTestAt === undefined && document.querySelector(selfTest)) w.__dtaSelfTestAt = performance.now();
    const all = [w.__dtaInteractiveAt, w.__dtaControlsAt, w.__dtaSelfTestAt];
    if (all.every((t) => t !== undefined)) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, attributes: true });
}

/** When the probe saw `what` (`__dtaControlsAt` or `__dtaSelfTestAt`), on the page's clock. */
async function probedAt(page: Page, what: '__dtaControlsAt' | '__dtaSelfTestAt'): Promise<number> {
  const handle = await page.waitForFunction(
    (key) => (window as unknown as Record<string, number | undefined>)[key],
    what,
    { timeout: LIMITS.loadMs },
  );
  return (await handle.jsonValue()) as number;
}

async function interactiveAt(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    () => (window as unknown as { __dtaInteractiveAt?: number }).__dtaInteractiveAt,
    undefined,
    { timeout: LIMITS.loadMs },
  );
  return (await handle.jsonValue()) as number;
}

interface Bytes {
  /** Decoded bytes of the bodies. */
  readonly body: number;
  /** Bytes on the wire: compressed bodies and headers. */
  readonly wire: number;
}

interface StartRun {
  readonly cold: number;
  readonly warm: number;
  /** What the cold visit loaded, by kind. */
  readonly loaded: Map<string, Bytes>;
  /** JS bytes the cold visit transferred (compressed bodies and headers) as Chromium's resource timing says. */
  readonly jsTransfer: number;
  /** The cold visit's start-up steps: the app's `dta:` performance marks, ms from navigation start. */
  readonly steps: Map<string, number>;
}

/** The app's start-up marks (src/app/shell/boot.ts, src/worker/app-worker.ts) in order, with labels; then the controls and the
 * self-test. */
const START_STEPS: readonly (readonly [mark: string, label: string])[] = [
  ['dta:worker-spawn', '  cold: app worker spawned'],
  ['dta:worker-script', '  cold: its script running'],
  ['dta:worker-wasm', '  cold: wasm compiled, instantiated'],
  ['dta:worker-api', '  cold: wasm ready, the worker reports up'],
  ['dta:worker-up', '  cold: the page hears the worker is up'],
  ['dta:vault-read', '  cold: vault read (first screen renders)'],
  // The bindings, the vault and the envelope code load once the first read has been answered
  // (src/worker/app-worker.ts): printed only when every cold visit had them before it was interactive.
  ['dta:worker-chunks', '  cold: the rest of the worker evaluated'],
  ['controls', "  cold: the start screen's controls shown"],
  ['selfTest', "  cold: the core's self-test passed"],
];

/** This global's `dta:` marks, with its time origin (a worker's clock starts when the worker does). */
function dtaMarks(): { origin: number; marks: [string, number][] } {
  const marks = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('dta:'));
  return { origin: performance.timeOrigin, marks: marks.map((m) => [m.name, m.startTime]) };
}

/** The page's and its workers' `dta:` marks, in ms on the page's clock (from navigation start). */
export async function startSteps(page: Page): Promise<Map<string, number>> {
  const own = await page.evaluate(dtaMarks);
  const steps = new Map(own.marks);
  for (const worker of page.workers()) {
    const theirs = await worker.evaluate(dtaMarks).catch(() => undefined);
    for (const [name, t] of theirs?.marks ?? []) steps.set(name, t + theirs!.origin - own.origin);
  }
  return steps;
}

/**
 * The transferSize of every JS resource this global (a page or a worker) fetched: Chromium's own count of
 * the bytes on the wire, compressed bodies and headers (0 for what came from a cache).
 */
function jsTransferSize(): number {
  return performance
    .getEntriesByType('resource')
    .filter((r) => /\.m?js$/.test(new URL(r.name).pathname))
    .reduce((sum, r) => sum + (r as PerformanceResourceTiming).transferSize, 0);
}

/**
 * Bytes of one finished request. Playwright reports no body size for a worker's own script; its wire size is
 * then estimated as what the node's compression makes of the body (brotli quality 4, gzip -6) when the server
 * said it compressed it so, else as the body.
 */
/** The brotli quality @fastify/compress uses (the node's compression.ts keeps its defaults). */
const BR4 = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };

async function requestBytes(req: Request): Promise<Bytes & { kind: string }> {
  // The service worker's precache downloads are counted apart from what the page itself loaded.
  const kind = req.serviceWorker()
    ? 'service worker precache'
    : (KINDS[extname(new URL(req.url()).pathname)] ?? 'other');
  const res = await req.response();
  const body = (await res?.body().catch(() => undefined)) ?? Buffer.alloc(0);
  const sizes = await req.sizes().catch(() => ({ responseBodySize: 0, responseHeadersSize: 0 }));
  let wire = sizes.responseBodySize;
  if (wire === 0 && body.length > 0) {
    const encoding = await res?.headerValue('content-encoding');
    wire =
      encoding === 'gzip'
        ? gzipSync(body).length
        : encoding === 'br'
          ? brotliCompressSync(body, BR4).length
          : body.length;
  }
  return { kind, body: body.length, wire: wire + sizes.responseHeadersSize };
}

/**
 * Each file once for the page, and apart for the service worker's precache: a file the page prefetches for the app
 * worker is requested again by the worker (from the HTTP cache), and Playwright gives the prefetch's response no body;
 * so the larger body and wire size of a file's requests count.
 */
function onePerFile<T extends Bytes & { kind: string; key: string }>(requests: readonly T[]): T[] {
  const byKey = new Map<string, T>();
  for (const r of requests) {
    const seen = byKey.get(r.key);
    byKey.set(r.key, seen ? { ...r, body: Math.max(seen.body, r.body), wire: Math.max(seen.wire, r.wire) } : r);
  }
  return [...byKey.values()];
}

/**
 * One cold visit in a fresh context at phone size, then a reload (warm); also sums the bytes of the cold visit by
 * kind.
 */
async function startOnce(browser: Browser, origin: string): Promise<StartRun> {
  const cleanup = new Cleanup();
  try {
    const device = await newAppContext(browser, cleanup, { viewport: PHONE });
    await device.context.addInitScript(interactiveProbe, {
      selectors: APP_INTERACTIVE,
      controls: START_SCREEN_CONTROLS,
      selfTest: SELF_TEST_PASSED,
    });
    // Requests are only collected during the visit; their bodies are fetched over CDP (and a worker script's
    // wire size compressed here) once the start is timed, so that measuring the bytes does not slow the start.
    const finished: Request[] = [];
    let counting = true;
    device.context.on('requestfinished', (req) => {
      if (counting) finished.push(req);
    });
    const page = await device.newPage();
    await page.goto(`${origin}/`, { waitUntil: 'commit' });
    const cold = await interactiveAt(page);
    const steps = await startSteps(page);
    steps.set('controls', await probedAt(page, '__dtaControlsAt'));
    steps.set('selfTest', await probedAt(page, '__dtaSelfTestAt'));
    // The rest of the first visit: the service worker installs (precaching the build) and lazy chunks load.
    await withTimeout(
      page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined)),
      LIMITS.loadMs,
      'the service worker',
    );
    await page.waitForTimeout(500);
    counting = false;
    // The app worker's script is in the page's timing, the chunks it imports itself in the worker's own.
    const inWorkers = await Promise.all(page.workers().map((w) => w.evaluate(jsTransferSize).catch(() => 0)));
    const jsTransfer = (await page.evaluate(jsTransferSize)) + inWorkers.reduce((a, b) => a + b, 0);
    const loaded = new Map<string, Bytes>();
    const sized = finished.map(async (req) => {
      const key = `${req.serviceWorker() ? 'precache' : 'page'} ${req.url()}`;
      return { ...(await requestBytes(req)), key };
    });
    for (const r of onePerFile(await Promise.all(sized))) {
      const sum = loaded.get(r.kind) ?? { body: 0, wire: 0 };
      loaded.set(r.kind, { body: sum.body + r.body, wire: sum.wire + r.wire });
    }
    await page.reload({ waitUntil: 'commit' });
    const warm = await interactiveAt(page);
    if (device.errors.length > 0) throw new Error(`bench: the app reported errors: ${device.errors.join('; ')}`);
    return { cold, warm, loaded, jsTransfer, steps };
  } finally {
    await cleanup.run();
  }
}

/** Milliseconds from new Worker(url) to the worker's start-up message, `n` times in one fresh page. */
async function workerStarts(browser: Browser, origin: string, workerPath: string, n: number): Promise<number[]> {
  const cleanup = new Cleanup();
  try {
    const device = await newAppContext(browser, cleanup);
    const page = await device.newPage();
    await page.goto(origin + workerPath, { waitUntil: 'commit' }); // same origin, none of the app's scripts running
    return await withTimeout(
      page.evaluate(
        async ({ url, n }) => {
          const times: number[] = [];
          for (let i = 0; i < n; i++) {
            const t0 = performance.now();
            const worker = new Worker(url, { type: 'module' });
            const ok = await new Promise<boolean>((resolve) => {
              worker.onmessage = (ev) => {
                if (ev.data?.type === 'dta-worker-startup') resolve(ev.data.ok === true);
              };
              worker.onerror = () => resolve(false);
            });
            times.push(performance.now() - t0);
            worker.terminate();
            if (!ok) throw new Error('the core worker failed to start');
          }
          return times;
        },
        { url: workerPath, n },
      ),
      LIMITS.slowMs * 2,
      'starting the core worker',
    );
  } finally {
    await cleanup.run();
  }
}

interface RoundTrip {
  /** Safeguard pressed to the order's page, the node's signed reply checked by the app. */
  readonly order: number;
  /** ... to the order's envelope chain verified on that page (over the browser's Helia or the node). */
  readonly chain: number;
  /** Retrieve pressed to the secret shown (redeem request signed, node's reply opened in the worker). */
  readonly retrieve: number;
}

/**
 * Full order round trips through the app's screens against a local node: one person, beneficiary "me", a
 * typed 32-character secret; the first is a warm-up (Helia start, first connections).
 */
async function orderRoundTrips(browser: Browser, origin: string, runs: number): Promise<RoundTrip[]> {
  const cleanup = new Cleanup();
  try {
    const node = await startE2eNode(cleanup, { name: 'bench fiduciary', corsOrigins: [origin] });
    const device = await newAppContext(browser, cleanup);
    const page = await device.newPage();
    await openApp(page, origin);
    await createIdentity(page, 'bench');
    await addNode(page, node.url);
    const out: RoundTrip[] = [];
    for (let i = 0; i <= runs; i++) {
      const secret = `bench secret ${i} ${'x'.repeat(16)}`.slice(0, 32);
      await goTo(page, '/orders/new', 'Safeguard a secret');
      await page.getByTestId('secret-input').fill(secret);
      await page.getByTestId('beneficiary-me').check();
      const t0 = performance.now();
      await page.getByTestId('safeguard-submit').click();
      await page.getByTestId('order-summary').waitFor({ timeout: LIMITS.slowMs });
      const t1 = performance.now();
      await page.locator('[data-testid="chain-verified"][data-verified="true"]').waitFor({ timeout: LIMITS.slowMs });
      const t2 = performance.now();
      await page.getByTestId('retrieve').click();
      await page.getByTestId('retrieved-secret-reveal').waitFor({ timeout: LIMITS.slowMs });
      const t3 = performance.now();
      await page.getByTestId('retrieved-secret-reveal').click(); // masked until revealed
      const shown = page.getByTestId('retrieved-secret');
      if ((await shown.textContent()) !== secret)
        throw new Error('bench: the retrieved secret differs from the one ordered');
      if (i > 0) out.push({ order: t1 - t0, chain: t2 - t1, retrieve: t3 - t2 });
    }
    // The app probes its own origin for a node serving it (/v1/status), which this app server is not: Chromium logs
    // that 404 as a console error, a probe's answer rather than an error of the app.
    const errors = device.errors.filter((e) => !/^console: Failed to load resource/.test(e));
    if (errors.length > 0) throw new Error(`bench: the app reported errors: ${errors.join('; ')}`);
    return out;
  } finally {
    await cleanup.run();
  }
}

/**
 * Cold visits as a person's browser makes them: Chromium driven over CDP alone (bench/cdp-visit.ts), nothing
 * attached to the page's workers; after one warm-up visit (Chromium's own first-run costs are not the app's).
 */
async function coldVisitsOverCdp(cleanup: Cleanup, origin: string, runs: number): Promise<number[]> {
  const browser = await launchCdpChromium(cleanup);
  const options = { viewport: PHONE, interactive: APP_INTERACTIVE[0]! };
  await browser.coldVisit(`${origin}/`, options);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await browser.coldVisit(`${origin}/`, options));
  return out;
}

export async function appRows(options: AppBenchOptions = {}): Promise<AppRow[]> {
  const runs = options.runs ?? 5;
  const cleanup = new Cleanup();
  const dir = await mkdtemp(join(tmpdir(), 'dta-bench-app-'));
  cleanup.add('the build', () => rm(dir, { recursive: true, force: true }));
  // Node homes under one directory of this run (see test/e2e/nodes.ts).
  const homes = await mkdtemp(join(tmpdir(), 'dta-bench-app-homes-'));
  cleanup.add('the node homes', () => rm(homes, { recursive: true, force: true }));
  setNodeHomesRoot(homes);
  try {
    const t0 = performance.now();
    await buildApp(dir);
    const buildMs = performance.now() - t0;
    const app = await serveApp(dir);
    cleanup.add('the app server', () => app.close());
    const browser = await launchChromium(cleanup);
    await startOnce(browser, app.origin); // warm-up: Chromium's own first-run costs are not the app's
    const starts: StartRun[] = [];
    for (let i = 0; i < runs; i++) starts.push(await startOnce(browser, app.origin));
    const unobserved = await coldVisitsOverCdp(cleanup, app.origin, runs);
    const workerPath = await coreWorkerAsset(dir);
    const coldWorker: number[] = [];
    const warmWorker: number[] = [];
    for (let i = 0; i < runs; i++) {
      const [first, ...rest] = await workerStarts(browser, app.origin, workerPath, 3);
      coldWorker.push(first!);
      warmWorker.push(...rest);
    }
    const trips = await orderRoundTrips(browser, app.origin, runs);
    const rows: AppRow[] = [
      {
        ...timingRow('cold start to interactive (fresh context, 390×844)', unobserved),
        target: APP_TARGETS.coldStartMs,
      },
      timingRow(
        '  the same under Playwright (its workers paused until instrumented)',
        starts.map((s) => s.cold),
      ),
      ...START_STEPS.filter(([mark]) => starts.every((s) => s.steps.has(mark))).map(([mark, label]) =>
        timingRow(
          label,
          starts.map((s) => s.steps.get(mark)!),
        ),
      ),
      timingRow(
        'warm start to interactive (reload)',
        starts.map((s) => s.warm),
      ),
      timingRow('worker + wasm init, cold', coldWorker),
      timingRow('worker + wasm init, warm', warmWorker),
      timingRow(
        'safeguard order via the UI (reply verified)',
        trips.map((t) => t.order),
      ),
      timingRow(
        '  then its chain verified on the order page',
        trips.map((t) => t.chain),
      ),
      timingRow(
        '  then retrieve: secret shown',
        trips.map((t) => t.retrieve),
      ),
      timingRow(
        'full order round trip (order + chain + retrieve)',
        trips.map((t) => t.order + t.chain + t.retrieve),
      ),
      ...(await buildSizes(dir)),
    ];
    const first = starts[0]!.loaded;
    for (const kind of ['JS', 'wasm', 'CSS', 'other', 'service worker precache']) {
      const n = first.get(kind);
      const op =
        kind === 'service worker precache'
          ? 'first visit: service worker precache (all kinds)'
          : `first visit, page loaded: ${kind}`;
      if (n === undefined) continue;
      // Chromium reports no reliable transfer sizes for a service worker's own fetches: decoded bytes only.
      rows.push(
        kind === 'service worker precache'
          ? { op, unit: 'bytes', value: n.body }
          : { op, unit: 'bytes', value: n.body, wire: n.wire },
      );
    }
    rows.push({
      op: 'first visit: JS transferred (Chromium transferSize)',
      unit: 'bytes',
      value: median(starts.map((s) => s.jsTransfer)),
      target: APP_TARGETS.firstVisitJsWireBytes,
    });
    rows.push({ op: 'vite build of the app', unit: 'ms', value: Math.round(buildMs), runs: 1 });
    return rows;
  } finally {
    await cleanup.run();
  }
}

const kB = (n: number) => (n / 1024).toFixed(1);

/** "≤ 400 ms met" or "≤ 250.0 kB MISSED" for a row with a target; empty otherwise. */
function targetCell(r: AppRow): string {
  if (r.target === undefined) return '';
  const limit = r.unit === 'ms' ? `${r.target} ms` : `${kB(r.target)} kB`;
  return `≤ ${limit} ${r.value <= r.target ? 'met' : 'MISSED'}`;
}

export function printAppTable(rows: readonly AppRow[]): void {
  const header = ['app (Chromium)', 'median', 'min', 'max', 'runs / files', 'gzip / wire', 'target'];
  const lines = rows.map((r) =>
    r.unit === 'ms'
      ? [
          r.op,
          `${r.value.toFixed(1)} ms`,
          r.min !== undefined ? r.min.toFixed(1) : '',
          r.max !== undefined ? r.max.toFixed(1) : '',
          String(r.runs ?? ''),
          '',
          targetCell(r),
        ]
      : [
          r.op,
          `${kB(r.value)} kB`,
          '',
          '',
          r.files !== undefined ? String(r.files) : '',
          r.gzip !== undefined ? `${kB(r.gzip)} kB` : r.wire !== undefined ? `${kB(r.wire)} kB` : '',
          targetCell(r),
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}

if (import.meta.main) {
  const quick = process.argv.includes('--quick');
  const rows = await appRows(quick ? { runs: 2 } : {});
  printAppTable(rows);
  for (const n of APP_NOTES) console.log(`- ${n}`);
}
