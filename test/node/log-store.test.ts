// The node's log on disk (src/node/log/node-log.ts), opened, written, damaged and reopened in a temp directory:
// group commit (one checkpoint for concurrent appends), entries kept once, a torn tail after a crash cut away
// without losing an acknowledged entry, a reopened log consistent with every checkpoint it signed before, and a
// log whose files disagree with its signed checkpoint refused rather than signed again.
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logEntry } from '../../src/core/protocol/log-entry.ts';
import { parseCheckpoint } from '../../src/core/tlog/checkpoint.ts';
import { leafHash, verifyConsistency, verifyInclusion } from '../../src/core/tlog/merkle.ts';
import { openNote, parseVerifierKey } from '../../src/core/tlog/note.ts';
import { logOrigin } from '../../src/node/log/binding.ts';
import { openNodeLog } from '../../src/node/log/node-log.ts';
import type { NodeLog } from '../../src/node/log/types.ts';
import { tempDir } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
const secretKey = sha256(new TextEncoder().encode('log-store test key, not a secret'));
const origin = logOrigin(ed25519.getPublicKey(secretKey));

/** An envelope entry naming the CID of `text` (any DAG-CBOR CID will do for the log). */
const entry = (text: string): Uint8Array =>
  logEntry('envelope', CID.createV1(0x71, Digest.create(0x12, sha256(new TextEncoder().encode(text)))));

const open = (dir: string): Promise<NodeLog> => openNodeLog({ dir, origin, secretKey: secretKey.slice() });

/** The latest checkpoint, its note verified with the log's key. */
async function verifiedLatest(log: NodeLog) {
  const { note } = await log.latest();
  return parseCheckpoint(openNote(note, [parseVerifierKey(log.verifierKey)]).text);
}

beforeAll(async () => {
  tmp = await tempDir('dta-log-store-');
});
afterAll(async () => tmp?.cleanup());

