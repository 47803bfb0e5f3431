/**
 * One worker thread of the crypto pool and the tasks it is running. The worker is started on first use and given
 * the node's secrets once; when it dies (a crash, an out-of-memory kill) every task it held is refused with
 * `CryptoPoolError` and the next task starts a fresh worker, so one crash costs the requests in flight, never the
 * pool. `close` asks the worker to wipe its secrets and waits for its word before ending the thread.
 * @module
 */
import { Worker } from 'node:worker_threads';
import type { FromWorker, TaskOutcome, TaskRequest, ToWorker, WorkerIdentity, WorkerSecrets } from './messages.ts';

const WORKER_URL = new URL('./worker.ts', import.meta.url);
/** How long close waits for a worker to confirm it wiped its secrets before ending it anyway. */
const CLOSE_WAIT_MS = 2000;

/** A task lost because its worker died; the request fails (nothing was committed), the pool goes on. */
export class CryptoPoolError extends Error {
  override name = 'CryptoPoolError';
}

interface Pending {
  readonly resolve: (outcomes: readonly TaskOutcome[]) => void;
  readonly reject: (err: Error) => void;
}

export class WorkerSlot {
  readonly #secrets: WorkerSecrets;
  readonly #identity: WorkerIdentity;
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  #nextId = 0;

  constructor(secrets: WorkerSecrets, identity: WorkerIdentity) {
    this.#secrets = secrets;
    this.#identity = identity;
  }

  /** Rounds sent to this worker and not answered yet. */
  get busy(): number {
    return this.#pending.size;
  }

  /** Runs `tasks` in one round (one message each way); one outcome per task, in order. */
  run(tasks: readonly TaskRequest[]): Promise<readonly TaskOutcome[]> {
    const worker = this.#started();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.ref(); // a round in flight keeps the process alive, an idle worker does not
      worker.postMessage({ kind: 'round', id, tasks } satisfies ToWorker);
    });
  }

  /** Starts the worker now rather than at the first task (which would wait for its module and core to load). */
  start(): void {
    this.#started();
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER_URL);
    // A copy for the worker: the slot keeps its own to start a replacement after a crash.
    const secrets = { bls: this.#secrets.bls.slice(), xwing: this.#secrets.xwing.slice() };
    worker.postMessage({ kind: 'init', secrets, identity: this.#identity } satisfies ToWorker, [
      secrets.bls.buffer,
      secrets.xwing.buffer,
    ]); // moved, not copied: no copy is left behind here
    worker.on('message', (m: FromWorker) => this.#answer(m));
    worker.on('error', () => undefined); // 'exit' follows and says what matters: the worker is gone
    worker.on('exit', () => this.#lost(worker));
    worker.unref(); // an idle pool never keeps the process alive (run refs it while a round is out)
    this.#worker = worker;
    return worker;
  }

  #answer(m: FromWorker): void {
    if (m.kind !== 'round') return;
    const pending = this.#pending.get(m.id);
    if (!pending) return;
    this.#pending.delete(m.id);
    if (this.#pending.size === 0) this.#worker?.unref();
    pending.resolve(m.outcomes);
  }

  #lost(worker: Worker): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    const lost = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of lost) p.reject(new CryptoPoolError('crypto pool: a worker stopped while it held this task'));
  }

  /** Ends the worker after it wiped its secrets; true when it confirmed (or never started). */
  async close(): Promise<boolean> {
    const worker = this.#worker;
    if (!worker) return true;
    const confirmed = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), CLOSE_WAIT_MS);
      worker.on('message', (m: FromWorker) => {
        if (m.kind !== 'closed') return;
        clearTimeout(timer);
        resolve(true);
      });
      worker.on('exit', () => resolve(false));
    });
    worker.postMessage({ kind: 'close' } satisfies ToWorker);
    const wiped = await confirmed;
    await worker.terminate();
    this.#lost(worker); // refuses whatever was still in flight
    return wiped;
  }

  /** Ends the worker abruptly, as a crash would (tests of the pool's recovery). */
  async kill(): Promise<void> {
    await this.#worker?.terminate();
  }
}
