/**
 * The coordinator of a DKG over HTTP (docs/protocol.md "DKG carried by nodes"), for the CLI, the app, tests
 * and the bench: it writes the session document, asks every node to start (a `dkg/start` request signed by
 * the requester), then hands every node each round's n envelopes, in node order, through the engine's
 * untrusted coordinator (src/core/dkg/coordinator.ts). It holds no key of the DKG and can make it fail, never
 * finish wrong. A node that does not answer (connection refused, 502–504) is asked again, with the same
 * request, for `retryMs` — a node killed and restarted mid-protocol answers a replayed input with what it
 * had stored. When the DKG cannot finish, every node is told (a node's signed abort notice relayed to all;
 * a round short of a node's envelope makes the others abort naming it) before DkgFailedError says why.
 * Browser-safe: fetch only.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { equalBytes } from '../bytes.ts';
import { type CoordinatorState, coordinatorReceive, startCoordinator } from '../dkg/coordinator.ts';
import type { AbortReason } from '../dkg/errors.ts';
import type { GroupName } from '../dkg/group.ts';
import { createSession, type DkgSession } from '../dkg/messages.ts';
import type { Verified } from '../protocol/types.ts';
import type { DkgStepReply } from './dkg-reply.ts';
import { NodeApiError, NodeUnreachableError } from './errors.ts';
import type { NodeSession } from './session.ts';

export interface DkgProgress {
  readonly step: 'start' | 'round1' | 'round2';
  readonly done: number;
  readonly of: number;
}

export interface DkgRunOptions {
  /**
   * One NodeSession per node, in the session's node order; the sessions' common `me` is the requester, who
   * signs the dkg/start envelopes (a worker-backed Signer in the app).
   */
  readonly sessions: readonly NodeSession[];
  readonly t: number;
  readonly group: GroupName;
  /** "<plugin>:<what>", naming the plugin that will use the key, e.g. "custody:secret". */
  readonly purpose: string;
  readonly onProgress?: (p: DkgProgress) => void;
  /** How long to keep retrying a node that does not answer (it may be restarting); default 30 s. */
  readonly retryMs?: number;
  /**
   * A session document made before (createSession, with these nodes, t, group and purpose) to run or resume
   * while no node is past round 1 (a node that started it answers its round-1 envelope again; one further on
   * makes the run fail with missing_message). Default: a new one.
   */
  readonly session?: Verified<DkgSession>;
}

export interface DkgResult {
  readonly session: Verified<DkgSession>;
  readonly groupKey: Uint8Array;
  readonly commitments: Uint8Array[];
}

/** Why a node could not take part: it did not answer within retryMs, or it refused the request. */
export type RelayFailure = 'unreachable' | 'refused';

/** The DKG ended without a key: why, and the 1-based indices of the nodes to blame (or that failed). */
export class DkgFailedError extends Error {
  override name = 'DkgFailedError';
  readonly code = 'dkg_failed';
  readonly reason: AbortReason | RelayFailure;
  readonly nodes: number[];
  /** The session's id (its nodes answer GET /v1/dkg/sessions/{session} with their side of the failure). */
  readonly session: CID;
  constructor(reason: AbortReason | RelayFailure, nodes: readonly number[], message: string, session: CID) {
    super(message);
    this.reason = reason;
    this.nodes = [...nodes];
    this.session = session;
  }
}

const DEFAULT_RETRY_MS = 30_000;
const RETRY_PAUSE_MS = 250;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Worth asking again: the node may be down or restarting. */
const transient = (e: unknown): boolean =>
  e instanceof NodeUnreachableError || (e instanceof NodeApiError && [502, 503, 504].includes(e.status));

/** A node's answer to one call: its reply, or why there is none. */
type Answer = { readonly reply: DkgStepReply } | { readonly failure: RelayFailure; readonly message: string };

/** `call`, asked again while the node does not answer, for at most `retryMs`. */
async function answered(call: () => Promise<DkgStepReply>, retryMs: number): Promise<Answer> {
  const until = Date.now() + retryMs;
  for (;;) {
    try {
      return { reply: await call() };
    } catch (e) {
      const message = e instanceof Error ? e.message : 'no answer';
      if (!transient(e)) return { failure: 'refused', message };
      if (Date.now() >= until) return { failure: 'unreachable', message };
      await pause(RETRY_PAUSE_MS);
    }
  }
}

