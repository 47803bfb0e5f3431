/**
 * M-Pin from the browser. Registration: confirm the person (the passkey
 * with user verification, where the identity has one), ask the issuing
 * nodes which enrolment of this identity is current and take the next,
 * ask two or more of them for the client-secret share of that enrolment
 * (one "mpin/order" each, given once per node and M-Pin ID; every reply
 * signed by its node and sealed to us), add the shares in the worker (or,
 * from t-of-n issuers whose shares name a DKG session, hold them to that
 * session and interpolate them: docs/mpin.md#threshold), turn the result
 * into a PIN token with the PIN, and keep only the token. Login:
 * a nonce from the authentication server (POST /v1/plugins/mpin/challenge),
 * today's time permits from the same issuers when the server requires them
 * (the default), the one-pass proof of the token and PIN bound to the
 * server, the nonce and a fresh session, computed in the worker and posted
 * to POST /v1/plugins/mpin/login.
 *
 * The M-Pin ID is the identity's CID and the enrolment (the plugin's rule,
 * src/plugins/mpin/id.ts): a node issues a share only to a request signed by
 * that identity. Registrations stored before enrolments existed have none:
 * enrolment 0, the identity CID alone.
 * @module
 */

import type { CID } from 'multiformats/cid';
import { fromBase64, randomBytes, toHex, utf8, wipe } from '../../core/bytes.ts';
import { type DkgSession, readSession } from '../../core/dkg/messages.ts';
import type { Verified } from '../../core/protocol/types.ts';
import { parseEnrolmentReply } from '../../plugins/mpin/enrolment-query.ts';
import { canonicalIdentity, mpinIdOf, mpinIdText, parseIdentity } from '../../plugins/mpin/id.ts';
import { type IssueRequest, readIssueReply } from '../../plugins/mpin/issue-messages.ts';
import { parseChallenge, randomSession } from '../../plugins/mpin/login-binding.ts';
import { loginBodyOf, loginMessageOf } from '../../plugins/mpin/login-request.ts';
import { inG1, type NodeShare, recombineShares } from '../../plugins/mpin/threshold.ts';
import { type FlowsDeps, nowOf, requireSigner } from '../api/deps.ts';
import { InputError, NotReadyError, ReplyError } from '../api/errors.ts';
import { nodeApiAt } from '../api/node-api.ts';
import { hasPlugin, type NodeRecord } from '../nodes/model.ts';
import { listNodes } from '../nodes/registry.ts';
import { placeOrder } from '../orders/flow.ts';
import { type IssuerRecord, type LoginRecord, MIN_ISSUERS, type MpinRegistration, parsePin } from './model.ts';
import { mpinSummary } from './summary.ts';

/** Progress of a slow step, for the view: which node, and how far. */
export type StepProgress = (step: { readonly done: number; readonly total: number; readonly what: string }) => void;

const DAY_MS = 86_400_000;

function pinOf(text: string): number {
  const pin = parsePin(text);
  if (pin === undefined) throw new InputError('pin', 'a PIN is 4 digits');
  return pin;
}

/** The chosen nodes: known, with the mpin plugin, at least MIN_ISSUERS distinct identities. */
async function issuersOf(deps: FlowsDeps, urls: readonly string[]): Promise<NodeRecord[]> {
  const nodes = await listNodes(deps);
  const chosen = urls.map((u) => nodes.find((n) => n.url === u));
  if (chosen.some((n) => !n)) throw new InputError('nodes', 'choose among your nodes');
  const list = chosen as NodeRecord[];
  const without = list.filter((n) => !hasPlugin(n, 'mpin'));
  if (without.length)
    throw new InputError('nodes', `${without.map((n) => n.name).join(', ')} does not issue M-Pin shares`);
  if (new Set(list.map((n) => n.identity)).size !== list.length)
    throw new InputError('nodes', 'the same node was chosen twice (two URLs, one identity)');
  if (list.length < MIN_ISSUERS)
    throw new InputError(
      'nodes',
      `choose at least ${MIN_ISSUERS} issuing nodes: no single node should know your whole secret`,
    );
  return list;
}

