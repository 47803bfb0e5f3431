// The node's log seen from outside, over real HTTP on 127.0.0.1: order replies carry inclusion proofs that the
// API client checks against the log key the node's identity binds (and refuses once altered); registered
// identities are logged; the tiles served are the tiles of the tree (tileOf over a tree rebuilt from the entry
// bundles), and a client that reads only tiles computes inclusion and consistency proofs that verify.
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplyError } from '../../src/core/api/errors.ts';
import { type LogKey, logKeyOfIdentity, verifyLogReceipt } from '../../src/core/api/log-proof.ts';
import type { StepReply } from '../../src/core/api/replies.ts';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { toBase64 } from '../../src/core/bytes.ts';
import { logEntry } from '../../src/core/protocol/log-entry.ts';
import { type Checkpoint, formatCheckpoint, parseCheckpoint } from '../../src/core/tlog/checkpoint.ts';
import {
  consistencyProof,
  type HashReader,
  inclusionProof,
  leafHash,
  storedHashesFor,
  treeHash,
  verifyConsistency,
  verifyInclusion,
} from '../../src/core/tlog/merkle.ts';
import { ed25519Signer, ed25519VerifierKey, openNote, parseVerifierKey, signNote } from '../../src/core/tlog/note.ts';
import {
  entriesPath,
  parseEntryBundle,
  TILE_WIDTH,
  tileOf,
  tilePath,
  tileReader,
  tileWidthAt,
} from '../../src/core/tlog/tiles.ts';
import { orderSafeguardWith } from '../../src/plugins/safeguard/order.ts';
import { clientIdentity, clientOf, makeHome, type RunningNode, startInProcess, tempDir } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let node: RunningNode;
let alice: KeyIdentity, bob: KeyIdentity;
let asAlice: NodeSession, asBob: NodeSession;
let key: LogKey;

/** The node's latest checkpoint over HTTP, its note verified with the log key. */
async function latestCheckpoint(): Promise<Checkpoint> {
  const res = await fetch(`${node.url}/v1/log/checkpoint`);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return parseCheckpoint(openNote(await res.text(), [parseVerifierKey(key.verifierKey)]).text);
}

async function getTile(path: string): Promise<Uint8Array> {
  const res = await fetch(`${node.url}/v1/log/${path}`);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
  expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  return new Uint8Array(await res.arrayBuffer());
}

