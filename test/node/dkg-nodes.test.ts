// A DKG carried by five separate `dta serve` processes (n = 5, t = 3), on both groups: runDkg relays the rounds,
// every node ends done with the same group key and commitments, which are runDkg's result; each node's share,
// read from its home with the project's own store, verifies against those commitments and any three recover
// the key's discrete log (checked in the exponent: their Lagrange combination of public shares is the key).
// The node refuses what it must (purpose of no plugin here, a session that does not list it, wrong identities,
// t = 1, an unknown session), a repeated start answers the same envelope, and GET says no secret.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DkgProgress, runDkg } from '../../src/core/api/dkg-relay.ts';
import { NodeApiError } from '../../src/core/api/errors.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { toBase64 } from '../../src/core/bytes.ts';
import { blsGroup } from '../../src/core/dkg/bls-group.ts';
import type { DkgGroup, GroupName } from '../../src/core/dkg/group.ts';
import { createSession } from '../../src/core/dkg/messages.ts';
import { secp256k1Group } from '../../src/core/dkg/secp256k1-group.ts';
import type { Core } from '../../src/core/types.ts';
import { readDkgRecord } from './dkg-homes.ts';
import { blsSessionAmong } from './dkg-session.ts';
import { useFleet } from './fleet-for-file.ts';
import { clientIdentity, printedJson, sharedCore, spawnDta } from './harness.ts';

const T = 3;
const N = 5;
const setup = useFleet('dta-dkg-nodes-', N, ['custody', 'bitcoin']);
let core: Core;
let alice: KeyIdentity;

beforeAll(async () => {
  core = await sharedCore();
  alice = await clientIdentity('alice');
}, 120_000);

const groups: Record<GroupName, () => DkgGroup> = { 'bls12-381': () => blsGroup(core), secp256k1: secp256k1Group };

