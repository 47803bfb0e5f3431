/**
 * The issuing half of the plugin: this node's master-secret share s_i and
 * the shares it hands out. Policy, not math, is what lives here — the
 * math is core.mpin:
 *  - s_i is drawn once, at first use, and kept in the plugin's keystore
 *    under "master"; the keystore never replaces a name, so a restarted
 *    node keeps issuing the same shares and never draws a second s_i;
 *  - client-secret shares s_i H(ID) and time permits s_i H(date || H(ID))
 *    only for an ID of the requester's own identity (id.ts), never for a
 *    revoked identity; a client-secret share once per M-Pin ID, recorded
 *    before it leaves (enrolments.ts); permits only for the identity's
 *    current enrolment and for today or tomorrow (days since the epoch,
 *    UTC), so a client cannot stock up permits for a later date and
 *    outlive a revocation;
 *  - server-secret shares s_i Q only to authentication servers whose
 *    identity CID the operator listed;
 *  - t-of-n (config "dkg": a session CID): s_i is instead this node's share
 *    of that DKG (purpose "mpin:master secret", BLS12-381, so an Fr scalar),
 *    read through the plugin's DKG capability, never drawn; every share then
 *    carries the session, this node's index and t (docs/mpin.md#threshold).
 * Callers (the routes) have already checked that `requester` signed the
 * request; this class trusts that and nothing else.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { Core } from '../../../core/types.ts';
import { MpinError } from '../../../plugins/mpin/errors.ts';
import { canonicalIdentity, mpinIdOf, mpinIdText } from '../../../plugins/mpin/id.ts';
import type { SessionGroup, ThresholdTag } from '../../../plugins/mpin/issue-messages.ts';
import { checkMpinSession } from '../../../plugins/mpin/threshold.ts';
import type { ScopedKeystore } from '../../keystore/types.ts';
import type { PluginDkg } from '../types.ts';
import { AppendLog } from './append-log.ts';
import { Enrolments } from './enrolments.ts';

const MASTER = 'master';
const DAY_MS = 86_400_000;

export interface IssuerPolicy {
  /** Identity CIDs (canonical strings) of the authentication servers that may receive s_i Q. */
  readonly servers: ReadonlySet<string>;
  /** Identity CIDs refused client secrets and permits (a lost or stolen token). */
  readonly revoked: ReadonlySet<string>;
  /** t-of-n: the DKG session whose share is s_i (absent: s_i drawn here, n-of-n or one node). */
  readonly dkg?: CID;
}

/** s_i as Milagro's 48-byte scalar and, from a DKG, what every share says about it. */
interface MasterShare {
  readonly s: Uint8Array;
  readonly tag?: ThresholdTag;
  readonly group?: SessionGroup;
}

/** Bytes of a DKG share (an Fr scalar) and of Milagro's scalar (16 zero bytes, then the same 32). */
const FR_BYTES = 32;
const MILAGRO_SCALAR_BYTES = 48;

/** A share and the M-Pin ID it belongs to (id.ts; absent for server secrets). */
export interface IssuedShare {
  readonly kind: 'client-secret' | 'permit' | 'server-secret';
  readonly id?: string;
  readonly date?: number;
  readonly share: Uint8Array; // G1 (97 bytes) or, for server secrets, G2 (192 bytes), Milagro encodings
  /** t-of-n: the DKG session, this node's index and t. */
  readonly tag?: ThresholdTag;
  /** t-of-n server secrets: the session document and the DKG's commitments. */
  readonly group?: SessionGroup;
}

export class Issuer {
  readonly #core: Core;
  readonly #keystore: ScopedKeystore;
  readonly #policy: IssuerPolicy;
  readonly #now: () => number;
  readonly #enrolments: Enrolments;
  readonly #dkg: PluginDkg | undefined;
  #master: Promise<MasterShare> | undefined;

  constructor(
    core: Core,
    keystore: ScopedKeystore,
    policy: IssuerPolicy,
    now: () => number = Date.now,
    dkg?: PluginDkg,
  ) {
    this.#core = core;
    this.#keystore = keystore;
    this.#policy = policy;
    this.#now = now;
    this.#dkg = dkg;
    this.#enrolments = new Enrolments(new AppendLog(keystore));
  }

  /**
   * s_i H(ID) for enrolment `enrolment` of the requester's own identity, once: recorded (under the
   * request's CID) before it is returned; another request for the same ID is MpinError('already_issued').
   */
  async clientSecret(requester: CID, enrolment: number, request: CID): Promise<IssuedShare> {
    this.#client(requester);
    const { s, tag } = await this.#masterSecret();
    await this.#enrolments.record(requester, enrolment, request);
    const id = mpinIdText(requester, enrolment);
    const share = this.#core.mpin.clientSecret(s, this.#core.mpin.hashId(mpinIdOf(requester, enrolment)));
    return { kind: 'client-secret', id, share, ...(tag ? { tag } : {}) };
  }

