/**
 * The node's crypto pool: worker threads (worker.ts), each with its own WebAssembly core, that check signatures
 * and sign reply envelopes off the event loop, so that HTTP, storage and the log keep one core while the pairings
 * use the others. A worker is given every task waiting when it is idle, in one round (messages.ts); the tasks that
 * arrive meanwhile wait here, in a bounded queue whose depth the metrics export (`queueDepth`). A full queue refuses new work with 503 overloaded and Retry-After, rather than
 * letting latency grow without bound.
 *
 * Secrets: the node's BLS secret key and X-Wing seed are handed to each worker once, when it starts (again to a worker started
 * after a crash); `close` has every worker wipe its copy, then wipes the pool's.
 * @module
 */
import { RetryLaterError } from '../http/errors.ts';
import {
  type TaskOutcome,
  type TaskRequest,
  type TaskValue,
  type WorkerIdentity,
  type WorkerSecrets,
  workerError,
} from './messages.ts';
import { CryptoPoolError, WorkerSlot } from './worker-slot.ts';

export interface CryptoPoolOptions {
  /** Worker threads (at least 1). */
  readonly workers: number;
  /** Tasks that may wait for a worker; one more is refused (503 overloaded). */
  readonly maxQueue: number;
  /** The node's secrets; the pool takes this object (pass copies) and wipes it at close. */
  readonly secrets: WorkerSecrets;
  /** The node identity's CID (the key slot its workers open). */
  readonly identity: WorkerIdentity;
}

/** A task, or what builds it when a worker takes it (runLate). */
type TaskOrBuilder = TaskRequest | (() => TaskRequest);

interface Queued {
  readonly task: TaskOrBuilder;
  readonly resolve: (value: TaskValue) => void;
  readonly reject: (err: unknown) => void;
}

function settle(q: Queued, outcome: TaskOutcome | undefined): void {
  if (!outcome) q.reject(new CryptoPoolError('crypto pool: a worker answered fewer tasks than it was given'));
  else if (outcome.ok) q.resolve(outcome.value);
  else q.reject(workerError(outcome.name, outcome.message));
}

export class CryptoPool {
  readonly #slots: WorkerSlot[];
  readonly #secrets: WorkerSecrets;
  readonly #maxQueue: number;
  #queue: Queued[] = [];
  #closed = false;

  constructor(options: CryptoPoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new RangeError('crypto pool: workers >= 1');
    this.#secrets = options.secrets;
    this.#maxQueue = options.maxQueue;
    this.#slots = Array.from({ length: options.workers }, () => new WorkerSlot(options.secrets, options.identity));
    for (const slot of this.#slots) slot.start(); // loading a worker's modules and core takes a while: not per request
  }

  /** Worker threads. */
  get size(): number {
    return this.#slots.length;
  }

  /** Tasks waiting for a worker (not those running). */
  queueDepth(): number {
    return this.#queue.length;
  }

  run(task: TaskRequest): Promise<TaskValue> {
    return this.#enqueue(task);
  }

  /**
   * Runs the task `build` returns, called only when a worker takes it: a batch queued behind busy workers can
   * then take in what arrived while it waited (batch-verifier.ts), at no cost in latency when a worker is idle.
   */
  runLate(build: () => TaskRequest): Promise<TaskValue> {
    return this.#enqueue(build);
  }

  #enqueue(task: TaskOrBuilder): Promise<TaskValue> {
    if (this.#closed) return Promise.reject(new CryptoPoolError('crypto pool: closed'));
    if (this.#queue.length >= this.#maxQueue) {
      return Promise.reject(new RetryLaterError('overloaded', 'the node is busy checking signatures; retry later', 1));
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ task, resolve, reject });
      this.#dispatch();
    });
  }

  /** Gives the queued tasks to the idle workers, oldest first, shared out evenly, one round each. */
  #dispatch(): void {
    const idle = this.#slots.filter((s) => s.busy === 0);
    for (const [i, slot] of idle.entries()) {
      const round = this.#queue.splice(0, Math.ceil(this.#queue.length / (idle.length - i)));
      if (round.length === 0) return;
      slot
        .run(round.map((q) => (typeof q.task === 'function' ? q.task() : q.task)))
        .then(
          (outcomes) => {
            for (const [j, q] of round.entries()) settle(q, outcomes[j]);
          },
          (err) => {
            for (const q of round) q.reject(err);
          },
        )
        .finally(() => this.#dispatch());
    }
  }

  /** Ends the workers abruptly, as a crash would (tests of the pool's recovery). */
  async killWorkers(): Promise<void> {
    await Promise.all(this.#slots.map((s) => s.kill()));
  }

  /**
   * Refuses what is queued, lets every worker wipe its secrets and end, then wipes the pool's copy. Resolves to
   * the number of workers that confirmed the wipe (a worker never started has nothing to wipe and counts).
   */
  async close(): Promise<number> {
    this.#closed = true;
    const queued = this.#queue;
    this.#queue = [];
    for (const q of queued) q.reject(new CryptoPoolError('crypto pool: closed'));
    const confirmed = await Promise.all(this.#slots.map((s) => s.close()));
    this.#secrets.bls.fill(0);
    this.#secrets.xwing.fill(0);
    return confirmed.filter(Boolean).length;
  }
}
