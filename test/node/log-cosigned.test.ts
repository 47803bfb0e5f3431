// Cosigned checkpoints that stay visible under steady traffic. First the log alone: cosignatures of an earlier size
// are kept with that size's note (byte for byte the note the log signed then), merged per witness, bounded to the
// newest sizes, durable across a reopen, and a stored note the entries contradict stops the log from opening.
// Then three nodes witnessing each other over HTTP on 127.0.0.1, with the gatherer's default 1 s round: under a
// steady stream of orders (40, 100 ms apart) the latest checkpoint moves on before the witnesses answer, and
// /v1/log/checkpoint/cosigned serves a note cosigned by both witnesses, which the latest extends (proof from tiles).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeApiError } from '../../src/core/api/errors.ts';
import { NodeApi } from '../../src/core/api/node-api.ts';
import { utf8 } from '../../src/core/bytes.ts';
import { formatCheckpoint, parseCheckpoint } from '../../src/core/tlog/checkpoint.ts';
import { cosignatureVerifier, cosigner } from '../../src/core/tlog/cosignature.ts';
import { consistencyProof, verifyConsistency } from '../../src/core/tlog/merkle.ts';
import { ed25519Signer, openNote, parseVerifierKey, signNote } from '../../src/core/tlog/note.ts';
import { tileReader } from '../../src/core/tlog/tiles.ts';
import { logOrigin } from '../../src/node/log/binding.ts';
import { KEPT_SIZES } from '../../src/node/log/cosigned-notes.ts';
import { openNodeLog } from '../../src/node/log/node-log.ts';
import type { NodeLog } from '../../src/node/log/types.ts';
import { orderSafeguardWith } from '../../src/plugins/safeguard/order.ts';
import { clientIdentity, clientOf, makeHome, type RunningNode, startInProcess, tempDir, waitFor } from './harness.ts';
import { addToConfig, type WitnessingPeer, witnessingPeers } from './witnessing-nodes.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  tmp = await tempDir('dta-log-cosigned-');
});
afterAll(async () => {
  for (const p of peers) await p.node?.close();
  await lonely?.close();
  await tmp?.cleanup();
});

