// DKGs over five separate `dta serve` processes (n = 5, t = 3) that go wrong, and end cleanly or complete:
// a node stopped before round 1 (DkgFailedError naming it, every other node aborted, no share kept); a node
// played here with the engine that sends different round-1 envelopes to different nodes (every honest node
// aborts at round 2 on the transcript); kill -9 of a node after it answered round 1, restarted on its port (the
// relay completes); kill -9 between the state write and the reply (failpoint dkg:after-store: the restarted
// node answers the envelope it stored, and the DKG completes); the timeout sweep (aborts, keeps no share).
import { beforeAll, describe, expect, it } from 'vitest';
import { DkgFailedError, runDkg } from '../../src/core/api/dkg-relay.ts';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { toBase64 } from '../../src/core/bytes.ts';
import { blsGroup } from '../../src/core/dkg/bls-group.ts';
import type { ParticipantContext } from '../../src/core/dkg/context.ts';
import { createSession } from '../../src/core/dkg/messages.ts';
import { type ParticipantState, participantReceive, startParticipant } from '../../src/core/dkg/participant.ts';
import type { Core } from '../../src/core/types.ts';
import type { DkgRecord } from '../../src/node/dkg/state-store.ts';
import { readDkgRecord } from './dkg-homes.ts';
import { blsSessionAmong } from './dkg-session.ts';
import { useFleet } from './fleet-for-file.ts';
import { clientIdentity, sharedCore, waitFor } from './harness.ts';
import { addToConfig } from './witnessing-nodes.ts';

const T = 3;
const N = 5;
const PURPOSE = 'custody:secret';
const setup = useFleet('dta-dkg-failures-', N, ['custody']);
let core: Core;
let alice: KeyIdentity;

beforeAll(async () => {
  core = await sharedCore();
  // Each node keeps its port across restarts, so the relay's retries reach the restarted node.
  await Promise.all(
    setup.fleet.homes.map((h, i) => addToConfig(h, { port: Number(new URL(setup.fleet.children[i]!.url).port) })),
  );
  alice = await clientIdentity('alice');
}, 120_000);

/** Kills node `i` (SIGKILL) if it runs and starts it again on its port, with `failpoint` armed when given. */
async function restart(i: number, failpoint?: string) {
  await setup.fleet.children[i]?.kill();
  return setup.fleet.start(i, failpoint);
}

/** The record has no secret left: neither f_i(i) nor a share. */
function secretFree(record: DkgRecord | undefined): boolean {
  return record !== undefined && !('share' in record.state) && !('own' in record.state);
}