/** One node's share for us, through an mpin order (recorded like any order, so it can be audited). */
async function shareFrom(
  deps: FlowsDeps,
  node: NodeRecord,
  me: string,
  asked: IssueRequest,
): Promise<{ share: NodeShare; order: string }> {
  const placed = await placeOrder(deps, {
    node: node.url,
    plugin: 'mpin',
    content: { ...asked },
    summarize: async () => mpinSummary(asked),
  });
  const share = { node: parseIdentity(node.identity, 'node'), reply: readIssueReply(placed.content, asked, me) };
  return { share, order: placed.order.id };
}

/**
 * The nodes' G1 shares combined in the worker: added (n-of-n), or, when t-of-n issuers tagged them with their
 * DKG session, held to that session (read from an issuer, its CID checked against the tag) and interpolated.
 */
async function combineG1(deps: FlowsDeps, nodes: readonly NodeRecord[], shares: NodeShare[]): Promise<Uint8Array> {
  const tag = shares.find((s) => s.reply.tag)?.reply.tag;
  const session = tag ? await dkgSessionOf(deps, nodes, tag.session) : undefined;
  return recombineShares(inG1((await deps.crypto()).mpin), shares, session);
}

/** The DKG session document `cid` names, as the first of `nodes` that shows it gives it (GET /v1/plugins/mpin/). */
async function dkgSessionOf(deps: FlowsDeps, nodes: readonly NodeRecord[], cid: CID): Promise<Verified<DkgSession>> {
  for (const node of nodes) {
    const info = (await nodeApiAt(node.url, deps.fetch).pluginGet('mpin')) as {
      issuer?: { dkg?: { document?: unknown } };
    };
    const document = info?.issuer?.dkg?.document;
    if (typeof document !== 'string') continue;
    const session = readSession(fromBase64(document, 'issuer.dkg.document'));
    if (session.cid.equals(cid)) return session;
  }
  throw new ReplyError(`mpin: no issuing node shows the DKG session ${cid.toString()} its shares name`);
}

/** The next enrolment of `me`: one more than the largest current one among the chosen issuers. */
async function nextEnrolment(deps: FlowsDeps, issuers: readonly NodeRecord[], me: string): Promise<number> {
  const current = await Promise.all(
    issuers.map(async (node) =>
      parseEnrolmentReply(await nodeApiAt(node.url, deps.fetch).pluginGet('mpin', `enrolment/${me}`), me),
    ),
  );
  return Math.max(0, ...current) + 1;
}

export interface RegisterInput {
  readonly nodes: readonly string[];
  readonly pin: string;
  /**
   * Confirms the person before any share is asked for: the page asks the identity's passkey with user
   * verification when it has one (a copied key alone must not be enough to enrol again).
   */
  readonly verifyUser?: () => Promise<void>;
}

/**
 * Registers this identity for M-Pin with the chosen issuing nodes and a PIN; stores the token only. A new
 * registration is a new enrolment: the issuers then refuse the older ones permits and logins.
 */
