/**
 * An in-process DKG among real identities (src/core/protocol/identity.ts) with real envelopes: every
 * node's state goes through DAG-CBOR between steps, as the node integration will persist it, and the
 * coordinator's hand-out to each node can be tampered with per node (a dropping, reordering or
 * equivocation-relaying coordinator).
 */
import { randomBytes } from '../../src/core/bytes.ts';
import type { ParticipantContext } from '../../src/core/dkg/context.ts';
import { type CoordinatorState, coordinatorReceive, startCoordinator } from '../../src/core/dkg/coordinator.ts';
import type { DkgGroup } from '../../src/core/dkg/group.ts';
import { createSession } from '../../src/core/dkg/messages.ts';
import { type ParticipantState, participantReceive, startParticipant } from '../../src/core/dkg/participant.ts';
import { decodeStrict, encode } from '../../src/core/protocol/cbor.ts';
import { createIdentity, generateIdentitySecrets } from '../../src/core/protocol/index.ts';
import type { Core } from '../../src/core/types.ts';

export async function makeNodes(core: Core, group: DkgGroup, n: number): Promise<ParticipantContext[]> {
  const made = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const secrets = await generateIdentitySecrets(core.bls, randomBytes(32));
      return { secrets, identity: await createIdentity(core.bls, secrets, { name: `dkg node ${i + 1}` }) };
    }),
  );
  const identities = made.map((m) => m.identity);
  return made.map(({ secrets, identity }) => ({
    group,
    bls: core.bls,
    me: { cid: identity.cid, bls: secrets.bls, xwing: secrets.xwing },
    identities,
  }));
}

/** A state as the node would read it back from disk. */
const persisted = (state: ParticipantState): ParticipantState => decodeStrict(encode(state)) as ParticipantState;

export interface Tamper {
  /** Node k's round-1 envelope as the coordinator receives it (default: as sent); null: never arrives. */
  readonly sent1?: (
    k: number,
    envelope: Uint8Array,
    session: Uint8Array,
  ) => Promise<Uint8Array | null> | Uint8Array | null;
  /** What node k sends after round 1 as the coordinator receives it (default: as sent); null: nothing. */
  readonly later?: (k: number, envelope: Uint8Array) => Uint8Array | null;
  /** What node k (0-based) is handed in round 1 / round 2 (default: the coordinator's broadcast). */
  readonly round1?: (k: number, envelopes: Uint8Array[]) => Uint8Array[];
  readonly round2?: (k: number, envelopes: Uint8Array[]) => Uint8Array[];
}

export interface DkgRun {
  readonly states: ParticipantState[];
  readonly coordinator: CoordinatorState;
  readonly sessionBytes: Uint8Array;
}

/** Hands each node the broadcast (tampered per node), or a timeout when the coordinator never completed the round. */
async function deliver(
  nodes: readonly ParticipantContext[],
  states: ParticipantState[],
  kind: 'round1' | 'round2' | 'abort',
  broadcast: Uint8Array[] | null,
  tamper?: (k: number, envelopes: Uint8Array[]) => Uint8Array[],
): Promise<(Uint8Array | null)[]> {
  const steps = await Promise.all(
    nodes.map((ctx, k) => {
      const state = states[k] as ParticipantState;
      if (broadcast === null) return participantReceive(ctx, state, { kind: 'timeout' });
      const envelopes = tamper ? tamper(k, [...broadcast]) : broadcast;
      if (kind === 'abort') return participantReceive(ctx, state, { kind, envelope: envelopes[0] as Uint8Array });
      return participantReceive(ctx, state, { kind, envelopes });
    }),
  );
  steps.forEach((s, k) => {
    states[k] = persisted(s.state);
  });
  return steps.map((s) => s.outgoing);
}

/** What the coordinator makes of the nodes' envelopes: the round's broadcast, or a node's abort notice, or neither. */
function relay(
  coordinator: CoordinatorState,
  outgoing: readonly (Uint8Array | null)[],
  kind: 'round1' | 'round2' | 'end',
) {
  let round: Uint8Array[] | null = null;
  let notice: Uint8Array | null = null;
  for (const envelope of outgoing) {
    if (envelope === null) continue;
    const step = coordinatorReceive(coordinator, { kind: 'envelope', envelope });
    coordinator = step.state;
    if (step.outgoing?.kind === 'abort') notice = step.outgoing.envelope;
    else if (step.outgoing?.kind === kind) round = step.outgoing.envelopes;
  }
  return { coordinator, round, notice };
}

/**
 * Runs the two rounds through a coordinator that relays what arrives, times out on what does not, and hands
 * every node the first abort notice it gets (which ends the run).
 */
export async function runDkg(nodes: readonly ParticipantContext[], t: number, tamper: Tamper = {}): Promise<DkgRun> {
  const group = (nodes[0] as ParticipantContext).group;
  const session = createSession({ group: group.name, nodes: nodes.map((c) => c.me.cid), t, purpose: 'a test key' });
  const starts = await Promise.all(nodes.map((ctx) => startParticipant(ctx, session.bytes)));
  const states = starts.map((s) => persisted(s.state));
  let coordinator = startCoordinator(session.bytes);
  let outgoing: (Uint8Array | null)[] = await Promise.all(
    starts.map((s, k) => (tamper.sent1 ? tamper.sent1(k, s.outgoing as Uint8Array, session.bytes) : s.outgoing)),
  );
  for (const kind of ['round1', 'round2', 'end'] as const) {
    const relayed = relay(coordinator, outgoing, kind);
    coordinator = relayed.coordinator;
    if (relayed.notice !== null) {
      const notice = relayed.notice;
      await deliver(nodes, states, 'abort', [], () => [notice]);
      break;
    }
    if (kind === 'end') break;
    if (relayed.round === null) coordinator = coordinatorReceive(coordinator, { kind: 'timeout' }).state;
    const sent = await deliver(nodes, states, kind, relayed.round, tamper[kind]);
    const later = tamper.later;
    outgoing = later ? sent.map((e, k) => (e === null ? null : later(k, e))) : sent;
  }
  return { states, coordinator, sessionBytes: session.bytes };
}