describe('the log keeps the cosigned notes of recent sizes', () => {
  const secretKey = sha256(utf8('log-cosigned test key, not a secret'));
  const origin = logOrigin(ed25519.getPublicKey(secretKey));
  const open = (dir: string): Promise<NodeLog> => openNodeLog({ dir, origin, secretKey: secretKey.slice() });
  const witness = (name: string) => {
    const sk = sha256(utf8(`witness ${name}, not a secret`));
    return { name, sign: cosigner(name, sk), verifier: cosignatureVerifier(name, ed25519.getPublicKey(sk)) };
  };
  const south = witness('south.example/log');
  const east = witness('east.example/log');
  const textOf = (note: string) => note.slice(0, note.lastIndexOf('\n\n') + 1);

  it('an earlier size keeps its own note with its cosignatures, one line per witness, and the newest is served', async () => {
    const dir = join(tmp.dir, 'store');
    const log = await open(dir);
    expect(await log.cosigned()).toBeUndefined();
    const signedAt: string[] = [];
    for (let i = 0; i < 4; i++) {
      await log.append([utf8(`entry ${i}`)]);
      signedAt.push((await log.latest()).note);
    }
    const sizeOf = (note: string) => parseCheckpoint(textOf(note)).size;
    // The witnesses answer for size 2 after the log has reached 4: the note of 2 is the one kept and served.
    const two = signedAt[1]!;
    expect(await log.addCosignatures(sizeOf(two), [south.sign.cosign(textOf(two), 1000)])).toBe(true);
    expect(await log.addCosignatures(sizeOf(two), [east.sign.cosign(textOf(two), 1001)])).toBe(true);
    expect(await log.addCosignatures(sizeOf(two), [south.sign.cosign(textOf(two), 1002)])).toBe(true);
    const kept = (await log.cosigned())!;
    expect(kept.checkpoint.size).toBe(sizeOf(two));
    expect(kept.note.startsWith(two)).toBe(true); // the very note the log signed at that size
    const opened = openNote(kept.note, [parseVerifierKey(log.verifierKey), south.verifier, east.verifier]);
    expect(opened.verified.map((s) => s.name)).toEqual([origin, 'south.example/log', 'east.example/log']);
    expect(kept.note.split('\n').filter((l) => l.startsWith('— ')).length).toBe(3); // south's newer line replaced
    // The latest carries nothing yet; a size beyond it is refused.
    expect(openNote((await log.latest()).note, [parseVerifierKey(log.verifierKey)]).unverified).toEqual([]);
    const latestSize = (await log.latest()).checkpoint.size;
    expect(await log.addCosignatures(latestSize + 1, [south.sign.cosign(textOf(two), 1)])).toBe(false);
    await log.close();
    const again = await open(dir);
    expect(await again.cosigned()).toEqual(kept);
    await again.close();
  });

  it('bounded to the newest sizes: an older size is refused once they are all kept', async () => {
    const log = await open(join(tmp.dir, 'bounded'));
    const notes: string[] = [];
    for (let i = 0; i < KEPT_SIZES + 2; i++) {
      await log.append([utf8(`bounded ${i}`)]);
      notes.push((await log.latest()).note);
    }
    const cosign = (note: string) => [south.sign.cosign(textOf(note), 5)];
    const size = (note: string) => parseCheckpoint(textOf(note)).size;
    for (const note of notes.slice(2)) expect(await log.addCosignatures(size(note), cosign(note))).toBe(true);
    expect(await log.addCosignatures(size(notes[0]!), cosign(notes[0]!))).toBe(false);
    expect(await log.addCosignatures(size(notes[2]!), cosign(notes[2]!))).toBe(true); // kept: still one of them
    const latest = await log.latest();
    expect((await log.cosigned())!.checkpoint.size).toBe(latest.checkpoint.size);
    expect((await log.cosigned())!.note).toBe(latest.note); // the latest's cosignatures are on both
    const file = JSON.parse(await readFile(join(tmp.dir, 'bounded', 'cosigned.json'), 'utf8')) as { notes: string[] };
    expect(file.notes.map(size)).toEqual(notes.slice(2).map(size));
    await log.close();
  });

  it('a stored cosigned note the entries contradict, or a damaged file, stops the log from opening', async () => {
    const dir = join(tmp.dir, 'contradicted');
    const log = await open(dir);
    await log.append([utf8('a'), utf8('b')]);
    await log.close();
    const forged = formatCheckpoint({ origin, size: 2, root: new Uint8Array(32).fill(7), extensions: [] });
    const note = signNote(forged, [ed25519Signer(origin, secretKey.slice())]);
    await writeFile(join(dir, 'cosigned.json'), JSON.stringify({ notes: [note] }));
    await expect(open(dir)).rejects.toMatchObject({ name: 'LogError', code: 'log_corrupt' });
    await writeFile(join(dir, 'cosigned.json'), '{"notes": [');
    await expect(open(dir)).rejects.toMatchObject({ name: 'LogError', code: 'log_corrupt' });
  });
});

type Peer = WitnessingPeer;

const peers: Peer[] = [];
let lonely: RunningNode | undefined;

const urlOf = (p: Peer) => `http://127.0.0.1:${p.port}`;
const others = (p: Peer) => peers.filter((q) => q !== p);

/** The note at `path` of `p`, opened with its log key and its two witnesses' keys: size, root and cosigners. */
async function noteAt(p: Peer, path: string) {
  const res = await fetch(`${urlOf(p)}${path}`);
  if (res.status !== 200) return undefined;
  const note = await res.text();
  const opened = openNote(note, [p.logKey, ...others(p).map((q) => q.witnessKey)]);
  const cosigners = opened.verified.filter((s) => s.keyId !== p.logKey.keyId).map((s) => s.name);
  return { note, checkpoint: parseCheckpoint(opened.text), cosigners: cosigners.sort() };
}

