/**
 * The authentication-server half of the plugin: it holds the sum of the
 * server-secret shares s_i Q of its issuing nodes and verifies one-pass
 * M-Pin logins (core.mpin.server). On top of the core's pairing check:
 *  - binding: the proof's challenge hashes this server's identity, a nonce
 *    it handed out and the session (login-binding.ts), so a login made for
 *    another server, or replayed here, does not verify; a nonce is good
 *    once, for `windowSeconds`;
 *  - freshness: the login's time (unix seconds, bound into the challenge)
 *    must be within `windowSeconds` of the server's clock, and not before
 *    the server started;
 *  - replay: a second login with the same (id, U) — UT with a permit — is
 *    refused, even when the first one was refused;
 *  - time permits (on by default): a login's date must be the UTC day of
 *    its time; with `requirePermit`, logins without a permit are refused
 *    (the issuers give no permit to a revoked enrolment);
 *  - revocation: the login's enrolment must be the identity's current one
 *    at its issuers (asked at each login);
 *  - a durable lockout (lockout.ts) after repeated wrong logins for one identity.
 * Malformed points throw MpinError('invalid_point') before any state
 * changes; a well-formed login that does not verify is a refusal.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { toHex } from '../../../core/bytes.ts';
import type { Core } from '../../../core/types.ts';
import { MpinError, withPoints } from '../../../plugins/mpin/errors.ts';
import { loginMessage } from '../../../plugins/mpin/login-binding.ts';
import type { ScopedKeystore } from '../../keystore/types.ts';
import { AppendLog } from './append-log.ts';
import { Lockout, type LockoutOptions } from './lockout.ts';
import { LoginReplayCache } from './login-replay.ts';
import { NonceBook } from './nonces.ts';

const DAY_S = 86_400;

/** A one-pass login, decoded (login.ts). `id` is the M-Pin ID string, `idBytes` its UTF-8. */
export interface Login {
  readonly id: string;
  readonly idBytes: Uint8Array;
  readonly identity: CID;
  readonly enrolment: number;
  readonly time: number; // unix seconds
  readonly nonce: Uint8Array;
  readonly session: string;
  readonly v: Uint8Array;
  readonly u?: Uint8Array; // without a permit
  readonly date?: number; // with a permit: days since the epoch
  readonly ut?: Uint8Array; // with a permit
}

export type RefusalReason = 'stale' | 'replayed' | 'date' | 'permit_required' | 'locked' | 'revoked' | 'refused';

export type LoginResult =
  | { readonly accepted: true; readonly id: string; readonly time: number; readonly session: string }
  | {
      readonly accepted: false;
      readonly id: string;
      readonly reason: RefusalReason;
      /** With locked, or a refusal that locks: seconds until this identity's logins are verified again. */
      readonly retryAfter?: number;
      /** With refused (a wrong PIN): refusals left before the lockout. */
      readonly attemptsLeft?: number;
    };

export interface Challenge {
  readonly server: string;
  readonly nonce: Uint8Array;
  readonly expires: number;
}

export interface AuthServerOptions {
  readonly windowSeconds: number;
  readonly requirePermit: boolean;
  readonly replayEntries: number;
  readonly nonceEntries: number;
  readonly lockout: LockoutOptions;
  /** Unix milliseconds. */
  readonly now?: () => number;
}

export const AUTH_SERVER_DEFAULTS: Omit<AuthServerOptions, 'now'> = Object.freeze({
  windowSeconds: 60,
  requirePermit: true,
  replayEntries: 100_000,
  nonceEntries: 100_000,
  lockout: Object.freeze({ maxFailures: 5, lockSeconds: 300, maxLockSeconds: 30 * DAY_S }),
});

/** What the server stands on besides its options. */
export interface AuthServerDeps {
  /** This server's identity CID string (bound into every login). */
  readonly identity: string;
  /** Where the lockout is kept (the plugin's keystore). */
  readonly keystore: ScopedKeystore;
  /** The identity's current enrolment at the issuers (the largest of their answers). */
  readonly currentEnrolment: (identity: CID) => Promise<number>;
}

export class AuthServer {
  readonly #core: Core;
  readonly #o: AuthServerOptions;
  readonly #deps: AuthServerDeps;
  readonly #now: () => number;
  readonly #started: number;
  readonly #replay: LoginReplayCache;
  readonly #nonces: NonceBook;
  readonly #lockout: Lockout;
  #serverSecret: Uint8Array | undefined;

