/**
 * The node's side of every DKG it takes part in: it applies the engine's pure transitions
 * (src/core/dkg/participant.ts) to the state kept in the state store, one message at a time per session,
 * and **writes the new state before it answers** — so a node killed at any point answers a replayed input
 * with the very envelope it sent (or was about to send) and never draws a second polynomial, which would be
 * equivocation. A session not done within `timeoutMs` of its start aborts (reason `timeout`), here or by the
 * sweep, and keeps no share. The replies are step replies (docs/protocol.md "DKG carried by nodes").
 * @module
 */
import type { FastifyBaseLogger } from 'fastify';
import { CID } from 'multiformats/cid';
import { wipe } from '../../core/bytes.ts';
import { blsGroup } from '../../core/dkg/bls-group.ts';
import type { ParticipantContext } from '../../core/dkg/context.ts';
import { DkgError } from '../../core/dkg/errors.ts';
import type { DkgGroup, GroupName } from '../../core/dkg/group.ts';
import { readSession } from '../../core/dkg/messages.ts';
import {
  type ParticipantMessage,
  type ParticipantState,
  participantReceive,
  startParticipant,
} from '../../core/dkg/participant.ts';
import { secp256k1Group } from '../../core/dkg/secp256k1-group.ts';
import { readIdentity } from '../../core/protocol/identity.ts';
import type { IdentityDocument, IdentitySecrets, Verified } from '../../core/protocol/types.ts';
import type { Core } from '../../core/types.ts';
import { failpoint } from '../failpoints.ts';
import { ApiError } from '../http/errors.ts';
import { type CheckedStart, purposePlugin } from './start-checks.ts';
import type { DkgRecord, DkgStateStore, StoredState } from './state-store.ts';
import { type DkgStepReply, stepReplyOf } from './step-reply.ts';

export interface DkgRunnerDeps {
  readonly core: Core;
  readonly node: Verified<IdentityDocument>;
  /** This node's identity secrets: the BLS key signs its envelopes, the X-Wing seed opens its shares. */
  readonly secrets: IdentitySecrets;
  readonly store: DkgStateStore;
  readonly timeoutMs: number;
  readonly now?: () => number;
  readonly log?: FastifyBaseLogger;
}

/** What the runner remembers of a session without reading its file: enough for the sweep and the plugins' view. */
interface Summary {
  readonly phase: StoredState['phase'];
  readonly started: number;
  readonly plugin: string | undefined;
}

const running = (phase: StoredState['phase']) => phase === 'round1' || phase === 'round2';

/** The secrets a state read from disk holds, wiped once the step is done with it. */
function wipeState(state: StoredState): void {
  if ('share' in state) wipe(state.share);
  if ('own' in state) wipe(state.own);
}

export class DkgRunner {
  readonly #deps: DkgRunnerDeps;
  readonly #now: () => number;
  readonly #groups: Record<GroupName, DkgGroup>;
  readonly #summaries = new Map<string, Summary>();
  /** Verified identity documents per session (public; read again from the record after a restart). */
  readonly #identities = new Map<string, readonly Verified<IdentityDocument>[]>();
  /** One message at a time per session: the tail of its queue. */
  readonly #queues = new Map<string, Promise<unknown>>();
  #timer: NodeJS.Timeout | undefined;

  private constructor(deps: DkgRunnerDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#groups = { 'bls12-381': blsGroup(deps.core), secp256k1: secp256k1Group() };
  }

  /** The runner over the sessions the store holds, with its timeout sweep running. */
  static async open(deps: DkgRunnerDeps): Promise<DkgRunner> {
    const runner = new DkgRunner(deps);
    for (const session of await deps.store.sessions()) {
      // A record that does not open (a damaged disk) costs its session only, not the node's start.
      const record = await deps.store.read(session).catch(() => {
        deps.log?.warn({ session: session.toString() }, 'dkg state does not open; the session is left out');
        return undefined;
      });
      if (record) runner.#remember(session, record);
      if (record) wipeState(record.state);
    }
    const every = Math.max(100, Math.min(5000, Math.floor(deps.timeoutMs / 4)));
    runner.#timer = setInterval(() => void runner.sweep().catch(() => undefined), every);
    runner.#timer.unref();
    return runner;
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #remember(session: CID, record: DkgRecord): void {
    const plugin = purposePlugin(readSession(record.state.session).value.purpose);
    this.#summaries.set(session.toString(), { phase: record.state.phase, started: record.started, plugin });
    if (!running(record.state.phase)) this.#identities.delete(session.toString()); // no round will need them
  }