/** Checks from the node's tiles alone that its checkpoint `now` extends `before`. */
async function extendsFromTiles(p: Peer, before: ReturnType<typeof parseCheckpoint>, now: typeof before) {
  const read = tileReader(async (path) => {
    const res = await fetch(`${urlOf(p)}/v1/log/${path}`);
    expect(res.status).toBe(200);
    return new Uint8Array(await res.arrayBuffer());
  }, now.size);
  const proof = now.size > before.size ? await consistencyProof(before.size, now.size, read) : [];
  verifyConsistency(before.size, now.size, proof, before.root, now.root);
}

describe('three nodes witnessing each other under a steady stream of orders', () => {
  beforeAll(async () => {
    peers.push(...(await witnessingPeers(tmp.dir, ['a', 'b', 'c'])));
    for (const p of peers) {
      const witnesses = others(p).map((q) => ({ url: urlOf(q), key: q.witnessVkey }));
      const witnessing = others(p).map((q) => q.logVkey);
      // The gatherer's default round (1 s): orders come faster than that.
      await addToConfig(p.home, { port: p.port, witnesses, witnessing });
    }
    for (const p of peers) p.node = await startInProcess(p.home);
    lonely = await startInProcess(await makeHome(join(tmp.dir, 'lonely'), { name: 'no witnesses' }));
  });

  it('a log no witness cosigned answers 404 not_cosigned', async () => {
    const res = await fetch(`${lonely!.url}/v1/log/checkpoint/cosigned`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_cosigned' } });
    const refused = await new NodeApi(lonely!.url).logCosignedCheckpoint().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NodeApiError);
    expect(refused).toMatchObject({ status: 404 });
  });

  it('the cosigned checkpoint carries both witnesses and the latest extends it, while the latest moves on', async () => {
    const a = peers[0]!;
    const alice = await clientIdentity('alice, steady');
    const bob = await clientIdentity('bob, steady');
    const session = await clientOf(urlOf(a), alice);
    for (const c of [alice, bob]) await session.api.registerIdentity(c.identity.bytes);
    const seen: { latestCosigned: boolean; cosigned?: Awaited<ReturnType<typeof noteAt>>; latestSize: number }[] = [];
    let streaming = true;
    const watch = (async () => {
      while (streaming) {
        const cosigned = await noteAt(a, '/v1/log/checkpoint/cosigned');
        const latest = (await noteAt(a, '/v1/log/checkpoint'))!;
        if (cosigned) await extendsFromTiles(a, cosigned.checkpoint, latest.checkpoint);
        seen.push({ latestCosigned: latest.cosigners.length > 0, cosigned, latestSize: latest.checkpoint.size });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      for (let i = 0; i < 40; i++) {
        const started = Date.now();
        await orderSafeguardWith(session, { beneficiary: bob.identity.cid, secret: utf8(`steady order ${i}`) });
        await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - started))));
      }
    } finally {
      streaming = false;
      await watch;
    }
    const both = others(a)
      .map((q) => q.origin)
      .sort();
    const cosignedByBoth = seen.filter((s) => s.cosigned && s.cosigned.cosigners.join() === both.join());
    // While the stream ran, the witnesses' answers were visible, on a checkpoint older than the latest.
    expect(cosignedByBoth.length).toBeGreaterThan(0);
    expect(cosignedByBoth.some((s) => s.cosigned!.checkpoint.size < s.latestSize)).toBe(true);
    console.info(
      `log-cosigned: ${seen.length} looks during the stream; latest cosigned in ${seen.filter((s) => s.latestCosigned).length}, ` +
        `the cosigned endpoint cosigned by both in ${cosignedByBoth.length}`,
    );
    // Once the stream stops, the witnesses catch up with the latest (bounded wait).
    const size = (await a.node!.rt.log.latest()).checkpoint.size;
    const last = await waitFor(async () => {
      const c = await noteAt(a, '/v1/log/checkpoint/cosigned');
      return c?.checkpoint.size === size && c.cosigners.join() === both.join() ? c : undefined;
    }, 15_000);
    const latest = (await noteAt(a, '/v1/log/checkpoint'))!;
    expect(latest.checkpoint).toEqual(last.checkpoint);
    expect(latest.cosigners).toEqual(both);
  });
});
