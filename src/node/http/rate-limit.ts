/**
 * A per-client token bucket for the one write anyone may make without being known: registering an identity
 * (POST /v1/identities). Each new document costs two BLS verifications and a file, so without a limit one
 * client could spend the node's CPU and fill its disk. A client (by address) gets `perMinute` tokens, refilled
 * continuously, and may spend them in a burst; a refusal says when the next token comes. At most
 * MAX_CLIENTS buckets are kept (the fullest, i.e. the idlest, go first), so the limiter's own memory is bounded.
 * @module
 */

/** Buckets kept at most; beyond it a full bucket is dropped (it would behave the same if made anew). */
export const MAX_CLIENTS = 10_000;

export type Take = { readonly ok: true } | { readonly ok: false; readonly retryAfterS: number };

export interface RateLimiter {
  /** Spends one token of `client` at time `now` (ms). */
  take(client: string, now?: number): Take;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** `perMinute` 0 means no limit. */
export function createRateLimiter(perMinute: number): RateLimiter {
  if (perMinute === 0) return { take: () => ({ ok: true }) };
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, Bucket>();
  const refill = (b: Bucket, now: number) => {
    b.tokens = Math.min(perMinute, b.tokens + Math.max(0, now - b.at) * perMs);
    b.at = now;
  };
  const makeRoom = (now: number) => {
    if (buckets.size < MAX_CLIENTS) return;
    for (const [client, b] of buckets) {
      refill(b, now);
      if (b.tokens >= perMinute) buckets.delete(client);
    }
    if (buckets.size >= MAX_CLIENTS) buckets.delete(buckets.keys().next().value!); // all busy: the oldest entry
  };
  return {
    take(client, now = Date.now()) {
      let b = buckets.get(client);
      if (!b) {
        makeRoom(now);
        b = { tokens: perMinute, at: now };
        buckets.set(client, b);
      }
      refill(b, now);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
    },
  };
}