/** The calls of one relay step at every node at once, with progress as they come in. */
async function everyNode(
  run: Run,
  step: DkgProgress['step'],
  call: (s: NodeSession, k: number) => Promise<DkgStepReply>,
): Promise<Answer[]> {
  const of = run.sessions.length;
  let done = 0;
  run.onProgress?.({ step, done, of });
  return Promise.all(
    run.sessions.map(async (s, k) => {
      const answer = await answered(() => call(s, k), run.retryMs);
      run.onProgress?.({ step, done: ++done, of });
      return answer;
    }),
  );
}

interface Run {
  readonly sessions: readonly NodeSession[];
  readonly session: Verified<DkgSession>;
  readonly retryMs: number;
  readonly onProgress: DkgRunOptions['onProgress'];
  coordinator: CoordinatorState;
}

/** Tells every node (once each, best effort) and ends the run. */
async function endWith(run: Run, error: DkgFailedError, tell: (s: NodeSession) => Promise<unknown>): Promise<never> {
  await Promise.all(run.sessions.map((s) => tell(s).catch(() => undefined)));
  throw error;
}

/** A node's abort notice, relayed to all; the error names the notice's reason and whom the node blames. */
function relayAbort(run: Run, k: number, reply: DkgStepReply, notice: Uint8Array): Promise<never> {
  const reason = reply.reason ?? 'peer_abort';
  const nodes = reply.nodes ?? [];
  const blamed = nodes.length > 0 ? `, blaming node ${nodes.join(', ')}` : '';
  const message = `dkg: node ${k + 1} aborted (${reason}${blamed})${reply.detail ? `: ${reply.detail}` : ''}`;
  const id = run.session.cid.toString();
  return endWith(run, new DkgFailedError(reason, nodes, message, run.session.cid), (s) => s.api.dkgAbort(id, notice));
}

const slotsOf = (run: Run, round: 'round1' | 'round2') =>
  round === 'round1' ? run.coordinator.round1 : run.coordinator.round2;

/**
 * Nodes that gave no envelope for `round`: the others get the round short of theirs, abort naming them, and
 * one of their notices is relayed to all.
 */
async function relayMissing(run: Run, failed: readonly number[], error: DkgFailedError, round: 'round1' | 'round2') {
  const partial = slotsOf(run, round).filter((e): e is Uint8Array => e !== null);
  const id = run.session.cid.toString();
  const notices: Uint8Array[] = [];
  await Promise.all(
    run.sessions.map(async (s, k) => {
      if (failed.includes(k + 1) || partial.length === 0) return;
      const reply = await s.api.dkgRound(id, round, partial).catch(() => undefined);
      if (reply?.phase === 'aborted' && reply.outgoing) notices.push(reply.outgoing);
    }),
  );
  const notice = notices[0];
  return endWith(run, error, (s) => (notice ? s.api.dkgAbort(id, notice) : Promise.resolve()));
}

/** The error for the nodes that did not answer or refused, or null when all answered. */
function failureOf(run: Run, answers: readonly Answer[]): { failed: number[]; error: DkgFailedError } | null {
  const failed = answers.flatMap((a, k) => ('failure' in a ? [k + 1] : []));
  const first = answers.find((a): a is Extract<Answer, { failure: RelayFailure }> => 'failure' in a);
  if (!first) return null;
  const what = first.failure === 'refused' ? 'refused' : 'did not answer';
  const message = `dkg: node ${failed.join(', ')} ${what}: ${first.message}`;
  return { failed, error: new DkgFailedError(first.failure, failed, message, run.session.cid) };
}

/** The error for nodes that answered without the envelope `round` needs (they stayed behind), or null. */
function missingOf(run: Run, round: 'round1' | 'round2'): { failed: number[]; error: DkgFailedError } | null {
  const failed = slotsOf(run, round).flatMap((e, k) => (e === null ? [k + 1] : []));
  if (failed.length === 0) return null;
  const message = `dkg: no ${round} envelope from node ${failed.join(', ')}`;
  return { failed, error: new DkgFailedError('missing_message', failed, message, run.session.cid) };
}

/**
 * Feeds the step's answers to the coordinator. Ends the run, telling every node, on an abort or a missing
 * answer or envelope; otherwise the replies, and (unless this was the last step) the next round's n envelopes.
 */
