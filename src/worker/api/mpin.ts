/**
 * M-Pin in the worker (docs/mpin.md): every value from which the client secret could be computed exists only
 * here. Registration: the issuing nodes' replies arrive sealed to us (the page placed the orders and hands in the
 * envelopes), are verified and opened here, their shares recombined into the client secret, turned into the PIN
 * token with the PIN, and the token sealed under the unlocked identity (../mpin/token-store.ts); the shares and the
 * client secret are wiped. Login: the token opened, today's permit recombined from the issuers' sealed replies, the
 * server's challenge fetched, the one-pass proof computed and posted from here; x, y, the token and the permit are
 * wiped. The page gets the registration's public facts and the server's verdict, nothing it could use to log in
 * without the PIN.
 * @module
 */
import { CID } from 'multiformats/cid';
import { NodeApi } from '../../core/api/node-api.ts';
import { utf8, wipe } from '../../core/bytes.ts';
import { type DkgSession, readSession } from '../../core/dkg/messages.ts';
import type { Verified } from '../../core/protocol/types.ts';
import type { Core } from '../../core/types.ts';
import { MAX_ENROLMENT, mpinIdOf, mpinIdText } from '../../plugins/mpin/id.ts';
import { type IssueRequest, readIssueReply } from '../../plugins/mpin/issue-messages.ts';
import { parseChallenge, randomSession } from '../../plugins/mpin/login-binding.ts';
import { loginBodyOf, loginMessageOf } from '../../plugins/mpin/login-request.ts';
import { inG1, type NodeShare, recombineShares } from '../../plugins/mpin/threshold.ts';
import type { TokenStore } from '../mpin/token-store.ts';
import type { Session } from '../vault/vault.ts';
import { type NodeReplyIn, openNodeReply } from './node-reply.ts';
import { SecretBoundaryError } from './withheld.ts';

/** At most this many issuing nodes' replies in one step. */
const MAX_ISSUERS = 64;
const REPLY_TYPE = 'mpin/order-reply';

export interface MpinRegisterArgs {
  /** The registration's id (the page's record has the same one). */
  readonly registration: string;
  readonly enrolment: number;
  /** The PIN as typed: exactly 4 digits. */
  readonly pin: string;
  /** Each issuer's reply to its "mpin/order" for a client-secret share, sealed to us. */
  readonly replies: readonly NodeReplyIn[];
  /** DKG session documents the issuers show (t-of-n issuers' shares name one of them). */
  readonly sessions?: readonly Uint8Array[];
}

/** What the page keeps of a registration: public facts only. */
export interface MpinRegistered {
  /** From t-of-n issuers: their DKG session and t. */
  readonly threshold?: { readonly session: string; readonly t: number };
}

export interface MpinLoginArgs {
  readonly registration: string;
  readonly enrolment: number;
  readonly pin: string;
  /** The authentication server's URL and identity CID (from its GET /v1/plugins/mpin/). */
  readonly server: string;
  readonly serverIdentity: string;
  /** With a time permit: its day number and each issuer's permit reply, sealed to us. */
  readonly date?: number;
  readonly permits?: readonly NodeReplyIn[];
  readonly sessions?: readonly Uint8Array[];
  /** The login's time (ms since the epoch; now when absent). */
  readonly now?: number;
}

/** The authentication server's answer, as the person is shown it. */
export interface MpinLoginAnswer {
  readonly accepted: boolean;
  readonly reason?: string;
  /** A lockout's (or the refusal that locks): seconds until the server verifies this identity's logins again. */
  readonly retryAfter?: number;
  /** A wrong PIN's: refused logins left before the lockout. */
  readonly attemptsLeft?: number;
}

/** `{ [key]: n }` for a count the server sent (a non-negative integer), nothing for anything else. */
function countOf<K extends string>(key: K, n: unknown): Partial<Record<K, number>> {
  return Number.isSafeInteger(n) && (n as number) >= 0 ? ({ [key]: n } as Record<K, number>) : {};
}

function pinOf(text: unknown): number {
  if (typeof text !== 'string' || !/^\d{4}$/.test(text)) throw new SecretBoundaryError('a PIN is 4 digits');
  return Number(text);
}

function checkRegistration(id: unknown, enrolment: unknown): void {
  if (typeof id !== 'string' || !/^[0-9a-f]{16}$/.test(id))
    throw new SecretBoundaryError('a registration id is 16 hex digits');
  if (!Number.isInteger(enrolment) || (enrolment as number) < 0 || (enrolment as number) > MAX_ENROLMENT)
    throw new SecretBoundaryError('the enrolment is an integer in [0, 2^32)');
}

function checkReplies(replies: unknown, what: string): readonly NodeReplyIn[] {
  if (!Array.isArray(replies) || replies.length < 1 || replies.length > MAX_ISSUERS)
    throw new SecretBoundaryError(`${what}: 1 to ${MAX_ISSUERS} issuer replies`);
  return replies;
}

