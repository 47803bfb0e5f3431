/**
 * The in-memory token bucket of one client, answered synchronously: the arithmetic of every limit of the
 * node (limits/request-limits.ts) when its store is this process's memory (limits/memory-rate-limit-store.ts).
 * A client gets `perMinute` tokens, refilled continuously, and may spend them in a burst; a refusal says when
 * the next token comes. At most MAX_CLIENTS buckets are kept (the fullest, i.e. the idlest, go first), so the
 * limiter's own memory is bounded.
 * @module
 */
import { MemoryRateLimitStore } from '../limits/memory-rate-limit-store.ts';
import type { TakeResult } from '../limits/rate-limit-store.ts';

/** Buckets kept at most; beyond it a full bucket is dropped (it would behave the same if made anew). */
export const MAX_CLIENTS = 10_000;

export interface RateLimiter {
  /** Spends one token of `client` at time `now` (ms). */
  take(client: string, now?: number): TakeResult;
}

/** `perMinute` 0 means no limit. */
export function createRateLimiter(perMinute: number): RateLimiter {
  if (perMinute === 0) return { take: () => ({ ok: true }) };
  const store = new MemoryRateLimitStore(MAX_CLIENTS);
  return { take: (client, now = Date.now()) => store.takeNow(client, 1, perMinute, perMinute / 60, now) };
}