  /** s_i H(date || H(ID)) for the requester's current enrolment, for today or tomorrow (UTC days). */
  async permit(requester: CID, date: unknown, enrolment = 0): Promise<IssuedShare> {
    this.#client(requester);
    const today = Math.floor(this.#now() / DAY_MS);
    if (typeof date !== 'number' || (date !== today && date !== today + 1)) {
      throw new MpinError('forbidden', 'date: permits are issued for today or tomorrow only');
    }
    const current = await this.#enrolments.current(requester);
    if (enrolment !== current) {
      throw new MpinError('revoked', `enrolment ${enrolment} is not this identity's current one here (${current})`);
    }
    const { s, tag } = await this.#masterSecret();
    const share = this.#core.mpin.clientPermit(date, s, this.#core.mpin.hashId(mpinIdOf(requester, enrolment)));
    return { kind: 'permit', id: mpinIdText(requester, enrolment), date, share, ...(tag ? { tag } : {}) };
  }

  /** The identity's current enrolment at this node (0: none recorded); what authentication servers ask. */
  currentEnrolment(identity: CID): Promise<number> {
    return this.#enrolments.current(identity);
  }

  /** s_i Q, for a registered authentication server only. */
  async serverSecret(requester: CID): Promise<IssuedShare> {
    if (!this.#policy.servers.has(canonicalIdentity(requester))) {
      throw new MpinError('forbidden', 'not a registered authentication server of this node');
    }
    return this.ownServerSecret();
  }

  /** s_i Q for this node's own authentication server (same operator, no registration needed). */
  async ownServerSecret(): Promise<IssuedShare> {
    const { s, tag, group } = await this.#masterSecret();
    return { kind: 'server-secret', share: this.#core.mpin.serverSecret(s), ...(tag && group ? { tag, group } : {}) };
  }

  /**
   * t-of-n: the configured session, and (when this node holds its share) this node's index, t and the session
   * document, which are public; undefined when the node draws its own s_i.
   */
  async threshold(): Promise<{ session: CID; tag?: ThresholdTag; group?: SessionGroup } | undefined> {
    const session = this.#policy.dkg;
    if (session === undefined) return undefined;
    try {
      const { tag, group } = await this.#masterSecret();
      return { session, ...(tag ? { tag } : {}), ...(group ? { group } : {}) };
    } catch (e) {
      if (e instanceof MpinError) return { session }; // not done here (yet), or not an M-Pin session
      throw e;
    }
  }

  /** The requester's canonical CID string, unless it is revoked. */
  #client(requester: CID): string {
    const id = canonicalIdentity(requester);
    if (this.#policy.revoked.has(id)) throw new MpinError('forbidden', 'this identity is revoked on this node');
    return id;
  }

  /** s_i: this node's share of the configured DKG, else read from the keystore, or drawn and stored there. */
  #masterSecret(): Promise<MasterShare> {
    const session = this.#policy.dkg;
    this.#master ??= (session ? this.#fromDkg(session) : this.#loadOrDraw().then((s) => ({ s }))).catch(
      (e: unknown) => {
        this.#master = undefined; // a failed keystore read, or a DKG not done yet, may succeed later
        throw e;
      },
    );
    return this.#master;
  }

  /** The DKG share padded to Milagro's scalar; the holding's copy of the share is wiped. */
  async #fromDkg(session: CID): Promise<MasterShare> {
    if (this.#dkg === undefined) throw new MpinError('not_ready', 'this node runs no DKGs');
    const holding = await this.#dkg.get(session);
    if (holding === undefined) {
      throw new MpinError('not_ready', `DKG session ${session.toString()} is not done on this node`);
    }
    try {
      checkMpinSession(holding.session);
      if (holding.share.length !== FR_BYTES) throw new MpinError('not_ready', 'the DKG share is not an Fr scalar');
      const s = new Uint8Array(MILAGRO_SCALAR_BYTES);
      s.set(holding.share, MILAGRO_SCALAR_BYTES - FR_BYTES);
      return {
        s,
        tag: { session, index: holding.index, t: holding.session.value.t },
        group: { document: holding.session.bytes, commitments: holding.commitments },
      };
    } finally {
      holding.share.fill(0);
    }
  }

  async #loadOrDraw(): Promise<Uint8Array> {
    const kept = await this.#keystore.get(MASTER);
    if (kept !== undefined) return kept;
    const drawn = this.#core.mpin.masterSecret();
    try {
      await this.#keystore.put(MASTER, drawn);
    } catch (e) {
      // Another writer got there first (KeyExistsError): that secret is the committed one.
      const other = await this.#keystore.get(MASTER);
      drawn.fill(0);
      if (other === undefined) throw e;
      return other;
    }
    return drawn;
  }
}
