/**
 * An M-Pin registration as this page keeps it: the identity and the
 * enrolment (together the M-Pin ID), the issuing nodes and the orders that gave the client-
 * secret shares. The PIN token — the one secret-derived value stored — is kept by the worker,
 * sealed under the identity (src/worker/mpin/token-store.ts); the client secret and the PIN are
 * never stored.
 * @module
 */

export interface IssuerRecord {
  readonly url: string;
  readonly identity: string;
  readonly name: string;
  /** The order that issued this node's client-secret share. */
  readonly order: string;
}

export interface LoginRecord {
  readonly at: number;
  readonly server: string;
  readonly accepted: boolean;
  readonly reason?: string;
  /** A lockout's: seconds from `at` until the server verifies this identity's logins again. */
  readonly retryAfter?: number;
  /** A wrong PIN's: refused logins left before the lockout, when the server says. */
  readonly attemptsLeft?: number;
}

export interface MpinRegistration {
  readonly id: string;
  readonly owner: string; // identity CID
  /** The enrolment: the M-Pin ID is owner + "#" + enrolment; absent in registrations made before (= 0, the CID alone). */
  readonly enrolment?: number;
  readonly issuers: readonly IssuerRecord[];
  /** From t-of-n issuers (docs/mpin.md#threshold): their DKG session's CID and t; absent for n-of-n. */
  readonly threshold?: { readonly session: string; readonly t: number };
  /** Only in records stored before tokens moved to the worker: (s - pin)·H(ID); moved there at the next login. */
  readonly token?: Uint8Array;
  readonly created: number;
  readonly lastLogin?: LoginRecord;
}

/** The smallest number of issuing nodes a registration needs (one node alone would know the whole secret). */
export const MIN_ISSUERS = 2;

/** A PIN typed as exactly 4 digits, as a number below `max` (the core's limit, 10000); undefined otherwise. */
export function parsePin(text: string, max = 10_000): number | undefined {
  if (!/^\d{4}$/.test(text)) return undefined;
  const pin = Number(text);
  return pin < max ? pin : undefined;
}