/** A POST of a fresh safeguard order as Alice, read raw (the reply JSON as sent). */
async function rawOrder(): Promise<{ reply: StepReply; cids: CID[] }> {
  const request = await asAlice.request({
    type: 'safeguard/order',
    content: { beneficiary: bob.identity.cid, generate: 16 },
    intentFor: bob.identity,
  });
  const res = await fetch(`${node.url}/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ envelope: toBase64(request.bytes) }),
  });
  expect(res.status).toBe(201);
  const reply = (await res.json()) as StepReply;
  return { reply, cids: [request.cid, CID.parse(reply.cid)] };
}

beforeAll(async () => {
  tmp = await tempDir('dta-log-orders-');
  const home = await makeHome(join(tmp.dir, 'fiduciary'), {
    name: 'fiduciary',
    config: { plugins: ['safeguard'], registrationsPerMinute: 0 },
  });
  node = await startInProcess(home);
  alice = await clientIdentity('alice');
  bob = await clientIdentity('bob');
  asAlice = await clientOf(node.url, alice, { registerFirst: true });
  asBob = await clientOf(node.url, bob, { registerFirst: true });
  await asAlice.register();
  await asBob.register();
  key = logKeyOfIdentity(asAlice.node)!;
}, 60_000);

afterAll(async () => {
  await node?.close();
  await tmp?.cleanup();
});

describe('order replies and the log', () => {
  it("binds the log in the node's identity and serves its key", async () => {
    expect(key.origin).toMatch(/^dta\.node\/[0-9a-f]{32}$/);
    const served = (await (await fetch(`${node.url}/v1/log/key`)).json()) as Record<string, string>;
    expect(served).toEqual({ origin: key.origin, key: ed25519VerifierKey(key.origin, key.publicKey) });
    expect(node.rt.log.verifierKey).toBe(key.verifierKey);
  });

  it('every order step is proven included in a checkpoint signed by the log key; the client checks it', async () => {
    const ordered = await orderSafeguardWith(asAlice, { beneficiary: bob.identity.cid, generate: 32 });
    const logged = ordered.reply.log!;
    expect(logged.entries.map((e) => e.cid)).toEqual([ordered.request.cid.toString(), ordered.envelope.cid.toString()]);
    expect(ordered.checkpoint!.origin).toBe(key.origin);
    const redeemed = await asBob.redeem('safeguard', ordered.reply.order);
    expect(redeemed.checkpoint!.size).toBeGreaterThanOrEqual(ordered.checkpoint!.size + 2);
    // the two checkpoints are of one tree: a consistency proof from the log verifies
    const [a, b] = [ordered.checkpoint!, redeemed.checkpoint!];
    verifyConsistency(a.size, b.size, await node.rt.log.consistencyProof(a.size, b.size), a.root, b.root);
    // where each envelope is, by its CID, against the latest checkpoint
    const latest = await latestCheckpoint();
    for (const cid of [...logged.entries.map((e) => e.cid), redeemed.envelope.cid.toString()]) {
      const where = (await (await fetch(`${node.url}/v1/log/entries/${cid}`)).json()) as {
        index: number;
        size: number;
        proof: string[];
      };
      expect(where.size).toBe(latest.size);
      const proof = where.proof.map((p) => Buffer.from(p, 'base64'));
      verifyInclusion(leafHash(logEntry('envelope', CID.parse(cid))), where.index, where.size, proof, latest.root);
    }
  });

  it('refuses a receipt with an altered proof, index, checkpoint or a missing envelope', async () => {
    const { reply, cids } = await rawOrder();
    const receipt = reply.log!;
    await expect(verifyLogReceipt(receipt, key, cids)).resolves.toMatchObject({ origin: key.origin });
    const [first, second] = receipt.entries as [(typeof receipt.entries)[0], (typeof receipt.entries)[0]];
    const flipped = Buffer.from(first.proof[0]!, 'base64');
    flipped[0]! ^= 1;
    const altered = [
      { ...receipt, entries: [{ ...first, proof: [flipped.toString('base64'), ...first.proof.slice(1)] }, second] },
      { ...receipt, entries: [{ ...first, index: first.index + 1 }, second] },
      { ...receipt, entries: [first] },
      { ...receipt, checkpoint: receipt.checkpoint.replace(/\n(\d+)\n/, (_, n) => `\n${Number(n) + 1}\n`) },
    ];
    for (const r of altered) await expect(verifyLogReceipt(r, key, cids)).rejects.toBeInstanceOf(ReplyError);
    // the same tree head signed by another key under the node's origin
    const impostor = ed25519Signer(key.origin, ed25519.utils.randomSecretKey());
    const text = formatCheckpoint(
      parseCheckpoint(openNote(receipt.checkpoint, [parseVerifierKey(key.verifierKey)]).text),
    );
    const forged = { ...receipt, checkpoint: signNote(text, [impostor]) };
    await expect(verifyLogReceipt(forged, key, cids)).rejects.toBeInstanceOf(ReplyError);
  });

  it('logs every registered identity, the node’s own first', async () => {
    const own = (await (await fetch(`${node.url}/v1/log/entries/${node.rt.identity.cid}`)).json()) as { index: number };
    expect(own.index).toBe(0);
    for (const who of [alice, bob]) {
      expect((await fetch(`${node.url}/v1/log/entries/${who.identity.cid}`)).status).toBe(200);
    }
    const stranger = await clientIdentity('not registered');
    expect((await fetch(`${node.url}/v1/log/entries/${stranger.identity.cid}`)).status).toBe(404);
    expect((await fetch(`${node.url}/v1/log/entries/not-a-cid`)).status).toBe(400);
  });
});

describe('tiles', () => {
  it('serves the tiles of the tree; a client reading only tiles proves inclusion and consistency', async () => {
    const before = await latestCheckpoint();
    // fill the log past one level-1 hash (65,536 leaves) through the node's own log, in batches
    const target = TILE_WIDTH * TILE_WIDTH + 300;
    for (let at = before.size; at < target; at += 4096) {
      const batch = Array.from({ length: Math.min(4096, target - at) }, (_, i) => fillerEntry(at + i));
      await node.rt.log.append(batch);
    }
    const cp = await latestCheckpoint();
    expect(cp.size).toBeGreaterThanOrEqual(target);

    // the tree rebuilt from the entry bundles alone hashes to the signed root
    const levels: Uint8Array[][] = [];
    const local: HashReader = (level, n) => levels[level]![n]!;
    const entries: Uint8Array[] = [];
    for (let n = 0; n * TILE_WIDTH < cp.size; n++) {
      entries.push(...parseEntryBundle(await getTile(entriesPath(n, tileWidthAt(0, n, cp.size)))));
    }
    expect(entries.length).toBe(cp.size);
    for (const [i, e] of entries.entries()) {
      for (const s of await storedHashesFor(i, leafHash(e), local)) {
        if (!levels[s.level]) levels[s.level] = [];
        levels[s.level]![s.n] = s.hash;
      }
    }
    expect(toBase64(await treeHash(cp.size, local))).toBe(toBase64(cp.root));

    // every tile served is tileOf that tree, full and partial, level 0 and 1
    for (const [level, count] of [
      [0, Math.ceil(cp.size / TILE_WIDTH)],
      [1, 2],
    ] as const) {
      for (let n = 0; n < count; n++) {
        const width = tileWidthAt(level, n, cp.size);
        expect(toBase64(await getTile(tilePath(level, n, width)))).toBe(toBase64(await tileOf(level, n, width, local)));
      }
    }
    // a partial tile narrower than the latest (what a client at an older checkpoint asks for) is served too
    expect((await getTile(tilePath(0, 0, 7))).length).toBe(7 * 32);
    // nothing beyond the checkpoint, nothing that is not a tile path
    const last = Math.floor(cp.size / TILE_WIDTH);
    for (const path of [tilePath(0, last + 1, 1), tilePath(2, 0, 2), 'tile/0/x000/001', 'tile/0/abc']) {
      expect((await fetch(`${node.url}/v1/log/${path}`)).status).toBe(404);
    }

    // a client holding only tiles: inclusion of entries across the tree, consistency from the older checkpoint
    const reader = tileReader(getTile, cp.size);
    for (const i of [0, 1, 255, 256, 4097, 65_535, 65_536, cp.size - 1]) {
      verifyInclusion(leafHash(entries[i]!), i, cp.size, await inclusionProof(i, cp.size, reader), cp.root);
    }
    const proof = await consistencyProof(before.size, cp.size, reader);
    verifyConsistency(before.size, cp.size, proof, before.root, cp.root);
    expect(proof.map(toBase64)).toEqual((await node.rt.log.consistencyProof(before.size, cp.size)).map(toBase64));
  }, 120_000);
});

/** A distinct filler entry (an identity entry naming a made-up CID) for bulk appends. */
function fillerEntry(i: number): Uint8Array {
  const digest = new Uint8Array(32);
  new DataView(digest.buffer).setUint32(0, i + 1);
  const cid = CID.createV1(0x71, { code: 0x12, size: 32, digest, bytes: Uint8Array.of(0x12, 32, ...digest) });
  return logEntry('identity', cid);
}
