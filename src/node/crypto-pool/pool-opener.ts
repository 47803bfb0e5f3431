/**
 * Requests sealed to the node, opened by a worker of the crypto pool as soon as their signature has verified
 * (RequestAuth.verify), so that the X-Wing decapsulation and the AES-GCM of the content leave the event loop;
 * RequestAuth.open, which stays synchronous, then takes the content from here. The worker sends back the content's
 * DAG-CBOR bytes, decoded once here. An open that fails is kept as its error and thrown by `opened`, at the
 * moment the in-thread open would have thrown it; a pool that is full or lost its worker leaves nothing, and
 * RequestAuth.open opens in the event loop as before.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { decodeStrict } from '../../core/protocol/cbor.ts';
import { isSealed, type VerifiedEnvelope } from '../../core/protocol/index.ts';
import type { Envelope } from '../../core/protocol/types.ts';
import { ApiError } from '../http/errors.ts';
import type { CryptoPool } from './pool.ts';
import { CryptoPoolError } from './worker-slot.ts';

/** What RequestAuth asks of an opener (http/auth.ts). */
export interface RequestOpener {
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

  constructor(pool: CryptoPool, node: CID) {
    this.#pool = pool;
    this.#node = node;
  }

  async prefetch(env: VerifiedEnvelope): Promise<VerifiedEnvelope> {
    const { body } = env.value;
    if (!isSealed(body) || !body.sealed.keys.some((k) => k.recipient.equals(this.#node))) return env;
    try {
      const bytes = (await this.#pool.run({ kind: 'open', envelope: env.bytes })) as Uint8Array;
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
