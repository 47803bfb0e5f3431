/**
 * M-Pin from the browser. Registration: confirm the person (the passkey
 * with user verification, where the identity has one), ask the issuing
 * nodes which enrolment of this identity is current and take the next,
 * ask two or more of them for the client-secret share of that enrolment
 * (one "mpin/order" each, given once per node and M-Pin ID; every reply
 * signed by its node and sealed to us), and hand the sealed replies to the
 * worker, which opens them, adds the shares (or, from t-of-n issuers whose
 * shares name a DKG session, holds them to that session and interpolates
 * them: docs/mpin.md#threshold), turns the result into a PIN token with the
 * PIN and keeps the token sealed under the identity (src/worker/api/mpin.ts):
 * no share, client secret or token reaches this page. Login:
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

import { fromBase64, randomBytes, toHex } from '../../core/bytes.ts';
import { parseEnrolmentReply } from '../../plugins/mpin/enrolment-query.ts';
import { canonicalIdentity, mpinIdText, parseIdentity } from '../../plugins/mpin/id.ts';
import type { IssueRequest } from '../../plugins/mpin/issue-messages.ts';
import type { NodeReplyIn } from '../../worker/api/types.ts';
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

/** One node's reply for us to an mpin order (recorded like any order, so it can be audited), sealed as it came. */
async function replyFrom(deps: FlowsDeps, node: NodeRecord, asked: IssueRequest): Promise<{ reply: NodeReplyIn }> {
  const placed = await placeOrder(deps, {
    node: node.url,
    plugin: 'mpin',
    content: { ...asked },
    summarize: async () => mpinSummary(asked),
  });
  const o = placed.order;
  const stored = o.envelopes.find((e) => e.type === 'mpin/order-reply' && e.cid === o.head);
  if (!stored) throw new ReplyError(`mpin: ${node.name} sent no reply to keep`);
  // The node's stored identity document: the worker verifies the reply's signature against it.
  return { reply: { node: node.document, order: o.id, request: o.id, reply: stored.bytes } };
}

