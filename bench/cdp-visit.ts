/**
 * Cold visits timed over the Chrome DevTools Protocol alone, without Playwright, for bench/app.ts.
 *
 * Why: Playwright attaches to every worker a page starts and keeps it paused until it has instrumented it
 * (auto-attach with waitForDebuggerOnStart), a round trip to the Node process that drives the browser. The app
 * spawns its worker first thing, so on a busy two-core machine that pause sat between `new Worker()` and the
 * worker's first line (hundreds of ms in bench/app.ts's "cold: …" rows), a cost no person's browser has. Here
 * one session is attached to the page only, as a person's browser has none: the page's workers start unobserved.
 * The page reports when its interactive marker appears through a CDP binding (no polling), on its own clock.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS } from '../test/e2e/browser.ts';
import type { Cleanup } from '../test/e2e/limits.ts';

/** How long Chromium may take to open its DevTools port, and a visit to reach its marker. */
const LAUNCH_MS = 30_000;
const VISIT_MS = 30_000;

/** The name of the binding the probe calls with the marker's time. */
const BINDING = '__dtaBenchInteractive';

interface CdpMessage {
  readonly id?: number;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly message: string };
  readonly sessionId?: string;
}

/** One WebSocket to the browser target; sessions flattened onto it (sessionId on each message). */
class CdpConnection {
  readonly #ws: WebSocket;
  #next = 0;
  readonly #waiting = new Map<number, (m: CdpMessage) => void>();
  readonly #listeners = new Set<(m: CdpMessage) => void>();

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.addEventListener('message', (e) => this.#receive(JSON.parse(String(e.data)) as CdpMessage));
  }

  static async open(url: string): Promise<CdpConnection> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve(), { once: true });
      ws.addEventListener('error', () => reject(new Error(`bench: cannot connect to Chromium's DevTools at ${url}`)), {
        once: true,
      });
    });
    return new CdpConnection(ws);
  }

  #receive(m: CdpMessage): void {
    if (m.id !== undefined) {
      this.#waiting.get(m.id)?.(m);
      this.#waiting.delete(m.id);
      return;
    }
    for (const listener of this.#listeners) listener(m);
  }

  async send(method: string, params: object = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = ++this.#next;
    const reply = new Promise<CdpMessage>((resolve) => this.#waiting.set(id, resolve));
    this.#ws.send(JSON.stringify({ id, method, params, sessionId }));
    const m = await reply;
    if (m.error) throw new Error(`bench: CDP ${method}: ${m.error.message}`);
    return m.result ?? {};
  }

  /** The first event `method` of `sessionId` that `accept` takes, within `ms`. */
  event(method: string, sessionId: string, accept: (params: Record<string, unknown>) => boolean, ms: number) {
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        reject(new Error(`bench: no ${method} within ${ms} ms`));
      }, ms);
      const listener = (m: CdpMessage) => {
        if (m.method !== method || m.sessionId !== sessionId || !accept(m.params ?? {})) return;
        clearTimeout(timer);
        this.#listeners.delete(listener);
        resolve(m.params ?? {});
      };
      this.#listeners.add(listener);
    });
  }

  close(): void {
    this.#ws.close();
  }
}

/** Installed in every document before its scripts: reports the first moment `selector` is in the DOM. */
function probeSource(selector: string): string {
  return `(() => {
    const seen = () => {
      if (!document.querySelector(${JSON.stringify(selector)})) return false;
      globalThis.${BINDING}(String(performance.now()));
      return true;
    };
    const observer = new MutationObserver(() => { if (seen()) observer.disconnect(); });
    observer.observe(document, { subtree: true, childList: true, attributes: true });
  })();`;
}

export interface CdpVisitOptions {
  readonly viewport: { readonly width: number; readonly height: number };
  /** The selector whose first appearance ends the visit (bench/app.ts's APP_INTERACTIVE). */
  readonly interactive: string;
}

export interface CdpBrowser {
  /** One visit of `url` in a fresh browser context; ms from navigation start to the marker. */
  coldVisit(url: string, options: CdpVisitOptions): Promise<number>;
}

async function devToolsUrl(profile: string, chromium: ChildProcess): Promise<string> {
  const deadline = Date.now() + LAUNCH_MS;
  while (Date.now() < deadline) {
    if (chromium.exitCode !== null) throw new Error(`bench: Chromium exited (${chromium.exitCode}) at launch`);
    const text = await readFile(join(profile, 'DevToolsActivePort'), 'utf8').catch(() => '');
    const [port, path] = text.split('\n');
    if (port && path) return `ws://127.0.0.1:${port}${path}`;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`bench: Chromium opened no DevTools port within ${LAUNCH_MS} ms`);
}

/** Launches Debian Chromium (the e2e suite's flags) driven over CDP alone; closed by `cleanup`. */
export async function launchCdpChromium(cleanup: Cleanup): Promise<CdpBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'dta-bench-cdp-'));
  cleanup.add('the CDP profile', () => rm(profile, { recursive: true, force: true }));
  const executable = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  const args = [...CHROMIUM_ARGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'];
  const chromium = spawn(executable, args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => chromium.once('exit', () => resolve()));
  cleanup.add('Chromium (CDP)', async () => {
    chromium.kill();
    await exited;
  });
  const cdp = await CdpConnection.open(await devToolsUrl(profile, chromium));
  cleanup.add('the CDP connection', async () => cdp.close());
  return { coldVisit: (url, options) => coldVisit(cdp, url, options) };
}

async function coldVisit(cdp: CdpConnection, url: string, options: CdpVisitOptions): Promise<number> {
  const { browserContextId } = await cdp.send('Target.createBrowserContext', { disposeOnDetach: true });
  try {
    const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank', browserContextId });
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: true })) as {
      sessionId: string;
    };
    const { width, height } = options.viewport;
    await cdp.send(
      'Emulation.setDeviceMetricsOverride',
      { width, height, deviceScaleFactor: 1, mobile: false },
      sessionId,
    );
    // The probe is installed only with the Page domain on, and the binding's calls reach us only with Runtime on.
    await cdp.send('Page.enable', {}, sessionId);
    await cdp.send('Runtime.enable', {}, sessionId);
    await cdp.send('Runtime.addBinding', { name: BINDING }, sessionId);
    await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: probeSource(options.interactive) }, sessionId);
    const reported = cdp.event('Runtime.bindingCalled', sessionId, (p) => p['name'] === BINDING, VISIT_MS);
    await cdp.send('Page.navigate', { url }, sessionId);
    return Number((await reported)['payload']);
  } finally {
    await cdp.send('Target.disposeBrowserContext', { browserContextId });
  }
}