  /** Runs `work` after every earlier one on the same session. */
  #serial<T>(session: CID, work: () => Promise<T>): Promise<T> {
    const key = session.toString();
    const run = (this.#queues.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    this.#queues.set(key, tail);
    void tail.then(() => {
      if (this.#queues.get(key) === tail) this.#queues.delete(key);
    });
    return run;
  }

  /** The engine's context for a session: its group, this node's keys, the nodes' identities (verified once). */
  async #context(session: CID, record: Pick<DkgRecord, 'state' | 'identities'>): Promise<ParticipantContext> {
    const key = session.toString();
    let identities = this.#identities.get(key);
    if (!identities) {
      identities = await Promise.all(record.identities.map((doc) => readIdentity(this.#deps.core.bls, doc)));
      this.#identities.set(key, identities);
    }
    const { node, secrets, core } = this.#deps;
    const group = this.#groups[readSession(record.state.session).value.group];
    return { group, bls: core.bls, me: { cid: node.cid, bls: secrets.bls, xwing: secrets.xwing }, identities };
  }

  /** Persists `next` (before anyone sees its outgoing envelope) and remembers it. */
  async #commit(session: CID, next: DkgRecord): Promise<void> {
    await this.#deps.store.write(session, next);
    failpoint('dkg:after-store');
    this.#remember(session, next);
  }

  async #read(session: CID): Promise<DkgRecord> {
    const record = await this.#deps.store.read(session);
    if (!record) throw new ApiError('not_found', `no DKG session ${session.toString()} at this node`);
    return record;
  }

  /**
   * Starts this node's participant in a checked session for `requester`; the same session again answers
   * what the node has (never a second polynomial).
   */
  start(requester: CID, checked: CheckedStart): Promise<DkgStepReply> {
    const { session, identities } = checked;
    return this.#serial(session.cid, async () => {
      const known = await this.#deps.store.read(session.cid);
      if (known) return this.#replyWiping(known);
      this.#identities.set(session.cid.toString(), identities);
      const base = { version: 1 as const, requester, identities: identities.map((d) => d.bytes) };
      const ctx = await this.#context(session.cid, { identities: base.identities, state: notStarted(session.bytes) });
      let step: Awaited<ReturnType<typeof startParticipant>>;
      try {
        step = await startParticipant(ctx, session.bytes);
      } catch (e) {
        if (e instanceof DkgError) throw new ApiError(e.code === 'not_participant' ? e.code : 'bad_session', e.message);
        throw e;
      }
      const record: DkgRecord = { ...base, started: this.#now(), state: step.state, outgoing: step.outgoing };
      await this.#commit(session.cid, record);
      this.#deps.log?.info({ session: session.cid.toString(), requester: requester.toString() }, 'dkg started');
      return this.#replyWiping(record);
    });
  }

  /** Hands this node a round's envelopes or another node's abort notice; 404 for a session it never started. */
  receive(session: CID, message: ParticipantMessage): Promise<DkgStepReply> {
    return this.#serial(session, async () => {
      const record = await this.#expired(session, await this.#read(session));
      return this.#replyWiping(await this.#apply(session, record, message));
    });
  }

  /** Where this node is in `session` (no secrets). */
  status(session: CID): Promise<DkgStepReply> {
    return this.#serial(session, async () =>
      this.#replyWiping(await this.#expired(session, await this.#read(session))),
    );
  }

  /** The record after one engine transition, persisted when it changed. */
  async #apply(session: CID, record: DkgRecord, message: ParticipantMessage): Promise<DkgRecord> {
    const state = record.state;
    if (!running(state.phase)) return record; // done, aborted or removed: final, whatever comes in
    const step = await participantReceive(await this.#context(session, record), state as ParticipantState, message);
    if (step.state === state) return record;
    const next: DkgRecord = { ...record, state: step.state, outgoing: step.outgoing };
    await this.#commit(session, next);
    wipeState(state);
    if (step.state.phase === 'aborted') {
      const { reason, nodes } = step.state;
      this.#deps.log?.warn({ session: session.toString(), reason, nodes: nodes.join(',') }, 'dkg aborted');
    }
    return next;
  }

  /** The record, aborted first when its time is up. */
  async #expired(session: CID, record: DkgRecord): Promise<DkgRecord> {
    if (!running(record.state.phase) || this.#now() - record.started <= this.#deps.timeoutMs) return record;
    return this.#apply(session, record, { kind: 'timeout' });
  }

  #replyWiping(record: DkgRecord): DkgStepReply {
    try {
      return stepReplyOf(record);
    } finally {
      wipeState(record.state);
    }
  }

  /** Aborts every running session whose time is up; how many it aborted. */
  async sweep(): Promise<number> {
    const now = this.#now();
    const due = [...this.#summaries].filter(([, s]) => running(s.phase) && now - s.started > this.#deps.timeoutMs);
    for (const [key] of due) {
      const session = CID.parse(key);
      await this.#serial(session, async () => {
        const record = await this.#deps.store.read(session);
        if (record) wipeState((await this.#expired(session, record)).state);
      });
    }
    return due.length;
  }

  /** `plugin`'s view of a finished session: the record when it is done here and its purpose names `plugin`. */
  async finished(session: CID, plugin: string): Promise<DkgRecord | undefined> {
    const summary = this.#summaries.get(session.toString());
    if (summary?.phase !== 'done' || summary.plugin !== plugin) return undefined;
    return this.#serial(session, async () => {
      const record = await this.#deps.store.read(session);
      return record?.state.phase === 'done' ? record : undefined;
    });
  }

  /** Deletes this node's share of a finished session of `plugin` (keeping its public parts); idempotent. */
  async remove(session: CID, plugin: string): Promise<void> {
    const summary = this.#summaries.get(session.toString());
    if (summary?.phase !== 'done' || summary.plugin !== plugin) return;
    await this.#serial(session, async () => {
      const record = await this.#deps.store.read(session);
      if (record?.state.phase !== 'done') return;
      const { session: doc, index, transcript, groupKey, commitments, share } = record.state;
      const state: StoredState = { phase: 'removed', session: doc, index, transcript, groupKey, commitments };
      await this.#commit(session, { ...record, state, outgoing: null });
      wipe(share);
      this.#deps.log?.info({ session: session.toString(), plugin }, 'dkg share removed');
    });
  }
}

/** A stand-in state for the context of a session not started yet (#context reads only its session bytes). */
function notStarted(session: Uint8Array): StoredState {
  return { phase: 'aborted', session, index: 0, reason: 'timeout', nodes: [], detail: '' };
}