describe('a DKG over five nodes, t = 3', () => {
  for (const name of ['bls12-381', 'secp256k1'] as const) {
    it(`${name}: every node done with runDkg's key; shares verify; any t recover it`, async () => {
      const sessions = await setup.fleet.sessionsAs(alice);
      const progress: DkgProgress[] = [];
      const purpose = name === 'secp256k1' ? 'bitcoin:fiduciary key' : 'custody:secret';
      const result = await runDkg({ sessions, t: T, group: name, purpose, onProgress: (p) => progress.push(p) });
      expect(result.commitments).toHaveLength(T);
      expect(toBase64(result.commitments[0]!)).toBe(toBase64(result.groupKey));
      expect(progress.at(-1)).toEqual({ step: 'round2', done: N, of: N });
      const id = result.session.cid.toString();
      const statuses = await Promise.all(sessions.map((s) => s.api.dkgStatus(id)));
      expect(statuses.map((s) => [s.phase, s.index])).toEqual([1, 2, 3, 4, 5].map((i) => ['done', i]));
      for (const s of statuses) {
        expect(toBase64(s.groupKey!)).toBe(toBase64(result.groupKey));
        expect(s.commitments!.map(toBase64)).toEqual(result.commitments.map(toBase64));
        expect(s.outgoing).toBeNull();
      }
      const group = groups[name]();
      const shares = await Promise.all(setup.fleet.homes.map((home) => readDkgRecord(home, result.session.cid)));
      const held = shares.map((r, k) => {
        expect(r?.state.phase).toBe('done');
        const value = (r!.state as { share: Uint8Array }).share;
        expect(group.verifyShare({ index: k + 1, value }, result.commitments)).toBe(true);
        return { index: k + 1, value: group.publicKey(value) };
      });
      for (const pick of [held.slice(0, 3), held.slice(2, 5), [held[0]!, held[2]!, held[4]!]]) {
        expect(toBase64(group.recoverPoints(pick))).toBe(toBase64(result.groupKey));
      }
      expect(toBase64(group.recoverPoints(held.slice(0, 2)))).not.toBe(toBase64(result.groupKey));
    }, 120_000);
  }

  it('a second start of the same session answers the same envelope; GET carries no secret', async () => {
    const sessions = await setup.fleet.sessionsAs(alice);
    const s1 = sessions[0]!;
    const { session, content } = blsSessionAmong(sessions, T, 'custody:x');
    await s1.register();
    const first = await s1.api.dkgStart((await s1.request({ type: 'dkg/start', content, sealed: false })).bytes);
    const again = await s1.api.dkgStart((await s1.request({ type: 'dkg/start', content, sealed: false })).bytes);
    expect(first.phase).toBe('round1');
    expect(toBase64(again.outgoing!)).toBe(toBase64(first.outgoing!));
    const raw = await (await fetch(`${s1.api.url}/v1/dkg/sessions/${session.cid.toString()}`)).json();
    expect(Object.keys(raw as object).sort()).toEqual(['index', 'outgoing', 'phase']);
  }, 60_000);

  it('refuses: a purpose of no plugin here, a session without it, missing identities, t = 1, unknown ids', async () => {
    const sessions = await setup.fleet.sessionsAs(alice);
    const s1 = sessions[0]!;
    await s1.register();
    const nodes = sessions.map((s) => s.node.cid);
    const identities = sessions.map((s) => s.node.bytes);
    const start = async (fields: { nodes?: typeof nodes; t?: number; purpose?: string }, docs = identities) => {
      const session = createSession({ group: 'bls12-381', nodes, t: T, purpose: 'custody:x', ...fields });
      const content = { session: session.bytes, identities: docs };
      const env = await s1.request({ type: 'dkg/start', content, sealed: false });
      return s1.api.dkgStart(env.bytes).then(
        () => 'accepted',
        (e: unknown) => (e instanceof NodeApiError ? `${e.status} ${e.code}: ${e.message}` : String(e)),
      );
    };
    expect(await start({ purpose: 'mpin:master secret' })).toMatch(/^400 bad_session: .*no plugin "mpin"/);
    expect(await start({ purpose: 'no prefix' })).toMatch(/^400 bad_session: .*<plugin>:<what>/);
    expect(await start({ nodes: nodes.slice(1) }, identities.slice(1))).toMatch(/^403 not_participant/);
    expect(await start({}, identities.slice(0, 4))).toMatch(/^400 bad_session: identities: 4 documents for 5/);
    expect(await start({ t: 1 })).toMatch(/^400 bad_session: session\.t/);
    const unknown = createSession({ group: 'bls12-381', nodes, t: T, purpose: 'custody:x' }).cid.toString();
    const status = await s1.api.dkgStatus(unknown).catch((e: NodeApiError) => `${e.status} ${e.code}`);
    expect(status).toBe('404 not_found');
    const round = await s1.api.dkgRound(unknown, 'round1', [new Uint8Array([1])]).catch((e: NodeApiError) => e.status);
    expect(round).toBe(404);
  }, 60_000);
});

describe('dta dkg', () => {
  it('run relays a DKG as the home identity; status shows every node done with its key', async () => {
    const home = join(setup.dir, 'carol');
    await spawnDta(['identity', 'create', '--home', home, '--name', 'carol', '--scrypt-log-n', '14']);
    const nodes = setup.fleet.children.map((c) => c!.url).join(',');
    const ran = await spawnDta(
      ['dkg', 'run', '--home', home, '--nodes', nodes, '--t', '3', '--group', 'secp256k1', '--purpose', 'bitcoin:key'],
      {},
      60_000,
    );
    expect(ran.output()).toMatch(/round2: 5\/5 nodes/);
    const result = printedJson(ran.output()) as { session: string; groupKey: string; commitments: string[] };
    expect(result.commitments).toHaveLength(3);
    const status = printedJson(
      (await spawnDta(['dkg', 'status', '--session', result.session, '--nodes', nodes])).output(),
    );
    const seen = status.nodes as { phase: string; index: number; groupKey: string }[];
    expect(seen.map((n) => [n.phase, n.index, n.groupKey])).toEqual(
      [1, 2, 3, 4, 5].map((i) => ['done', i, result.groupKey]),
    );
    const refused = await spawnDta(
      ['dkg', 'run', '--home', home, '--nodes', nodes, '--t', '3', '--group', 'bls12-381', '--purpose', 'nope:key'],
      {},
      60_000,
    );
    expect(await refused.exited).toBe(1);
    expect(printedJson(refused.output())).toMatchObject({ failed: 'refused', nodes: [1, 2, 3, 4, 5] });
  }, 120_000);
});