/** The DKG session documents the issuers show (t-of-n issuers' shares name one; the worker holds them to it). */
async function dkgSessionsOf(deps: FlowsDeps, nodes: readonly NodeRecord[]): Promise<Uint8Array[]> {
  const docs = new Map<string, Uint8Array>();
  for (const node of nodes) {
    const info = (await nodeApiAt(node.url, deps.fetch).pluginGet('mpin')) as {
      issuer?: { dkg?: { document?: unknown } };
    };
    const document = info?.issuer?.dkg?.document;
    if (typeof document === 'string') docs.set(document, fromBase64(document, 'issuer.dkg.document'));
  }
  return [...docs.values()];
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
  pinOf(input.pin);
  const signer = await requireSigner(deps);
  const issuers = await issuersOf(deps, input.nodes);
  const me = canonicalIdentity(signer.identity.cid);
  await input.verifyUser?.();
  const enrolment = await nextEnrolment(deps, issuers, me);
  const replies: NodeReplyIn[] = [];
  const records: IssuerRecord[] = [];
  for (const [i, node] of issuers.entries()) {
    progress?.({ done: i, total: issuers.length + 1, what: `client-secret share from ${node.name}` });
    const { reply } = await replyFrom(deps, node, { issue: 'client-secret', enrolment });
    replies.push(reply);
    records.push({ url: node.url, identity: node.identity, name: node.name, order: reply.order });
  }
  progress?.({ done: issuers.length, total: issuers.length + 1, what: 'adding the shares and making the PIN token' });
  const id = randomId();
  const sessions = await dkgSessionsOf(deps, issuers);
  const made = await (await deps.crypto()).mpin.register({
    registration: id,
    enrolment,
    pin: input.pin,
    replies,
    sessions,
  });
  const reg: MpinRegistration = {
    id,
    owner: me,
    enrolment,
    issuers: records,
    ...(made.threshold ? { threshold: made.threshold } : {}),
    created: nowOf(deps),
  };
  await (await deps.db()).put('mpin', reg);
  progress?.({ done: issuers.length + 1, total: issuers.length + 1, what: 'registered' });
  return reg;
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

/** Removes a registration: its record here and its token in the worker. */
export async function removeRegistration(deps: FlowsDeps, id: string): Promise<void> {
  await (await deps.crypto()).mpin.forget(id);
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

/** Each issuer's reply with its permit share for (`date`, our ID), sealed to us, for the worker to add. */
async function permitRepliesFor(
  deps: FlowsDeps,
  reg: MpinRegistration,
  date: number,
  progress?: StepProgress,
): Promise<{ replies: NodeReplyIn[]; nodes: NodeRecord[] }> {
  const nodes = await listNodes(deps);
  const replies: NodeReplyIn[] = [];
  const asked: NodeRecord[] = [];
  for (const [i, issuer] of reg.issuers.entries()) {
    const node = nodes.find((n) => n.identity === issuer.identity);
    if (!node)
      throw new NotReadyError(
        `the issuing node ${issuer.name} is no longer in this app: add it again for time permits`,
      );
    progress?.({ done: i, total: reg.issuers.length + 1, what: `time permit from ${issuer.name}` });
    const enrolment = enrolmentOf(reg);
    replies.push((await replyFrom(deps, node, { issue: 'permit', date, ...(enrolment ? { enrolment } : {}) })).reply);
    asked.push(node);
  }
  return { replies, nodes: asked };
}

/** A registration stored before tokens moved to the worker: its token goes there, the record keeps none. */
async function adoptLegacyToken(deps: FlowsDeps, reg: MpinRegistration): Promise<MpinRegistration> {
  if (!reg.token) return reg;
  const { token, ...rest } = reg;
  await (await deps.crypto()).mpin.adoptToken({ registration: reg.id, token: Uint8Array.from(token) });
  await (await deps.db()).put('mpin', rest);
  return rest;
}

/** Logs in to the authentication server at `server` with registration `id` and the PIN (the proof in the worker). */
export async function loginMpin(
  deps: FlowsDeps,
  input: { registration: string; server: string; pin: string },
  progress?: StepProgress,
): Promise<LoginOutcome> {
  pinOf(input.pin);
  const db = await deps.db();
  const stored = await db.get('mpin', input.registration);
  if (!stored) throw new NotReadyError('no such M-Pin registration on this device');
  const reg = await adoptLegacyToken(deps, stored);
  const api = nodeApiAt(input.server, deps.fetch);
  const info = await authServerInfo(deps, api.url);
  const mismatch = issuerMismatch(reg, info);
  const now = nowOf(deps);
  const date = info.requirePermit ? Math.floor(now / DAY_MS) : undefined;
  const permits = date !== undefined ? await permitRepliesFor(deps, reg, date, progress) : undefined;
  progress?.({ done: reg.issuers.length, total: reg.issuers.length + 1, what: 'computing the login proof' });
  const answer = await (await deps.crypto()).mpin.login({
    registration: reg.id,
    enrolment: enrolmentOf(reg),
    pin: input.pin,
    server: api.url,
    serverIdentity: info.identity,
    now,
    ...(permits && date !== undefined
      ? { date, permits: permits.replies, sessions: reg.threshold ? await dkgSessionsOf(deps, permits.nodes) : [] }
      : {}),
  });
  const outcome: LoginOutcome = {
    at: now,
    server: api.url,
    accepted: answer.accepted,
    ...(answer.reason !== undefined ? { reason: answer.reason } : {}),
    ...(answer.retryAfter !== undefined ? { retryAfter: answer.retryAfter } : {}),
    ...(answer.attemptsLeft !== undefined ? { attemptsLeft: answer.attemptsLeft } : {}),
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
        ...(outcome.retryAfter !== undefined ? { retryAfter: outcome.retryAfter } : {}),
        ...(outcome.attemptsLeft !== undefined ? { attemptsLeft: outcome.attemptsLeft } : {}),
      },
    });
  return outcome;
}
