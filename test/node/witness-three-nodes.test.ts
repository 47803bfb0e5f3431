// Three nodes witnessing each other over real HTTP on 127.0.0.1: each lists the two others as its witnesses (by
// identity CID, or by the cosignature key their identity documents' log binding gives) and witnesses their logs.
// After orders, each node's /v1/log/checkpoint carries the two others' cosignatures. Then one node's log is forked
// (a second log over a copy of its log directory, with its key, signing another checkpoint of the size its witnesses
// cosigned): both witnesses refuse it and serve the two signed notes as evidence; a rollback and a stale old size
// are refused too. Last, the gatherer: a witness down never holds up an order, and a restarted node is cosigned again.
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../src/core/bytes.ts';
import { type Checkpoint, parseCheckpoint } from '../../src/core/tlog/checkpoint.ts';
import { cosignatureTime } from '../../src/core/tlog/cosignature.ts';
import { openNote } from '../../src/core/tlog/note.ts';
import { homePaths } from '../../src/node/config.ts';
import { openNodeLog } from '../../src/node/log/node-log.ts';
import type { NodeLog } from '../../src/node/log/types.ts';
import { orderSafeguardWith } from '../../src/plugins/safeguard/order.ts';
import { clientIdentity, clientOf, startInProcess, tempDir, waitFor } from './harness.ts';
import { addToConfig, type WitnessingPeer, witnessingPeers } from './witnessing-nodes.ts';

type Peer = WitnessingPeer;

let tmp: { dir: string; cleanup: () => Promise<void> };
const peers: Peer[] = [];
let fork: NodeLog | undefined;
/** A checkpoint of the first node's log cosigned before it grew (for the rollback). */
let earlier: { note: string; checkpoint: Checkpoint } | undefined;

const urlOf = (p: Peer) => `http://127.0.0.1:${p.port}`;
const others = (p: Peer) => peers.filter((q) => q !== p);

async function checkpointOf(p: Peer): Promise<{ note: string; checkpoint: Checkpoint; cosigners: string[] }> {
  const note = await (await fetch(`${urlOf(p)}/v1/log/checkpoint`)).text();
  const opened = openNote(note, [p.logKey, ...others(p).map((q) => q.witnessKey)]);
  expect(opened.verified.some((s) => s.name === p.origin && s.keyId === p.logKey.keyId)).toBe(true);
  const cosigners = opened.verified.filter((s) => s.keyId !== p.logKey.keyId).map((s) => s.name);
  return { note, checkpoint: parseCheckpoint(opened.text), cosigners };
}

/** Waits (bounded) until `p` serves a checkpoint of its latest size cosigned by both other nodes. */
async function cosignedByBoth(p: Peer) {
  const size = (await p.node!.rt.log.latest()).checkpoint.size;
  return waitFor(async () => {
    const c = await checkpointOf(p);
    const all = others(p).every((q) => c.cosigners.includes(q.origin));
    return c.checkpoint.size === size && all ? c : undefined;
  }, 15_000);
}