export async function registerMpin(
  deps: FlowsDeps,
  input: RegisterInput,
  progress?: StepProgress,
): Promise<MpinRegistration> {
  const pin = pinOf(input.pin);
  const signer = await requireSigner(deps);
  const issuers = await issuersOf(deps, input.nodes);
  const me = canonicalIdentity(signer.identity.cid);
  await input.verifyUser?.();
  const enrolment = await nextEnrolment(deps, issuers, me);
  const id = mpinIdText(signer.identity.cid, enrolment);
  const ops = await deps.crypto();
  const shares: NodeShare[] = [];
  const records: IssuerRecord[] = [];
  try {
    for (const [i, node] of issuers.entries()) {
      progress?.({ done: i, total: issuers.length + 1, what: `client-secret share from ${node.name}` });
      const { share, order } = await shareFrom(deps, node, id, { issue: 'client-secret', enrolment });
      shares.push(share);
      records.push({ url: node.url, identity: node.identity, name: node.name, order });
    }
    progress?.({ done: issuers.length, total: issuers.length + 1, what: 'adding the shares and making the PIN token' });
    const clientSecret = await combineG1(deps, issuers, shares);
    let token: Uint8Array;
    try {
      token = await ops.mpin.extractPin(mpinIdOf(signer.identity.cid, enrolment), pin, clientSecret);
    } finally {
      wipe(clientSecret);
    }
    const tag = shares.find((s) => s.reply.tag)?.reply.tag;
    const reg: MpinRegistration = {
      id: randomId(),
      owner: me,
      enrolment,
      issuers: records,
      ...(tag ? { threshold: { session: tag.session.toString(), t: tag.t } } : {}),
      token,
      created: nowOf(deps),
    };
    await (await deps.db()).put('mpin', reg);
    progress?.({ done: issuers.length + 1, total: issuers.length + 1, what: 'registered' });
    return reg;
  } finally {
    wipe(...shares.map((s) => s.reply.share));
  }
}

/** The enrolment of a registration (0 for those stored before enrolments existed). */
export function enrolmentOf(reg: MpinRegistration): number {
  return reg.enrolment ?? 0;
}

/** The M-Pin ID a registration's token was made for. */
export function mpinIdOfRegistration(reg: MpinRegistration): string {
  return mpinIdText(parseIdentity(reg.owner, 'owner'), enrolmentOf(reg));
}

/** A random id for a registration record (not a secret). */
function randomId(): string {
  return toHex(randomBytes(8));
}

export async function listRegistrations(deps: FlowsDeps, owner: string): Promise<MpinRegistration[]> {
  const all = await (await deps.db()).getAllFromIndex('mpin', 'owner', owner);
  return all.sort((a, b) => b.created - a.created);
}

export async function removeRegistration(deps: FlowsDeps, id: string): Promise<void> {
  await (await deps.db()).delete('mpin', id);
}

/** What an authentication server says about itself (GET /v1/plugins/mpin/). */
export interface AuthServerInfo {
  readonly identity: string;
  readonly issuers: readonly string[];
  readonly ready: boolean;
  readonly requirePermit: boolean;
  readonly windowSeconds: number;
}

export async function authServerInfo(deps: FlowsDeps, url: string): Promise<AuthServerInfo> {
  const info = (await nodeApiAt(url, deps.fetch).pluginGet('mpin')) as { authServer?: Record<string, unknown> | null };
  const a = info?.authServer;
  if (!a) throw new InputError('server', 'this node is not an M-Pin authentication server');
  if (typeof a.identity !== 'string' || !Array.isArray(a.issuers))
    throw new ReplyError('mpin: unexpected authentication server status');
  return {
    identity: a.identity,
    issuers: a.issuers.filter((s): s is string => typeof s === 'string'),
    ready: a.ready === true,
    requirePermit: a.requirePermit === true,
    windowSeconds: typeof a.windowSeconds === 'number' ? a.windowSeconds : 0,
  };
}

/**
 * Issuers of the registration that the server does not use, and issuers of the server the registration lacks
 * (none with t-of-n issuers: the registration holds t of them, the server recombines any t of its own).
 */
export function issuerMismatch(
  reg: MpinRegistration,
  server: AuthServerInfo,
): { readonly missing: string[]; readonly extra: string[] } {
  const mine = new Set(reg.issuers.map((i) => i.identity));
  const theirs = new Set(server.issuers);
  const missing = reg.threshold ? [] : [...theirs].filter((c) => !mine.has(c));
  return { missing, extra: [...mine].filter((c) => !theirs.has(c)) };
}

export interface LoginOutcome extends LoginRecord {
  /** Set when the registration's issuers differ from the server's: the login cannot succeed. */
  readonly mismatch?: boolean;
}

