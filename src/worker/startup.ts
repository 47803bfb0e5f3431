/**
 * Starting a Web Worker that serves one API through comlink, the same way for every worker.
 *
 * Worker side, serveWhenReady(init, selfTest): the API is built first (the core's wasm instantiated, the vault
 * opened) and exposed only then, because comlink drops calls that arrive before expose(). One message
 * outside comlink then says whether the start succeeded, with the failure's name and message (never a
 * stack) when it did not. A worker that runs the core's self-test after its start (the app worker: it is needed
 * before the core's first use, not before the first screen) passes its outcome, and a second message reports it.
 *
 * Page side, startWorker(spawn): waits for that message (or the worker's own error, or a time limit),
 * stops the worker on failure, and returns the API through comlink with the self-test's outcome. The caller spawns
 * the Worker itself, because bundlers find worker scripts only in the literal
 * `new Worker(new URL('…', import.meta.url))`.
 * @module
 */
import * as Comlink from 'comlink';
import { DtaError } from '../core/errors.ts';
import { fromWire, installErrorTransfer } from './errors.ts';
import type { RemoteNamespace } from './remote.ts';

/** Tag of the start-up message; comlink's own messages never carry it (bench/app.ts looks for it too). */
const STARTUP = 'dta-worker-startup';
/** Tag of the message that reports a self-test run after the start. */
const SELF_TEST = 'dta-worker-self-test';

/** A failure as it crosses: name and message, never a stack. */
interface Failure {
  readonly ok: false;
  readonly name: string;
  readonly message: string;
}

type StartupMessage =
  | { readonly type: typeof STARTUP; readonly ok: true; readonly selfTest?: 'passed' | 'pending' }
  | ({ readonly type: typeof STARTUP } & Failure);

type SelfTestMessage =
  | { readonly type: typeof SELF_TEST; readonly ok: true }
  | ({ readonly type: typeof SELF_TEST } & Failure);

function tagged<T extends { readonly type: string }>(data: unknown, type: T['type']): data is T {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === type;
}

const isStartupMessage = (data: unknown): data is StartupMessage => tagged<StartupMessage>(data, STARTUP);
const isSelfTestMessage = (data: unknown): data is SelfTestMessage => tagged<SelfTestMessage>(data, SELF_TEST);

function failure(e: unknown): Failure {
  const err = e instanceof Error ? e : new Error(String(e));
  return { ok: false, name: err.name, message: err.message };
}

/** The worker did not start: it failed to load, or did not report within the time limit. */
class WorkerStartError extends DtaError {
  override name = 'WorkerStartError';
}

/**
 * In the worker: builds the API, exposes it, and reports the start (or why it failed) to the page. `selfTest`: the
 * outcome of the core's self-test when the worker runs it after its start (the API then refuses the core until it
 * has passed), reported to the page when it settles; without it, the start itself includes the test.
 */
export function serveWhenReady(init: () => Promise<object>, selfTest?: Promise<unknown>): void {
  installErrorTransfer();
  const report = (message: StartupMessage | SelfTestMessage) => postMessage(message);
  init().then(
    (api) => {
      Comlink.expose(api);
      report({ type: STARTUP, ok: true, selfTest: selfTest ? 'pending' : 'passed' });
      selfTest?.then(
        () => report({ type: SELF_TEST, ok: true }),
        (e: unknown) => report({ type: SELF_TEST, ...failure(e) }),
      );
    },
    (e: unknown) => report({ type: STARTUP, ...failure(e) }),
  );
}

/**
 * Resolves when the worker reports its start, to whether its self-test is still to run; rejects on its failure, a
 * worker error or the timeout. `earlier`: the worker's events from before anyone listened, looked at first.
 */
function whenStarted(
  worker: Worker,
  what: string,
  timeoutMs: number,
  earlier: readonly Event[],
): Promise<{ selfTestPending: boolean }> {
  return new Promise((resolve, reject) => {
    let selfTestPending = false;
    const done = (error?: Error) => {
      clearTimeout(timer);
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      if (error) reject(error);
      else resolve({ selfTestPending });
    };
    const onMessage = (ev: MessageEvent) => {
      if (!isStartupMessage(ev.data)) return;
      if (ev.data.ok) selfTestPending = ev.data.selfTest === 'pending';
      done(ev.data.ok ? undefined : fromWire(ev.data));
    };
    const onError = (ev: ErrorEvent) =>
      done(new WorkerStartError(`worker start-up: the worker failed to start: ${ev.message || 'script error'}`));
    const timer = setTimeout(
      () => done(new WorkerStartError(`worker start-up: the ${what} did not load within ${timeoutMs} ms`)),
      timeoutMs,
    );
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
    for (const event of earlier) {
      if (event.type === 'error') onError(event as ErrorEvent);
      else if (event.type === 'message') onMessage(event as MessageEvent);
    }
  });
}

/**
 * The outcome of the self-test the worker runs after its start: its report, among `earlier` or still to come. Marked
 * handled: a page that does not ask is not told of a failure as an unhandled rejection (its calls to the core fail).
 */
function selfTestReport(worker: Worker, earlier: readonly Event[]): Promise<void> {
  const report = new Promise<void>((resolve, reject) => {
    const onMessage = (ev: MessageEvent) => {
      if (!isSelfTestMessage(ev.data)) return;
      worker.removeEventListener('message', onMessage);
      if (ev.data.ok) resolve();
      else reject(fromWire(ev.data));
    };
    worker.addEventListener('message', onMessage);
    for (const event of earlier) if (event.type === 'message') onMessage(event as MessageEvent);
  });
  report.catch(() => undefined);
  return report;
}

/**
 * A worker spawned before the page could listen (index.html's first script, scripts/early-worker.ts), with its
 * `message` and `error` events so far in order: its start-up message may be among them.
 */
export interface SpawnedWorker {
  readonly worker: Worker;
  readonly earlier: readonly Event[];
}

export interface StartedWorker<T> {
  /** The worker's API: every method async. */
  readonly remote: RemoteNamespace<T>;
  /**
   * Resolves once the core's self-test has passed in the worker (at once when its start included it); rejects with
   * the failure (a DtaError), in which case the worker refuses every call that needs the core.
   */
  readonly selfTest: Promise<void>;
  /** Stops the worker at once; calls still pending never settle, later calls throw. */
  terminate(): void;
}

export interface WorkerStartOptions {
  /** What the worker loads, for the timeout's message ("core"). */
  readonly what: string;
  /** How long the worker may take to start (default 30 s). */
  readonly timeoutMs?: number;
}

/** On the page: spawns the worker and waits for its start; rejects (and stops it) if it does not start. */
export async function startWorker<T>(
  spawn: () => Worker | SpawnedWorker,
  options: WorkerStartOptions,
): Promise<StartedWorker<T>> {
  installErrorTransfer();
  const spawned = spawn();
  const { worker, earlier } = 'earlier' in spawned ? spawned : { worker: spawned, earlier: [] };
  let selfTestPending: boolean;
  try {
    ({ selfTestPending } = await whenStarted(worker, options.what, options.timeoutMs ?? 30_000, earlier));
  } catch (e) {
    worker.terminate();
    throw e;
  }
  const remote = Comlink.wrap<T>(worker);
  return {
    remote: remote as unknown as RemoteNamespace<T>,
    selfTest: selfTestPending ? selfTestReport(worker, earlier) : Promise.resolve(),
    terminate: () => {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
