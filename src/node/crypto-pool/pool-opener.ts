/**
 * Requests sealed to the node, opened by a worker of the crypto pool as soon as their signature has verified
 * (RequestAuth.verify), so that the X-Wing decapsulation and the AES-GCM of the content leave the event loop.
 * With the batch verifier, the open rides in the same round as the signature check (`verifierFor`: the worker
 * opens the envelope right after its batch verified it), so a request costs the event loop one round trip to
 * the pool instead of two; otherwise `prefetch` opens it in a round of its own.
 * RequestAuth.open, which stays synchronous, then takes the content from here. The worker is sent the node's key
 * slot and the sealed content (SealedSlot), not the envelope to decode again, and sends back the content's
 * DAG-CBOR bytes, decoded once here. An open that fails is kept as its error and thrown by `opened`, at the
 * moment the in-thread open would have thrown it; a pool that is full or lost its worker leaves nothing, and
 * RequestAuth.open opens in the event loop as before.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { decodeStrict } from '../../core/protocol/cbor.ts';
import { type SealedSlot, sealedSlotOf } from '../../core/protocol/envelope.ts';
import type { VerifiedEnvelope } from '../../core/protocol/index.ts';
import type { BlsSigner, Envelope, Verified } from '../../core/protocol/types.ts';
import { ApiError } from '../http/errors.ts';
import type { BatchVerifier } from './batch-verifier.ts';
import { type TaskOutcome, workerError } from './messages.ts';
import type { CryptoPool } from './pool.ts';
import { CryptoPoolError } from './worker-slot.ts';

/** What RequestAuth asks of an opener (http/auth.ts). */
export interface RequestOpener {
  /** A verifier for `env`'s signature that also opens it when it verifies, or undefined (the usual one). */
  verifierFor?(env: Verified<Envelope>): BlsSigner | undefined;
  /** Opens `env` ahead of time when it is sealed to the node; resolves to `env` once done. */
  prefetch(env: VerifiedEnvelope): Promise<VerifiedEnvelope>;
  /** The content opened ahead of time (throws the error the open met), or undefined: open it in the thread. */
  opened(env: VerifiedEnvelope): { readonly content: unknown } | undefined;
}

type Opened = { readonly content: unknown } | { readonly error: unknown };

export class PoolOpener implements RequestOpener {
  readonly #pool: CryptoPool;
  readonly #node: CID;
  /** By the decoded envelope object, which every later step of the request carries: gone with it. */
  readonly #opened = new WeakMap<Envelope, Opened>();
  readonly #batch: BatchVerifier | undefined;

  /** With `batch`, requests are opened in their signature's round (verifierFor); without, by prefetch. */
  constructor(pool: CryptoPool, node: CID, batch?: BatchVerifier) {
    this.#pool = pool;
    this.#node = node;
    this.#batch = batch;
  }

  /**
   * The node's slot of `env` when it is a version 2 envelope sealed to the node, else undefined: RequestAuth.open
   * then opens it in the thread, and throws what that open meets (a plain or version 1 request).
   */
  #slotOf(env: Verified<Envelope>): SealedSlot | undefined {
    try {
      return sealedSlotOf(env, this.#node, { requireCommitment: true });
    } catch {
      return undefined;
    }
  }

  verifierFor(env: Verified<Envelope>): BlsSigner | undefined {
    const batch = this.#batch;
    const slot = batch && this.#slotOf(env);
    if (!batch || !slot) return undefined;
    const verify = async (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => {
      const { ok, opened } = await batch.verifyThenOpen({ publicKey, message, signature, open: slot });
      if (ok && opened) this.#keep(env.value, opened);
      return ok;
    };
    return {
      verify,
      skToPk: (sk) => batch.skToPk(sk),
      sign: (sk, msg) => batch.sign(sk, msg),
      popProve: (sk) => batch.popProve(sk),
      popVerify: (pk, proof) => batch.popVerify(pk, proof),
    };
  }

  /** The worker's outcome of an open: its content decoded once, or its error (never the pool's own trouble). */
  #keep(value: Envelope, outcome: TaskOutcome): void {
    if (!outcome.ok) return void this.#opened.set(value, { error: workerError(outcome.name, outcome.message) });
    try {
      this.#opened.set(value, { content: decodeStrict(outcome.value as Uint8Array) });
    } catch (err) {
      this.#opened.set(value, { error: err });
    }
  }

  async prefetch(env: VerifiedEnvelope): Promise<VerifiedEnvelope> {
    const slot = this.#opened.has(env.value) ? undefined : this.#slotOf(env);
    if (!slot) return env;
    try {
      const bytes = (await this.#pool.run({ kind: 'open', slot })) as Uint8Array;
      this.#opened.set(env.value, { content: decodeStrict(bytes) });
    } catch (err) {
      // The pool's own trouble is not the request's: RequestAuth.open opens it in the thread instead.
      if (err instanceof CryptoPoolError || err instanceof ApiError) return env;
      this.#opened.set(env.value, { error: err });
    }
    return env;
  }

  opened(env: VerifiedEnvelope): { readonly content: unknown } | undefined {
    const result = this.#opened.get(env.value);
    if (result && 'error' in result) throw result.error;
    return result;
  }
}