export function mpinApi(deps: { core: Core; session: () => Session; tokens: TokenStore }) {
  const { core, tokens } = deps;

  /** The session document among `docs` whose CID the shares' tag names, if they are tagged. */
  const sessionFor = (shares: readonly NodeShare[], docs: readonly Uint8Array[] = []) => {
    const tag = shares.find((s) => s.reply.tag)?.reply.tag;
    if (!tag) return undefined;
    const found = docs.map((d) => readSession(d)).find((s: Verified<DkgSession>) => s.cid.equals(tag.session));
    if (!found) throw new SecretBoundaryError(`no DKG session ${tag.session.toString()} given for the issuers' shares`);
    return found;
  };

  /** The issuers' shares of `asked` for our M-Pin ID, verified and opened here, recombined; wiped on the way. */
  const combined = async (
    session: Session,
    replies: readonly NodeReplyIn[],
    asked: IssueRequest,
    docs: readonly Uint8Array[] | undefined,
  ) => {
    const id = mpinIdText(session.identity.cid, asked.enrolment ?? 0);
    const shares: NodeShare[] = [];
    try {
      for (const r of replies) {
        const opened = await openNodeReply(core.bls, session, r, REPLY_TYPE);
        shares.push({ node: opened.node, reply: readIssueReply(opened.content, asked, id) });
      }
      const group = sessionFor(shares, docs);
      const value = await recombineShares(inG1(core.mpin), shares, group);
      const tag = shares.find((s) => s.reply.tag)?.reply.tag;
      return { value, ...(tag ? { threshold: { session: tag.session.toString(), t: tag.t } } : {}) };
    } finally {
      wipe(...shares.map((s) => s.reply.share));
    }
  };

  /** The login proof for (`id`, token, PIN) bound to the server's challenge; the secret intermediates wiped. */
  const proveAndPost = async (args: MpinLoginArgs, token: Uint8Array, permit: Uint8Array | undefined) => {
    const session = deps.session();
    const api = new NodeApi(args.server);
    const id = mpinIdText(session.identity.cid, args.enrolment);
    const bound = {
      challenge: parseChallenge(await api.pluginPost('mpin', 'challenge', {}), args.serverIdentity),
      session: randomSession(),
    };
    const time = Math.floor((args.now ?? Date.now()) / 1000);
    const withPermit = permit && args.date !== undefined ? { date: args.date, permit } : {};
    const c = core.mpin.client({
      id: utf8(id),
      pin: pinOf(args.pin),
      token,
      time,
      message: loginMessageOf(bound),
      ...withPermit,
    });
    let body: ReturnType<typeof loginBodyOf>;
    try {
      body = loginBodyOf(id, time, bound, c, permit ? args.date : undefined);
    } finally {
      wipe(c.x, c.y, c.u, c.ut, c.v);
    }
    return api.pluginPost('mpin', 'login', body);
  };

  return {
    /** Recombines the issuers' client-secret shares, makes the PIN token and keeps it sealed here. */
    async register(args: MpinRegisterArgs): Promise<MpinRegistered> {
      checkRegistration(args?.registration, args?.enrolment);
      const pin = pinOf(args.pin);
      const session = deps.session();
      const asked: IssueRequest = { issue: 'client-secret', enrolment: args.enrolment };
      const secret = await combined(session, checkReplies(args.replies, 'register'), asked, args.sessions);
      try {
        const token = core.mpin.extractPin(mpinIdOf(session.identity.cid, args.enrolment), pin, secret.value);
        try {
          await tokens.put(session, args.registration, token);
        } finally {
          wipe(token);
        }
      } finally {
        wipe(secret.value);
      }
      return secret.threshold ? { threshold: secret.threshold } : {};
    },

    /** Logs in at the authentication server with the sealed token and the PIN; the server's verdict. */
    async login(args: MpinLoginArgs): Promise<MpinLoginAnswer> {
      checkRegistration(args?.registration, args?.enrolment);
      pinOf(args.pin);
      CID.parse(args.serverIdentity);
      const session = deps.session();
      const permit =
        args.date !== undefined
          ? await combined(
              session,
              checkReplies(args.permits, 'login'),
              { issue: 'permit', date: args.date, ...(args.enrolment ? { enrolment: args.enrolment } : {}) },
              args.sessions,
            )
          : undefined;
      const token = await tokens.open(session, args.registration);
      if (!token) throw new SecretBoundaryError('this registration has no PIN token on this device: register again');
      try {
        const reply = (await proveAndPost(args, token, permit?.value)) as Record<string, unknown> | null;
        if (typeof reply?.accepted !== 'boolean') throw new SecretBoundaryError('mpin login: unexpected reply');
        return {
          accepted: reply.accepted,
          ...(typeof reply.reason === 'string' ? { reason: reply.reason } : {}),
          ...countOf('retryAfter', reply.retryAfter),
          ...countOf('attemptsLeft', reply.attemptsLeft),
        };
      } finally {
        wipe(token, permit?.value);
      }
    },

    /** Seals a token a registration kept in the page's database before tokens moved here (the page then drops it). */
    async adoptToken(args: { registration: string; token: Uint8Array }): Promise<void> {
      checkRegistration(args?.registration, 0);
      if (!(args.token instanceof Uint8Array)) throw new SecretBoundaryError('a token is bytes');
      try {
        await tokens.put(deps.session(), args.registration, args.token);
      } finally {
        wipe(args.token);
      }
    },

    /** Deletes a registration's token (the registration is being removed). */
    async forget(registration: string): Promise<void> {
      checkRegistration(registration, 0);
      await tokens.delete(deps.session().identity.cid.toString(), registration);
    },
  };
}

export type MpinApi = ReturnType<typeof mpinApi>;
