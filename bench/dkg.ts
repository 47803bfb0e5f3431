/**
 * DKG and resharing rows of `npm run bench` (issue 11, part 8): the engine of src/core/dkg/
 * and reshare/ in one Node thread, real identities and envelopes, no network (and a DKG over five local nodes,
 * dkg-nodes.ts): a whole in-process DKG is the n
 * nodes' round 1, the coordinator's relay, round 2 and round 3, one node after the other, so a node's
 * own share of the work is about 1/n of the row (the nodes run in parallel on separate machines).
 * @module
 */
import { randomBytes } from '../src/core/bytes.ts';
import { blsGroup } from '../src/core/dkg/bls-group.ts';
import type { ParticipantContext } from '../src/core/dkg/context.ts';
import { coordinatorReceive, startCoordinator } from '../src/core/dkg/coordinator.ts';
import type { DkgGroup, Share } from '../src/core/dkg/group.ts';
import { createSession } from '../src/core/dkg/messages.ts';
import { type ParticipantStep, participantReceive, startParticipant } from '../src/core/dkg/participant.ts';
import { secp256k1Group } from '../src/core/dkg/secp256k1-group.ts';
import { createIdentity, generateIdentitySecrets } from '../src/core/protocol/index.ts';
import { newCommitments, newShare } from '../src/core/reshare/combine.ts';
import { dealReshare } from '../src/core/reshare/deal.ts';
import type { Core } from '../src/core/types.ts';
import { dkgOverNodes, NODE_DKG_OPS } from './dkg-nodes.ts';

export interface DkgRow {
  readonly op: string;
  /** Median ms per run. */
  readonly ms: number;
  readonly runs: number;
}

const N = 5;
const T = 3;

export const DKG_NOTES = [
  `DKG rows: a whole n = ${N}, t = ${T} DKG (src/core/dkg/) in one Node thread: ${N} round-1 ` +
    `envelopes (a polynomial, ${T} commitments, a proof of possession, ${N - 1} HPKE-sealed shares, a BLS ` +
    'envelope signature each), the coordinator, every node checking all n (signatures, proofs, its share) and ' +
    'signing the transcript, then checking the n transcript signatures; real identities, no network.',
  `Resharing row: ${T}-of-${N} → ${T}-of-${N} on BLS12-381: ${T} old holders deal, each of ${N} new holders ` +
    'checks the dealings against the old commitments, its subshares, and combines (src/core/reshare/).',
  `"over five local nodes": five \`dta serve\` child processes on 127.0.0.1 and runDkg relaying a whole ` +
    `n = ${N}, t = ${T} DKG among them (start, round 1, round 2 posted to the five in parallel; each node checks ` +
    'everything and fsyncs its sealed state before every reply); target ≤ 2 s.',
  'Median of the runs, ms; a node does about 1/n of an in-process DKG row.',
];

async function makeNodes(core: Core, group: DkgGroup): Promise<ParticipantContext[]> {
  const made = [];
  for (let i = 0; i < N; i++) {
    const secrets = await generateIdentitySecrets(core.bls, randomBytes(32));
    made.push({ secrets, identity: await createIdentity(core.bls, secrets, { name: `bench node ${i + 1}` }) });
  }
  const identities = made.map((m) => m.identity);
  return made.map(({ secrets, identity }) => ({
    group,
    bls: core.bls,
    me: { cid: identity.cid, bls: secrets.bls, xwing: secrets.xwing },
    identities,
  }));
}

/** One DKG, start to finish; throws unless every node is done. */
async function oneDkg(nodes: readonly ParticipantContext[], group: DkgGroup): Promise<void> {
  const session = createSession({ group: group.name, nodes: nodes.map((c) => c.me.cid), t: T, purpose: 'bench' });
  let coordinator = startCoordinator(session.bytes);
  let steps: ParticipantStep[] = [];
  for (const ctx of nodes) steps.push(await startParticipant(ctx, session.bytes));
  for (const kind of ['round1', 'round2'] as const) {
    let envelopes: Uint8Array[] = [];
    for (const s of steps) {
      const step = coordinatorReceive(coordinator, { kind: 'envelope', envelope: s.outgoing as Uint8Array });
      coordinator = step.state;
      if (step.outgoing?.kind === kind) envelopes = step.outgoing.envelopes;
    }
    const next: ParticipantStep[] = [];
    for (const [k, ctx] of nodes.entries()) {
      next.push(await participantReceive(ctx, (steps[k] as ParticipantStep).state, { kind, envelopes }));
    }
    steps = next;
  }
  if (steps.some((s) => s.state.phase !== 'done')) throw new Error('bench: a DKG run did not complete');
}

/** One 3-of-5 → 3-of-5 resharing of a dealt secret. */
function oneReshare(group: DkgGroup): void {
  const old = { t: T, ...group.deal(group.random(), T, N) };
  const dealt = [1, 2, 3].map((i) => dealReshare(group, old.shares[i - 1] as Share, old.commitments, T, N));
  const dealings = dealt.map((d) => d.dealing);
  const commitments = newCommitments(group, old, dealings, T);
  for (let j = 1; j <= N; j++) {
    const mine = dealt.map((d) => ({ index: d.dealing.index, value: (d.subshares[j - 1] as Share).value }));
    if (!group.verifyShare(newShare(group, j, dealings, mine), commitments)) throw new Error('bench: bad reshare');
  }
}

async function median(runs: number, fn: () => Promise<void> | void): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/** The DKG and resharing rows; [] when `only` matches none. */
export async function dkgRows(core: Core, options: { runs?: number } = {}, only?: string): Promise<DkgRow[]> {
  const runs = options.runs ?? 7;
  const bls = blsGroup(core);
  const secp = secp256k1Group();
  const cases: [string, () => Promise<() => Promise<void> | void>][] = [
    [
      `DKG n = ${N} (BLS12-381)`,
      async () =>
        (
          (nodes) => () =>
            oneDkg(nodes, bls)
        )(await makeNodes(core, bls)),
    ],
    [
      `DKG n = ${N} (secp256k1)`,
      async () =>
        (
          (nodes) => () =>
            oneDkg(nodes, secp)
        )(await makeNodes(core, secp)),
    ],
    [`resharing n = ${N}`, async () => () => oneReshare(bls)],
  ];
  const rows: DkgRow[] = [];
  for (const [op, setup] of cases.filter(([op]) => only === undefined || op.includes(only))) {
    rows.push({ op, ms: await median(runs, await setup()), runs });
    console.error(`  ${op}: done`);
  }
  const overNodes = (['bls12-381', 'secp256k1'] as const).filter(
    (g) => only === undefined || NODE_DKG_OPS[g].includes(only),
  );
  rows.push(...(await dkgOverNodes(core, runs, overNodes)));
  return rows;
}

export function printDkgTable(rows: readonly DkgRow[]): void {
  const width = Math.max('operation'.length, ...rows.map((r) => r.op.length));
  console.log(`${'operation'.padEnd(width)}  ${'ms'.padStart(8)}`);
  console.log(`${'-'.repeat(width)}  ${'-'.repeat(8)}`);
  for (const r of rows) console.log(`${r.op.padEnd(width)}  ${r.ms.toFixed(1).padStart(8)}`);
}