async function collect(
  run: Run,
  answers: readonly Answer[],
  next: 'round1' | 'round2' | null,
): Promise<{ replies: DkgStepReply[]; envelopes: Uint8Array[] }> {
  const replies: DkgStepReply[] = [];
  for (const [k, a] of answers.entries()) {
    if (!('reply' in a)) continue;
    replies[k] = a.reply;
    if (a.reply.phase === 'aborted') {
      if (a.reply.outgoing) return relayAbort(run, k, a.reply, a.reply.outgoing);
      const reason = a.reply.reason ?? 'peer_abort';
      const message = `dkg: node ${k + 1} aborted (${reason})`;
      const error = new DkgFailedError(reason, a.reply.nodes ?? [], message, run.session.cid);
      return endWith(run, error, () => Promise.resolve());
    }
    if (next !== null && a.reply.outgoing) {
      run.coordinator = coordinatorReceive(run.coordinator, { kind: 'envelope', envelope: a.reply.outgoing }).state;
    }
  }
  const round = next ?? 'round2';
  const failure = failureOf(run, answers) ?? (next !== null ? missingOf(run, next) : null);
  if (failure) return relayMissing(run, failure.failed, failure.error, round);
  return { replies, envelopes: next === null ? [] : (slotsOf(run, next) as Uint8Array[]) };
}

/** The key every node agreed on; a node that says otherwise fails the run. */
function agreed(run: Run, replies: readonly DkgStepReply[]): DkgResult {
  const first = replies[0] as DkgStepReply;
  const groupKey = first.groupKey as Uint8Array;
  const commitments = first.commitments as Uint8Array[];
  const differs = replies.flatMap((r, k) => {
    const same =
      r.groupKey !== undefined &&
      equalBytes(r.groupKey, groupKey) &&
      r.commitments?.length === commitments.length &&
      r.commitments.every((c, j) => equalBytes(c, commitments[j] as Uint8Array));
    return same ? [] : [k + 1];
  });
  if (differs.length > 0) {
    const message = `dkg: node ${differs.join(', ')} reports another key`;
    throw new DkgFailedError('transcript_mismatch', differs, message, run.session.cid);
  }
  return { session: run.session, groupKey, commitments };
}

/** A session given to resume must be the one asked for: same group, nodes (in order), t and purpose. */
function checkSession(
  session: Verified<DkgSession>,
  asked: Omit<DkgSession, 'type' | 'version' | 'created' | 'nonce'>,
) {
  const v = session.value;
  const sameNodes = v.nodes.length === asked.nodes.length && v.nodes.every((c, k) => c.equals(asked.nodes[k]!));
  if (v.group !== asked.group || v.t !== asked.t || v.purpose !== asked.purpose || !sameNodes) {
    throw new TypeError('runDkg: the session given is not for these nodes, t, group and purpose');
  }
}

/** Runs a DKG among the sessions' nodes; the group key and commitments every node holds shares of. */
export async function runDkg(options: DkgRunOptions): Promise<DkgResult> {
  const { sessions, t, group, purpose } = options;
  const nodes = sessions.map((s) => s.node.cid);
  const session = options.session ?? createSession({ group, nodes, t, purpose });
  checkSession(session, { group, nodes, t, purpose });
  const run: Run = {
    sessions,
    session,
    retryMs: options.retryMs ?? DEFAULT_RETRY_MS,
    onProgress: options.onProgress,
    coordinator: startCoordinator(session.bytes),
  };
  const id = session.cid.toString();
  const content = { session: session.bytes, identities: sessions.map((s) => s.node.bytes) };
  const starts = await Promise.all(sessions.map((s) => s.request({ type: 'dkg/start', content, sealed: false })));
  const started = await everyNode(run, 'start', async (s, k) => {
    await s.register();
    return s.api.dkgStart((starts[k] as { bytes: Uint8Array }).bytes);
  });
  const round1 = (await collect(run, started, 'round1')).envelopes;
  const sent1 = await everyNode(run, 'round1', (s) => s.api.dkgRound(id, 'round1', round1));
  const round2 = (await collect(run, sent1, 'round2')).envelopes;
  const sent2 = await everyNode(run, 'round2', (s) => s.api.dkgRound(id, 'round2', round2));
  return agreed(run, (await collect(run, sent2, null)).replies);
}
