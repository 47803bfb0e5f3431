/**
 * The authentication-server half of the plugin: it holds the sum of the
 * server-secret shares s_i Q of its issuing nodes and verifies one-pass
 * M-Pin logins (core.mpin.server). On top of the core's pairing check:
 *  - freshness: the login's time (unix seconds, bound into the challenge)
 *    must be within `windowSeconds` of the server's clock, and not before
 *    the server started (the replay cache lives in memory only);
 *  - replay: a second login with the same (id, U) — UT with a permit — is
 *    refused, even when the first one was refused;
 *  - time permits: a login's date must be the UTC day of its time; with
 *    `requirePermit`, logins without a permit are refused (this is what
 *    makes a node's revocation effective);
 *  - lockout (lockout.ts) after repeated wrong logins for one identity.
 * Malformed points throw MpinError('invalid_point') before any state
 * changes; a well-formed login that does not verify is a refusal.
 * @module
 */
import { toHex } from '../../../core/bytes.ts';
import type { Core } from '../../../core/types.ts';
import { MpinError, withPoints } from '../../../plugins/mpin/errors.ts';
import { Lockout, type LockoutOptions } from './lockout.ts';
import { LoginReplayCache } from './login-replay.ts';

const DAY_S = 86_400;

/** A one-pass login, decoded (login.ts). `id` is the identity CID string, `idBytes` its UTF-8. */
export interface Login {
  readonly id: string;
  readonly idBytes: Uint8Array;
  readonly time: number; // unix seconds
  readonly v: Uint8Array;
  readonly u?: Uint8Array; // without a permit
  readonly date?: number; // with a permit: days since the epoch
  readonly ut?: Uint8Array; // with a permit
}

export type RefusalReason = 'stale' | 'replayed' | 'date' | 'permit_required' | 'locked' | 'refused';

export type LoginResult =
  | { readonly accepted: true; readonly id: string; readonly time: number }
  | { readonly accepted: false; readonly id: string; readonly reason: RefusalReason };

export interface AuthServerOptions {
  readonly windowSeconds: number;
  readonly requirePermit: boolean;
  readonly replayEntries: number;
  readonly lockout: LockoutOptions;
  /** Unix milliseconds. */
  readonly now?: () => number;
}

export const AUTH_SERVER_DEFAULTS: Omit<AuthServerOptions, 'now'> = Object.freeze({
  windowSeconds: 60,
  requirePermit: false,
  replayEntries: 100_000,
  lockout: Object.freeze({ maxFailures: 5, lockSeconds: 300, maxEntries: 10_000 }),
});

export class AuthServer {
  readonly #core: Core;
  readonly #o: AuthServerOptions;
  readonly #now: () => number;
  readonly #started: number;
  readonly #replay: LoginReplayCache;
  readonly #lockout: Lockout;
  #serverSecret: Uint8Array | undefined;

  constructor(core: Core, options: AuthServerOptions = AUTH_SERVER_DEFAULTS) {
    this.#core = core;
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#started = this.#seconds();
    this.#replay = new LoginReplayCache(options.replayEntries);
    this.#lockout = new Lockout(options.lockout);
  }

  get ready(): boolean {
    return this.#serverSecret !== undefined;
  }

  /** Adds the issuing nodes' server-secret shares (G2, Milagro encoding) and keeps only the sum. */
  setShares(shares: readonly Uint8Array[]): void {
    if (shares.length === 0) throw new MpinError('malformed', 'shares: at least one server-secret share');
    this.#serverSecret = withPoints('server-secret share', () => this.#core.mpin.recombineG2(shares));
  }

  verify(login: Login): LoginResult {
    const ss = this.#serverSecret;
    if (ss === undefined) throw new MpinError('not_ready', 'the server-secret shares have not been obtained yet');
    const now = this.#seconds();
    const refuse = (reason: RefusalReason): LoginResult => ({ accepted: false, id: login.id, reason });
    if (Math.abs(now - login.time) > this.#o.windowSeconds || login.time < this.#started) return refuse('stale');
    if (login.date === undefined && this.#o.requirePermit) return refuse('permit_required');
    if (login.date !== undefined && login.date !== Math.floor(login.time / DAY_S)) return refuse('date');
    if (this.#lockout.locked(login.id, now)) return refuse('locked');
    const ok = withPoints('login', () => this.#check(login, ss));
    const u = login.date === undefined ? login.u : login.ut;
    const seen = this.#replay.add(`${login.id} ${toHex(u!)}`, login.time + this.#o.windowSeconds, now);
    if (seen === 'full') throw new MpinError('unavailable', 'too many recent logins; try again shortly');
    if (seen === 'seen') return refuse('replayed');
    if (!ok) {
      this.#lockout.failed(login.id, now);
      return refuse('refused');
    }
    this.#lockout.succeeded(login.id);
    return { accepted: true, id: login.id, time: login.time };
  }

  /** The pairing check; throws the core's errors for invalid points. */
  #check(login: Login, serverSecret: Uint8Array): boolean {
    const common = { id: login.idBytes, time: login.time, serverSecret, v: login.v };
    if (login.date === undefined) return this.#core.mpin.server({ ...common, u: login.u! });
    return this.#core.mpin.server({ ...common, date: login.date, ut: login.ut! });
  }

  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }
}