async function addCheckpoint(p: Peer, body: string) {
  const res = await fetch(`${urlOf(p)}/v1/witness/add-checkpoint`, { method: 'POST', body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

async function evidenceAt(p: Peer) {
  const res = await fetch(`${urlOf(p)}/v1/witness/evidence`);
  return ((await res.json()) as { evidence: { kind: string; cosigned: { note: string }; offered: { note: string } }[] })
    .evidence;
}

const textOf = (note: string) => note.slice(0, note.lastIndexOf('\n\n') + 1);

beforeAll(async () => {
  tmp = await tempDir('dta-witness3-');
  peers.push(...(await witnessingPeers(tmp.dir, ['a', 'b', 'c'])));
  for (const p of peers) {
    // The first node names its witnesses by identity (their key read from their identity documents), the others by key.
    const witnesses = others(p).map((q) =>
      p === peers[0] ? { url: urlOf(q), identity: q.identity } : { url: urlOf(q), key: q.witnessVkey },
    );
    const witnessing = others(p).map((q) => q.logVkey);
    await addToConfig(p.home, { port: p.port, witnesses, witnessing, witnessIntervalMs: 100 });
  }
  for (const p of peers) p.node = await startInProcess(p.home);
});

afterAll(async () => {
  await fork?.close();
  for (const p of peers) await p.node?.close();
  await tmp?.cleanup();
});

describe('three nodes witnessing each other', () => {
  it("after orders, each node's checkpoint carries the two others' cosignatures", async () => {
    const alice = await clientIdentity('alice');
    const bob = await clientIdentity('bob');
    for (const p of peers) {
      const session = await clientOf(urlOf(p), alice);
      for (const c of [alice, bob]) await session.api.registerIdentity(c.identity.bytes);
      await orderSafeguardWith(session, { beneficiary: bob.identity.cid, secret: utf8(`a secret at ${p.origin}`) });
    }
    const now = Date.now() / 1000;
    for (const p of peers) {
      const c = await cosignedByBoth(p);
      expect(c.checkpoint.size).toBeGreaterThanOrEqual(3);
      expect(c.cosigners.sort()).toEqual(
        others(p)
          .map((q) => q.origin)
          .sort(),
      );
      const opened = openNote(
        c.note,
        others(p).map((q) => q.witnessKey),
      );
      for (const s of opened.verified) expect(Math.abs(cosignatureTime(s) - now)).toBeLessThan(60);
    }
  });

  it('a forked log is caught: both witnesses refuse it and serve the two signed notes', async () => {
    const a = peers[0]!;
    earlier = await cosignedByBoth(a);
    const size = earlier.checkpoint.size;
    // A second log over a copy of a's log, with a's key: from here on it shows other entries than a's log does.
    const copy = join(tmp.dir, 'fork-log');
    await cp(homePaths(a.home).log, copy, { recursive: true });
    const keys = a.node!.rt.home.log;
    fork = await openNodeLog({ dir: copy, origin: keys.origin, secretKey: keys.secretKey.slice() });
    expect((await fork.latest()).checkpoint.size).toBe(size);

    // The real log grows (an order) and is cosigned at its new size; the fork signs other entries to that size.
    const alice = await clientIdentity('alice again');
    const session = await clientOf(urlOf(a), alice);
    await session.api.registerIdentity(alice.identity.bytes);
    await orderSafeguardWith(session, { beneficiary: alice.identity.cid, secret: utf8('grows the real log') });
    const real = await cosignedByBoth(a);
    const grown = real.checkpoint.size;
    const forged = Array.from({ length: grown - size }, (_, i) => utf8(`forged entry ${i}`));
    await fork.append(forged);
    const forked = await fork.latest();
    expect(forked.checkpoint.size).toBe(grown);
    expect(forked.checkpoint.root).not.toEqual(real.checkpoint.root);

    for (const w of others(a)) {
      const refused = await addCheckpoint(w, `old ${grown}\n\n${forked.note}`);
      expect(refused.status).toBe(409);
      expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'fork' } });
      const kept = (await evidenceAt(w)).find((e) => e.kind === 'fork');
      expect(kept).toBeDefined();
      // Both notes verify under a's log key, one size, two roots: a's own signatures convict it.
      const notes = [kept!.cosigned.note, kept!.offered.note].map((n) => parseCheckpoint(openNote(n, [a.logKey]).text));
      expect(notes.map((c) => c.size)).toEqual([grown, grown]);
      expect(notes[0]!.root).toEqual(real.checkpoint.root);
      expect(notes[1]!.root).toEqual(forked.checkpoint.root);
      expect(textOf(kept!.offered.note)).toBe(textOf(forked.note));
    }
  });

  it('a rollback and a stale old size are refused; the witnesses keep the size they cosigned', async () => {
    const a = peers[0]!;
    const real = await cosignedByBoth(a);
    const size = real.checkpoint.size;
    expect(earlier!.checkpoint.size).toBeLessThan(size);
    for (const w of others(a)) {
      const rollback = await addCheckpoint(w, `old ${size}\n\n${earlier!.note}`);
      expect([rollback.status, JSON.parse(rollback.text).error.code]).toEqual([400, 'rollback']);
      for (const old of [0, earlier!.checkpoint.size]) {
        const stale = await addCheckpoint(w, `old ${old}\n\n${old === 0 ? real.note : earlier!.note}`);
        expect(stale).toEqual({ status: 409, type: 'text/x.tlog.size', text: `${size}\n` });
      }
    }
  });
});

describe('the gatherer', () => {
  it('an order never waits for a witness that is down; the witness cosigns once it is back', async () => {
    const [a, b, c] = peers as [Peer, Peer, Peer];
    await b.node!.close();
    const alice = await clientIdentity('alice, witness down');
    const session = await clientOf(urlOf(a), alice);
    await session.api.registerIdentity(alice.identity.bytes);
    const t = Date.now();
    await orderSafeguardWith(session, { beneficiary: alice.identity.cid, secret: utf8('while b is down') });
    expect(Date.now() - t).toBeLessThan(3000);
    const size = (await a.node!.rt.log.latest()).checkpoint.size;
    const byC = await waitFor(async () => {
      const cp = await checkpointOf(a);
      return cp.checkpoint.size === size && cp.cosigners.includes(c.origin) ? cp : undefined;
    }, 10_000);
    expect(byC.cosigners).not.toContain(b.origin);
    b.node = await startInProcess(b.home);
    expect((await cosignedByBoth(a)).checkpoint.size).toBe(size);
  });

  it('a restarted node learns the size each witness holds (409) and is cosigned again from there', async () => {
    const a = peers[0]!;
    await a.node!.close();
    a.node = await startInProcess(a.home);
    const alice = await clientIdentity('alice, after a restart');
    const session = await clientOf(urlOf(a), alice);
    await session.api.registerIdentity(alice.identity.bytes);
    await orderSafeguardWith(session, { beneficiary: alice.identity.cid, secret: utf8('after a restart') });
    const c = await cosignedByBoth(a);
    expect(c.checkpoint.size).toBe((await a.node.rt.log.latest()).checkpoint.size);
  });
});
