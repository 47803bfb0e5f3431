/**
 * The limits a node puts on work anyone can make it do before they are known, all on one RateLimitStore:
 * - failed signature checks per client (client-key.ts: IPv4 address or IPv6 /64): a client that sent more
 *   envelopes with bad signatures than its budget is refused (429) before its next signature costs a pairing;
 * - identity registrations per client, and for the whole node, so rotating addresses does not multiply them;
 * - resolutions of senders this node does not know (a lookup on the peers, then a verification), node-wide.
 * A limit of 0 is no limit. Buckets hold a minute's worth, so a client may spend its budget in a burst.
 * @module
 */
import type { RateLimitStore, TakeResult } from './rate-limit-store.ts';

export interface RequestLimitSettings {
  readonly failedSignaturesPerMinute: number;
  readonly registrationsPerMinute: number;
  readonly registrationsPerMinuteTotal: number;
  readonly unknownSendersPerMinute: number;
}

const OK: TakeResult = { ok: true };

export class RequestLimits {
  readonly #store: RateLimitStore;
  readonly #s: RequestLimitSettings;
  readonly #now: () => number;

  constructor(store: RateLimitStore, settings: RequestLimitSettings, now: () => number = Date.now) {
    this.#store = store;
    this.#s = settings;
    this.#now = now;
  }

  #take(key: string, cost: number, perMinute: number): Promise<TakeResult> {
    if (perMinute === 0) return Promise.resolve(OK);
    return this.#store.take(key, cost, perMinute, perMinute / 60, this.#now());
  }

  /** Whether `client` may still have a signature checked (spends nothing). */
  signatureBudget(client: string): Promise<TakeResult> {
    return this.#take(`sig:${client}`, 0, this.#s.failedSignaturesPerMinute);
  }

  /** Counts a signature of `client` that did not verify. */
  async signatureFailed(client: string): Promise<void> {
    await this.#take(`sig:${client}`, 1, this.#s.failedSignaturesPerMinute);
  }

  /** One identity registration by `client`: its own limit first, then the node's. */
  async registration(client: string): Promise<TakeResult> {
    const own = await this.#take(`reg:${client}`, 1, this.#s.registrationsPerMinute);
    if (!own.ok) return own;
    return this.#take('reg:*', 1, this.#s.registrationsPerMinuteTotal);
  }

  /** One resolution of a sender this node does not know, node-wide. */
  unknownSender(): Promise<TakeResult> {
    return this.#take('unknown-sender:*', 1, this.#s.unknownSendersPerMinute);
  }
}
