/**
 * The authentication-server role of a node: an AuthServer plus the work of
 * getting its server secret. Shares are fetched on demand (the setup route
 * or the first login), one fetch at a time, and not again for `retryMs`
 * after a failure, so logins cannot make this node flood its issuers.
 * The sum (or, from t-of-n issuers, the Lagrange recombination of any t
 * verified shares) is kept in memory only: the shares never change (each
 * issuer's s_i is drawn once, or is its share of a DKG), so a restarted
 * server simply fetches them again.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { Core } from '../../../core/types.ts';
import { MpinError } from '../../../plugins/mpin/errors.ts';
import type { ScopedKeystore } from '../../keystore/types.ts';
import type { AuthIdentity } from './auth-identity.ts';
import { AUTH_SERVER_DEFAULTS, AuthServer, type Challenge, type Login, type LoginResult } from './auth-server.ts';
import type { AuthServerConfig } from './config.ts';
import { currentEnrolment, obtainServerSecret, type ShareSources } from './server-shares.ts';

const RETRY_MS = 2000;

export class AuthRole {
  readonly server: AuthServer;
  readonly me: AuthIdentity;
  readonly #config: AuthServerConfig;
  readonly #sources: ShareSources;
  readonly #now: () => number;
  #pending: Promise<void> | undefined;
  /** Issuers that must answer an enrolment query: 0 = all (n-of-n), t with t-of-n issuers. */
  #quorum = 0;
  #failure: { at: number; error: MpinError } | undefined;

  constructor(
    core: Core,
    config: AuthServerConfig,
    sources: ShareSources,
    keystore: ScopedKeystore,
    now: () => number = Date.now,
  ) {
    this.#config = config;
    this.#sources = sources;
    this.#now = now;
    this.me = sources.me;
    const deps = {
      identity: sources.me.identity.cid.toString(),
      keystore,
      currentEnrolment: (identity: CID) => currentEnrolment(sources, identity, this.#quorum),
    };
    this.server = new AuthServer(core, deps, {
      ...AUTH_SERVER_DEFAULTS,
      windowSeconds: config.windowSeconds,
      requirePermit: config.requirePermit,
      now,
    });
  }

  /** Obtains and adds the shares unless that is done; MpinError('not_ready') when an issuer fails. */
  ensureReady(): Promise<void> {
    if (this.server.ready) return Promise.resolve();
    if (this.#pending) return this.#pending;
    const f = this.#failure;
    if (f && this.#now() - f.at < RETRY_MS) return Promise.reject(f.error);
    this.#pending = this.#fetch().finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  async #fetch(): Promise<void> {
    if (this.#config.issuers.length === 0) throw new MpinError('not_ready', 'no issuing nodes are configured');
    try {
      const { serverSecret, quorum } = await obtainServerSecret(this.#sources);
      this.server.setServerSecret(serverSecret);
      this.#quorum = quorum;
      this.#failure = undefined;
    } catch (e) {
      const error =
        e instanceof MpinError ? e : new MpinError('not_ready', 'the server-secret shares could not be obtained');
      this.#failure = { at: this.#now(), error };
      throw error;
    }
  }

  /** A nonce for one login (the shares are fetched first, so a client does not wait twice). */
  async challenge(): Promise<Challenge> {
    await this.ensureReady();
    return this.server.challenge();
  }

  async login(login: Login): Promise<LoginResult> {
    await this.ensureReady();
    return this.server.verify(login);
  }

  status() {
    return {
      identity: this.me.identity.cid.toString(),
      issuers: this.#config.issuers.map((e) => e.identity.toString()),
      ready: this.server.ready,
      windowSeconds: this.#config.windowSeconds,
      requirePermit: this.#config.requirePermit,
      ...(this.#failure ? { lastError: this.#failure.error.message } : {}),
    };
  }
}
