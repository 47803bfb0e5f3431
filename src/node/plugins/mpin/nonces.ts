/**
 * The nonces an authentication server handed out (POST /challenge): each
 * is good for one login, until it expires. A nonce is taken when a login
 * names it, whatever the verdict, so a captured login cannot be played
 * again at this server, and (with the server's identity in the bound
 * message) not at another either. Kept in memory: after a restart the
 * old nonces are unknown, hence refused. Bounded: when full of live
 * nonces it refuses to hand out more rather than forget one.
 * @module
 */
import { randomBytes, toHex } from '../../../core/bytes.ts';
import { NONCE_BYTES } from '../../../plugins/mpin/login-binding.ts';

export class NonceBook {
  readonly #max: number;
  readonly #expiry = new Map<string, number>(); // hex nonce -> unix seconds after which it is refused

  constructor(max: number) {
    this.#max = max;
  }

  /** A fresh nonce good until `expires`; undefined when the book is full of live nonces. */
  issue(expires: number, now: number): Uint8Array | undefined {
    if (this.#expiry.size >= this.#max) this.#sweep(now);
    if (this.#expiry.size >= this.#max) return undefined;
    const nonce = randomBytes(NONCE_BYTES);
    this.#expiry.set(toHex(nonce), expires);
    return nonce;
  }

  /** True once for a nonce handed out and not expired; it is gone after. */
  take(nonce: Uint8Array, now: number): boolean {
    const key = toHex(nonce);
    const expires = this.#expiry.get(key);
    this.#expiry.delete(key);
    return expires !== undefined && now <= expires;
  }

  #sweep(now: number): void {
    for (const [key, expires] of this.#expiry) if (expires < now) this.#expiry.delete(key);
  }
}