/** Today's time permit: each issuer's permit share for (today, our ID), added. */
async function permitFor(
  deps: FlowsDeps,
  reg: MpinRegistration,
  date: number,
  progress?: StepProgress,
): Promise<Uint8Array> {
  const nodes = await listNodes(deps);
  const shares: NodeShare[] = [];
  const nodesAsked: NodeRecord[] = [];
  try {
    for (const [i, issuer] of reg.issuers.entries()) {
      const node = nodes.find((n) => n.identity === issuer.identity);
      if (!node)
        throw new NotReadyError(
          `the issuing node ${issuer.name} is no longer in this app: add it again for time permits`,
        );
      progress?.({ done: i, total: reg.issuers.length + 1, what: `time permit from ${issuer.name}` });
      const enrolment = enrolmentOf(reg);
      const asked: IssueRequest = { issue: 'permit', date, ...(enrolment ? { enrolment } : {}) };
      shares.push((await shareFrom(deps, node, mpinIdOfRegistration(reg), asked)).share);
      nodesAsked.push(node);
    }
    return await combineG1(deps, nodesAsked, shares);
  } finally {
    wipe(...shares.map((s) => s.reply.share));
  }
}

/** `{ [key]: n }` for a count the server sent (a non-negative integer), nothing for anything else. */
function countOf<K extends string>(key: K, n: unknown): Partial<Record<K, number>> {
  return Number.isSafeInteger(n) && (n as number) >= 0 ? ({ [key]: n } as Record<K, number>) : {};
}

/** Logs in to the authentication server at `server` with registration `id` and the PIN. */
export async function loginMpin(
  deps: FlowsDeps,
  input: { registration: string; server: string; pin: string },
  progress?: StepProgress,
): Promise<LoginOutcome> {
  const pin = pinOf(input.pin);
  const db = await deps.db();
  const reg = await db.get('mpin', input.registration);
  if (!reg) throw new NotReadyError('no such M-Pin registration on this device');
  const api = nodeApiAt(input.server, deps.fetch);
  const info = await authServerInfo(deps, api.url);
  const mismatch = issuerMismatch(reg, info);
  const date = info.requirePermit ? Math.floor(nowOf(deps) / DAY_MS) : undefined;
  const permit = date !== undefined ? await permitFor(deps, reg, date, progress) : undefined;
  progress?.({ done: reg.issuers.length, total: reg.issuers.length + 1, what: 'computing the login proof' });
  // The nonce last: it is good for the server's window only, and the permits may take a while.
  const bound = {
    challenge: parseChallenge(await api.pluginPost('mpin', 'challenge', {}), info.identity),
    session: randomSession(),
  };
  const now = nowOf(deps);
  const time = Math.floor(now / 1000);
  const ops = await deps.crypto();
  const id = mpinIdOfRegistration(reg);
  const c = await ops.mpin.client({
    id: utf8(id),
    pin,
    token: reg.token,
    time,
    message: loginMessageOf(bound),
    ...(permit && date !== undefined ? { date, permit } : {}),
  });
  wipe(permit);
  const body = loginBodyOf(id, time, bound, c, date);
  const reply = (await api.pluginPost('mpin', 'login', body)) as Record<string, unknown>;
  if (typeof reply?.accepted !== 'boolean') throw new ReplyError('mpin login: unexpected reply');
  const outcome: LoginOutcome = {
    at: now,
    server: api.url,
    accepted: reply.accepted,
    ...(typeof reply.reason === 'string' ? { reason: reply.reason } : {}),
    ...countOf('retryAfter', reply.retryAfter),
    ...countOf('attemptsLeft', reply.attemptsLeft),
    ...(mismatch.missing.length || mismatch.extra.length ? { mismatch: true } : {}),
  };
  const latest = await db.get('mpin', reg.id);
  if (latest)
    await db.put('mpin', {
      ...latest,
      lastLogin: {
        at: outcome.at,
        server: outcome.server,
        accepted: outcome.accepted,
        ...(outcome.reason ? { reason: outcome.reason } : {}),
        ...countOf('retryAfter', outcome.retryAfter),
        ...countOf('attemptsLeft', outcome.attemptsLeft),
      },
    });
  return outcome;
}