describe('a DKG that cannot finish ends cleanly', () => {
  it('a node stopped before round 1: DkgFailedError naming it, the others aborted, no share anywhere', async () => {
    const sessions = await setup.fleet.sessionsAs(alice);
    await setup.fleet.children[4]!.kill();
    const failed = await runDkg({ sessions, t: T, group: 'bls12-381', purpose: PURPOSE, retryMs: 1000 }).catch(
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(DkgFailedError);
    expect({ ...(failed as DkgFailedError) }).toMatchObject({ code: 'dkg_failed', reason: 'unreachable', nodes: [5] });
    const id = (failed as DkgFailedError).session;
    const statuses = await Promise.all(sessions.slice(0, 4).map((s) => s.api.dkgStatus(id.toString())));
    for (const s of statuses) {
      expect(s.phase).toBe('aborted');
      expect(s.nodes).toEqual([5]);
    }
    const records = await Promise.all(setup.fleet.homes.map((h) => readDkgRecord(h, id)));
    expect(records.slice(0, 4).every(secretFree)).toBe(true);
    expect(records[4]).toBeUndefined(); // never started
    await setup.fleet.start(4);
  }, 120_000);

  it('an equivocating node: every honest node aborts at round 2 on the transcript, keeping no share', async () => {
    const honest = (await setup.fleet.sessionsAs(alice)).slice(0, 4);
    const mallory = await clientIdentity('node 5, equivocating');
    await Promise.all(honest.map((s) => s.api.registerIdentity(mallory.identity.bytes)));
    const identities = [...honest.map((s) => s.node), mallory.identity];
    const nodes = identities.map((d) => d.cid);
    const session = createSession({ group: 'bls12-381', nodes, t: T, purpose: PURPOSE });
    const id = session.cid.toString();
    const ctx: ParticipantContext = {
      group: blsGroup(core),
      bls: core.bls,
      me: { cid: mallory.identity.cid, bls: mallory.secrets.bls, xwing: mallory.secrets.xwing },
      identities,
    };
    const [a, b] = [await startParticipant(ctx, session.bytes), await startParticipant(ctx, session.bytes)];
    expect(toBase64(a.outgoing!)).not.toBe(toBase64(b.outgoing!));
    const content = { session: session.bytes, identities: identities.map((d) => d.bytes) };
    const starts = await Promise.all(honest.map(async (s) => start(s, content)));
    const round1 = starts.map((r) => r.outgoing!);
    // Nodes 1 and 2 get one round-1 envelope from node 5, nodes 3 and 4 another.
    const seen = [a, a, b, b];
    const round2 = await Promise.all(
      honest.map((s, k) => s.api.dkgRound(id, 'round1', [...round1, seen[k]!.outgoing!])),
    );
    expect(round2.map((r) => r.phase)).toEqual(['round2', 'round2', 'round2', 'round2']);
    const mine = await participantReceive(ctx, a.state as ParticipantState, {
      kind: 'round1',
      envelopes: [...round1, a.outgoing!],
    });
    const envelopes = [...round2.map((r) => r.outgoing!), mine.outgoing!];
    const ends = await Promise.all(honest.map((s) => s.api.dkgRound(id, 'round2', envelopes)));
    for (const end of ends) {
      expect(end.phase).toBe('aborted');
      expect(end.reason).toBe('transcript_mismatch');
      expect(end.outgoing).not.toBeNull(); // its signed notice, for the relay
    }
    const records = await Promise.all(setup.fleet.homes.slice(0, 4).map((h) => readDkgRecord(h, session.cid)));
    expect(records.every(secretFree)).toBe(true);
  }, 120_000);
});

async function start(s: NodeSession, content: unknown) {
  await s.register();
  return s.api.dkgStart((await s.request({ type: 'dkg/start', content, sealed: false })).bytes);
}

describe('kill -9 in the middle of a DKG, then completion after restart', () => {
  it('a node killed after it answered round 1 and restarted: the relay completes', async () => {
    const sessions = await setup.fleet.sessionsAs(alice);
    const before = setup.fleet.children[2]!.proc.pid;
    let restarted: Promise<unknown> | undefined;
    const result = await runDkg({
      sessions,
      t: T,
      group: 'secp256k1',
      purpose: PURPOSE,
      retryMs: 90_000,
      onProgress: (p) => {
        if (p.step === 'round1' && p.done === N && !restarted) restarted = restart(2);
      },
    });
    await restarted;
    expect(setup.fleet.children[2]!.proc.pid).not.toBe(before);
    const statuses = await Promise.all(
      (await setup.fleet.sessionsAs(alice)).map((s) => s.api.dkgStatus(result.session.cid.toString())),
    );
    expect(statuses.map((s) => s.phase)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(statuses.every((s) => toBase64(s.groupKey!) === toBase64(result.groupKey))).toBe(true);
  }, 180_000);

  it('killed between state write and reply: the restarted node answers the round-1 envelope it stored', async () => {
    await restart(3, 'dkg:after-store');
    const sessions = await setup.fleet.sessionsAs(alice);
    const { session, content } = blsSessionAmong(sessions, T, PURPOSE);
    const died = await start(sessions[3]!, content).then(
      () => 'answered',
      (e: Error) => e.name,
    );
    expect(died).toBe('NodeUnreachableError');
    expect(await setup.fleet.children[3]!.exited).toBe('SIGKILL');
    const stored = await readDkgRecord(setup.fleet.homes[3]!, session.cid);
    expect(stored?.state.phase).toBe('round1');
    await setup.fleet.start(3);
    const again = await start((await setup.fleet.sessionsAs(alice))[3]!, content);
    expect(toBase64(again.outgoing!)).toBe(toBase64(stored!.outgoing!));
    const result = await runDkg({
      sessions: await setup.fleet.sessionsAs(alice),
      t: T,
      group: 'bls12-381',
      purpose: PURPOSE,
      session,
    });
    expect(result.session.cid.equals(session.cid)).toBe(true);
    const done = await readDkgRecord(setup.fleet.homes[3]!, session.cid);
    expect(done?.state.phase).toBe('done');
  }, 180_000);
});

describe('the timeout sweep', () => {
  it('a session not done within dkgTimeoutMs aborts (timeout) by itself and keeps no share', async () => {
    await addToConfig(setup.fleet.homes[0]!, { dkgTimeoutMs: 1500 });
    await restart(0);
    const sessions = await setup.fleet.sessionsAs(alice);
    const { session, content } = blsSessionAmong(sessions, T, PURPOSE);
    expect((await start(sessions[0]!, content)).phase).toBe('round1');
    // Nothing asks the node anything: the sweep alone aborts it (read from its home, bounded wait).
    const aborted = await waitFor(
      async () => {
        const r = await readDkgRecord(setup.fleet.homes[0]!, session.cid);
        return r?.state.phase === 'aborted' ? r : undefined;
      },
      20_000,
      250,
    );
    expect(aborted.state).toMatchObject({ phase: 'aborted', reason: 'timeout', nodes: [] });
    expect(secretFree(aborted)).toBe(true);
    const status = await sessions[0]!.api.dkgStatus(session.cid.toString());
    expect(status).toMatchObject({ phase: 'aborted', reason: 'timeout' });
  }, 120_000);
});