  constructor(core: Core, deps: AuthServerDeps, options: AuthServerOptions = AUTH_SERVER_DEFAULTS) {
    this.#core = core;
    this.#o = options;
    this.#deps = deps;
    this.#now = options.now ?? Date.now;
    this.#started = this.#seconds();
    this.#replay = new LoginReplayCache(options.replayEntries);
    this.#nonces = new NonceBook(options.nonceEntries);
    this.#lockout = new Lockout(new AppendLog(deps.keystore), options.lockout);
  }

  get ready(): boolean {
    return this.#serverSecret !== undefined;
  }

  /** Adds the issuing nodes' server-secret shares (G2, Milagro encoding) and keeps only the sum. */
  setShares(shares: readonly Uint8Array[]): void {
    if (shares.length === 0) throw new MpinError('malformed', 'shares: at least one server-secret share');
    this.#serverSecret = withPoints('server-secret share', () => this.#core.mpin.recombineG2(shares));
  }

  /** The server secret s·Q itself, recombined by the caller (t-of-n, server-shares.ts); checked as a point. */
  setServerSecret(serverSecret: Uint8Array): void {
    this.#serverSecret = withPoints('server secret', () => this.#core.mpin.recombineG2([serverSecret]));
  }

  /** A nonce for one login, good for `windowSeconds`. */
  challenge(): Challenge {
    const now = this.#seconds();
    const expires = now + this.#o.windowSeconds;
    const nonce = this.#nonces.issue(expires, now);
    if (nonce === undefined) throw new MpinError('unavailable', 'too many logins under way; try again shortly');
    return { server: this.#deps.identity, nonce, expires };
  }

  async verify(login: Login): Promise<LoginResult> {
    const ss = this.#serverSecret;
    if (ss === undefined) throw new MpinError('not_ready', 'the server-secret shares have not been obtained yet');
    const now = this.#seconds();
    const refuse = (reason: RefusalReason, retryAfter?: number, attemptsLeft?: number): LoginResult => ({
      accepted: false,
      id: login.id,
      reason,
      ...(retryAfter ? { retryAfter } : {}),
      ...(attemptsLeft !== undefined ? { attemptsLeft } : {}),
    });
    if (Math.abs(now - login.time) > this.#o.windowSeconds || login.time < this.#started) return refuse('stale');
    if (login.date === undefined && this.#o.requirePermit) return refuse('permit_required');
    if (login.date !== undefined && login.date !== Math.floor(login.time / DAY_S)) return refuse('date');
    const who = login.identity.toString();
    const until = await this.#lockout.lockedUntil(who);
    if (now < until) return refuse('locked', until - now);
    const ok = withPoints('login', () => this.#check(login, ss));
    if (!this.#nonces.take(login.nonce, now)) return refuse('replayed');
    const u = login.date === undefined ? login.u : login.ut;
    const seen = this.#replay.add(`${login.id} ${toHex(u!)}`, login.time + this.#o.windowSeconds, now);
    if (seen === 'full') throw new MpinError('unavailable', 'too many recent logins; try again shortly');
    if (seen === 'seen') return refuse('replayed');
    if (login.enrolment !== (await this.#deps.currentEnrolment(login.identity))) return refuse('revoked');
    if (!ok) {
      // The person is told how many tries are left, and when the one that locks says for how long.
      const failures = await this.#lockout.failed(who, now);
      return refuse('refused', this.#lockout.delay(failures), this.#lockout.attemptsLeft(failures));
    }
    await this.#lockout.succeeded(who, now);
    return { accepted: true, id: login.id, time: login.time, session: login.session };
  }

  /** The pairing check over the bound message; throws the core's errors for invalid points. */
  #check(login: Login, serverSecret: Uint8Array): boolean {
    const message = loginMessage({ server: this.#deps.identity, nonce: login.nonce, session: login.session });
    const common = { id: login.idBytes, time: login.time, serverSecret, v: login.v, message };
    if (login.date === undefined) return this.#core.mpin.server({ ...common, u: login.u! });
    return this.#core.mpin.server({ ...common, date: login.date, ut: login.ut! });
  }

  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }
}