describe('the node log on disk', () => {
  it('group-commits concurrent appends under one checkpoint, keeps each entry once, proves inclusion', async () => {
    const dir = join(tmp.dir, 'group');
    const log = await open(dir);
    expect((await verifiedLatest(log)).size).toBe(0);
    const batches = Array.from({ length: 40 }, (_, i) => [entry(`a${i}`), entry(`b${i}`)]);
    const results = await Promise.all(batches.map((b) => log.append(b)));
    const latest = await verifiedLatest(log);
    expect(latest.size).toBe(80);
    // fewer checkpoints than calls: every call after the first joined a shared batch
    expect(new Set(results.map((r) => r.size)).size).toBeLessThan(40);
    const indices = results.flatMap((r) => r.indices);
    expect(new Set(indices).size).toBe(80);
    for (const [i, b] of batches.entries()) {
      for (const [j, e] of b.entries()) {
        const index = results[i]!.indices[j]!;
        expect(results[i]!.size).toBeGreaterThan(index);
        verifyInclusion(leafHash(e), index, latest.size, await log.inclusionProof(index, latest.size), latest.root);
      }
    }
    // the same entries again: nothing appended, the same indexes, no new checkpoint
    const again = await log.append(batches[3]!);
    expect([again.indices, again.size]).toEqual([results[3]!.indices, 80]);
    expect(await log.indexOf(leafHash(batches[5]![1]!))).toBe(results[5]!.indices[1]);
    await log.close();
  });

  it('cuts a torn tail on reopen, keeps every acknowledged entry, and continues consistently', async () => {
    const dir = join(tmp.dir, 'torn');
    let log = await open(dir);
    await log.append(Array.from({ length: 13 }, (_, i) => entry(`t${i}`)));
    const before = await verifiedLatest(log);
    const note = (await log.latest()).note;
    await log.close();
    // a record cut short by kill -9 (a length that runs past the end), then a record with a bad checksum
    await appendFile(join(dir, 'entries.log'), Buffer.from([0, 0, 0, 40, 1, 2, 3, 4, 5]));
    log = await open(dir);
    expect(await verifiedLatest(log)).toEqual(before);
    expect((await log.latest()).note).toBe(note); // the signed checkpoint was never rewritten
    const grown = await log.append([entry('after the crash')]);
    expect(grown.indices).toEqual([13]);
    const after = await verifiedLatest(log);
    verifyConsistency(13, after.size, await log.consistencyProof(13, after.size), before.root, after.root);
    await log.close();
    const bytes = await readFile(join(dir, 'entries.log'));
    await writeFile(join(dir, 'entries.log'), Buffer.concat([bytes, Buffer.from([0, 0, 0, 2, 9, 9, 9, 9, 7, 7])]));
    log = await open(dir);
    expect(await verifiedLatest(log)).toEqual(after);
    await log.close();
  });

  it('signs again, byte for byte, a checkpoint whose file a crash lost (it is written in the background)', async () => {
    const dir = join(tmp.dir, 'lost-note');
    let log = await open(dir);
    await log.append([entry('p'), entry('q'), entry('r')]);
    const handedOut = (await log.latest()).note;
    await log.close();
    await rm(join(dir, 'checkpoint.note'));
    log = await open(dir);
    expect((await log.latest()).note).toBe(handedOut);
    await log.close();
  });

  it('refuses to open when the entries no longer match the signed checkpoint', async () => {
    const dir = join(tmp.dir, 'corrupt');
    let log = await open(dir);
    await log.append([entry('x'), entry('y'), entry('z')]);
    await log.close();
    // the first record's payload changed on disk (its checksum recomputed, as a deliberate rewrite would)
    const bytes = await readFile(join(dir, 'entries.log'));
    const other = entry('not x');
    const { crc32 } = await import('node:zlib');
    bytes.writeUInt32BE(crc32(other), 4);
    bytes.set(other, 8);
    await writeFile(join(dir, 'entries.log'), bytes);
    await expect(open(dir)).rejects.toMatchObject({ name: 'LogError', code: 'log_corrupt' });
    // fewer entries than the checkpoint: the tail of the file gone
    const short = join(tmp.dir, 'short');
    log = await open(short);
    await log.append([entry('1'), entry('2')]);
    await log.close();
    const whole = await readFile(join(short, 'entries.log'));
    await writeFile(join(short, 'entries.log'), whole.subarray(0, whole.length / 2));
    await expect(open(short)).rejects.toMatchObject({ name: 'LogError', code: 'log_corrupt' });
    // a checkpoint file signed by another key (or not a note at all)
    const otherKey = join(tmp.dir, 'other-key');
    const strangerKey = sha256(new TextEncoder().encode('another key'));
    const stranger = await openNodeLog({ dir: otherKey, origin, secretKey: strangerKey });
    await stranger.append([entry('s')]);
    await stranger.close();
    await expect(open(otherKey)).rejects.toMatchObject({ name: 'LogError', code: 'log_corrupt' });
    await writeFile(join(otherKey, 'checkpoint.note'), 'not a note');
    await expect(open(otherKey)).rejects.toMatchObject({ name: 'LogError', code: 'log_corrupt' });
  });

  it('adds cosignatures to the latest checkpoint note, and refuses a size the log has not reached', async () => {
    const log = await open(join(tmp.dir, 'cosigned'));
    await log.append([entry('c')]);
    const { checkpoint, note } = await log.latest();
    const witness = { name: 'witness.example/w1', keyId: 0x01020304, signature: new Uint8Array(72).fill(5) };
    expect(await log.addCosignatures(checkpoint.size + 1, [witness])).toBe(false);
    expect(await log.addCosignatures(checkpoint.size, [witness])).toBe(true);
    const cosigned = (await log.latest()).note;
    expect(cosigned.startsWith(note)).toBe(true);
    expect(openNote(cosigned, [parseVerifierKey(log.verifierKey)]).unverified.map((s) => s.name)).toEqual([
      'witness.example/w1',
    ]);
    await log.close();
  });
});
