/**
 * BLS signature checks of concurrent requests gathered into batches for the crypto pool: a check that arrives
 * while no batch is out leaves at once (alone at low load, no added latency); the others wait for the next
 * batch, which takes every check that waited (up to MAX_BATCH). One worker short of the pool's size may check
 * batches at a time, so that one is left for openings and replies (and, with one worker, one batch at a time). Under load batches
 * grow by themselves, and a batch costs n + 1 Miller loops and one final exponentiation instead of 2n and n
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
  #out = 0;

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

  /** Sends the waiting checks as one batch if a worker can take it now. */
  #send(): void {
    if (this.#waiting.length === 0 || this.#out >= Math.max(1, this.#pool.size - 1)) return;
    const batch = this.#waiting.splice(0, MAX_BATCH);
    this.#out++;
    this.#pool
      .run({ kind: 'verify-open', items: batch.map((w) => w.item) })
      .then(
        (answers) => {
          for (const [i, w] of batch.entries()) w.resolve((answers as VerifiedItem[])[i] ?? { ok: false });
        },
        (err) => {
          for (const w of batch) w.reject(err);
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
