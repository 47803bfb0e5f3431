/**
 * BLS signature checks of concurrent requests gathered into batches for the crypto pool. A batch takes its checks
 * when a worker takes it (CryptoPool.runLate), so one queued behind a busy worker gathers every check that arrives
 * meanwhile (up to MAX_BATCH); the checks that arrive while a batch is out wait for the next. A check that finds a
 * worker idle leaves at once, alone if it must: no added latency (holding it a few ms for company was tried and
 * not kept: a pair costs only ~5 % less a signature than two lone checks; README, issue 13). One worker short of
 * the pool's size may check batches at a time, so that one is left for openings and replies (and, with one
 * worker, one batch at a time). A batch costs n + 1 Miller loops and one final exponentiation instead of 2n and n
 * (worker.ts; a forged signature is found by bisection and fails alone).
 *
 * It is a BlsSigner whose `verify` is batched, so verifyEnvelope takes it as it is (http/auth.ts); signing and
 * proofs of possession stay with the in-thread core.
 * @module
 */
import type { BlsSigner } from '../../core/protocol/types.ts';
import { RetryLaterError } from '../http/errors.ts';
import type { VerifiedItem, VerifyOpenItem } from './messages.ts';
import type { CryptoPool } from './pool.ts';

/** Most signatures in one batch: past 16 a pairing saves little more and the batch's latency keeps growing. */
const MAX_BATCH = 16;

interface Waiting {
  readonly item: VerifyOpenItem;
  readonly resolve: (verified: VerifiedItem) => void;
  readonly reject: (err: unknown) => void;
}

export class BatchVerifier implements BlsSigner {
  readonly #pool: CryptoPool;
  readonly #local: BlsSigner;
  readonly #maxWaiting: number;
  #waiting: Waiting[] = [];
  /** Batches given to the pool and not answered yet. */
  #out = 0;
  /** Whether a batch is in the pool's queue, its checks not yet taken (it takes the ones waiting now). */
  #queued = false;
  /** Batches taken by a worker, and the checks they held (stats). */
  #batches = 0;
  #checks = 0;

  /** `local` signs and proves in this thread; `maxWaiting` bounds the checks waiting for a batch. */
  constructor(pool: CryptoPool, local: BlsSigner, maxWaiting: number) {
    this.#pool = pool;
    this.#local = local;
    this.#maxWaiting = maxWaiting;
  }

  /** Checks waiting for a batch (the pool's queue holds the batches themselves). */
  waiting(): number {
    return this.#waiting.length;
  }

  /** Batches taken by a worker so far and the checks they held: their ratio is the mean batch size. */
  stats(): { readonly batches: number; readonly checks: number } {
    return { batches: this.#batches, checks: this.#checks };
  }

  async verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
    return (await this.verifyThenOpen({ publicKey, message, signature })).ok;
  }

  /**
   * Checks `item`'s signature in the next batch and, when it verifies and `item.open` is given, opens that
   * envelope in the same round (pool-opener.ts): one message each way instead of two.
   */
  verifyThenOpen(item: VerifyOpenItem): Promise<VerifiedItem> {
    if (this.#waiting.length >= this.#maxWaiting) {
      return Promise.reject(new RetryLaterError('overloaded', 'the node is busy checking signatures; retry later', 1));
    }
    return new Promise((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      this.#send();
    });
  }

  /**
   * Queues a batch if fewer than the allowed number are out and none is still waiting for a worker. The batch's
   * checks are taken when a worker takes it (runLate): one queued behind a busy worker gathers every check that
   * arrives meanwhile, while one that finds a worker idle leaves at once.
   */
  #send(): void {
    if (this.#waiting.length === 0 || this.#queued || this.#out >= Math.max(1, this.#pool.size - 1)) return;
    this.#out++;
    this.#queued = true;
    let batch: Waiting[] | undefined;
    const take = () => {
      this.#queued = false;
      batch = this.#waiting.splice(0, MAX_BATCH);
      this.#batches++;
      this.#checks += batch.length;
      return batch;
    };
    this.#pool
      .runLate(() => ({ kind: 'verify-open', items: take().map((w) => w.item) }))
      .then(
        (answers) => {
          for (const [i, w] of (batch ?? []).entries()) w.resolve((answers as VerifiedItem[])[i] ?? { ok: false });
        },
        (err) => {
          if (batch === undefined) this.#queued = false; // refused before a worker took it: the checks waiting
          for (const w of batch ?? this.#waiting.splice(0, MAX_BATCH)) w.reject(err);
        },
      )
      .finally(() => {
        this.#out--;
        this.#send();
      });
  }

  skToPk(sk: Uint8Array) {
    return this.#local.skToPk(sk);
  }

  sign(sk: Uint8Array, msg: Uint8Array) {
    return this.#local.sign(sk, msg);
  }

  popProve(sk: Uint8Array) {
    return this.#local.popProve(sk);
  }

  popVerify(pk: Uint8Array, proof: Uint8Array) {
    return this.#local.popVerify(pk, proof);
  }
}
