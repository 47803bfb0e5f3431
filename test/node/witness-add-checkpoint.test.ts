// The node as a C2SP tlog-witness, over real HTTP: a log kept in memory by the test (core/tlog merkle and note code,
// its own Ed25519 key) is configured in the node's `witnessing`; every add-checkpoint outcome of the spec is checked
// on the wire (status, content type, body), the cosignatures with the key the witness publishes, the evidence with
// the log's key, and the state across a restart.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '../../src/core/bytes.ts';
import { formatCheckpoint } from '../../src/core/tlog/checkpoint.ts';
import { cosignatureTime } from '../../src/core/tlog/cosignature.ts';
import { consistencyProof, leafHash, storedHashesFor, treeHash } from '../../src/core/tlog/merkle.ts';
import {
  ed25519Signer,
  ed25519VerifierKey,
  type NoteSigner,
  type NoteVerifier,
  openNote,
  parseVerifierKey,
  signNote,
} from '../../src/core/tlog/note.ts';
import { makeHome, type RunningNode, startInProcess, tempDir } from './harness.ts';

const ORIGIN = 'example.test/witnessed-log';

/** A Merkle log in memory: stored hashes by (level, n), checkpoints signed by `signer` (named as the origin). */
class MemoryLog {
  readonly #hashes = new Map<string, Uint8Array>();
  size = 0;
  readonly signer: NoteSigner;
  constructor(signer: NoteSigner) {
    this.signer = signer;
  }
  read = (level: number, n: number): Uint8Array => {
    const h = this.#hashes.get(`${level}/${n}`);
    if (!h) throw new Error(`no stored hash ${level}/${n}`);
    return h;
  };
  async append(...entries: string[]): Promise<void> {
    for (const e of entries) {
      for (const s of await storedHashesFor(this.size, leafHash(new TextEncoder().encode(e)), this.read)) {
        this.#hashes.set(`${s.level}/${s.n}`, s.hash);
      }
      this.size++;
    }
  }
  async note(): Promise<string> {
    const root = await treeHash(this.size, this.read);
    const origin = this.signer.name;
    return signNote(formatCheckpoint({ origin, size: this.size, root, extensions: [] }), [this.signer]);
  }
  proof(from: number): Promise<Uint8Array[]> {
    return consistencyProof(from, this.size, this.read);
  }
  /** A second log with this one's first `prefix` entries (given again) and the same key: a fork when it grows. */
  static async fork(signer: NoteSigner, entries: string[]): Promise<MemoryLog> {
    const log = new MemoryLog(signer);
    await log.append(...entries);
    return log;
  }
}

const entries = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `entry ${from + i}`);
const body = (old: number, proof: readonly Uint8Array[], note: string) =>
  `old ${old}\n${proof.map((h) => `${toBase64(h)}\n`).join('')}\n${note}`;

let tmp: { dir: string; cleanup: () => Promise<void> };
let home: string;
let node: RunningNode;
let witnessKey: NoteVerifier;
let logVerifier: NoteVerifier;
const logKey = randomBytes(32);
const log = new MemoryLog(ed25519Signer(ORIGIN, logKey));

async function addCheckpoint(text: string): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`${node.url}/v1/witness/add-checkpoint`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: text,
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** The reply's cosignature, checked with the witness's published key over the checkpoint text. */
function cosignatureOf(note: string, reply: string) {
  const text = note.slice(0, note.lastIndexOf('\n\n') + 1);
  const opened = openNote(`${text}\n${reply}`, [witnessKey]);
  expect(opened.verified).toHaveLength(1);
  return opened.verified[0]!;
}

const codeOf = (r: { text: string }) => (JSON.parse(r.text) as { error: { code: string } }).error.code;

beforeAll(async () => {
  tmp = await tempDir('dta-witness-');
  home = join(tmp.dir, 'w');
  const vkey = ed25519VerifierKey(ORIGIN, ed25519.getPublicKey(logKey));
  logVerifier = parseVerifierKey(vkey);
  await makeHome(home, { name: 'witness', config: { witnessing: [vkey] } });
  node = await startInProcess(home);
  const info = (await (await fetch(`${node.url}/v1/witness`)).json()) as { name: string; key: string; logs: string[] };
  expect(info.logs).toEqual([ORIGIN]);
  expect(info.name).toBe(node.rt.log.origin);
  witnessKey = parseVerifierKey(info.key);
});

afterAll(async () => {
  await node?.close();
  await tmp?.cleanup();
});

describe('add-checkpoint', () => {
  it('cosigns a first checkpoint (old 0), then one that extends it with a consistency proof', async () => {
    await log.append(...entries(0, 3));
    const first = await log.note();
    const t = Math.floor(Date.now() / 1000);
    const r1 = await addCheckpoint(body(0, [], first));
    expect(r1.status).toBe(200);
    expect(r1.text).toMatch(/^— \S+ \S+\n$/);
    expect(Math.abs(cosignatureTime(cosignatureOf(first, r1.text)) - t)).toBeLessThanOrEqual(2);

    await log.append(...entries(3, 7));
    const proof = await log.proof(3);
    const second = await log.note();
    const r2 = await addCheckpoint(body(3, proof, second));
    expect(r2.status).toBe(200);
    cosignatureOf(second, r2.text);
  });

  it('answers a stale old size with 409 in text/x.tlog.size giving the size cosigned', async () => {
    const note = await log.note();
    for (const old of [0, 3]) {
      const r = await addCheckpoint(body(old, old === 0 ? [] : await log.proof(old), note));
      expect(r).toEqual({ status: 409, type: 'text/x.tlog.size', text: '7\n' });
    }
  });

  it('refuses a rollback: an old size above the checkpoint size is 400', async () => {
    const smaller = await MemoryLog.fork(log.signer, entries(0, 5));
    const r = await addCheckpoint(body(7, [], await smaller.note()));
    expect(r.status).toBe(400);
    expect(codeOf(r)).toBe('rollback');
  });

  it('catches a fork (another root at the size cosigned): 409, both signed notes kept and served', async () => {
    const cosigned = await log.note();
    const fork = await MemoryLog.fork(log.signer, [...entries(0, 5), 'forked 5', 'forked 6']);
    const forked = await fork.note();
    const r = await addCheckpoint(body(7, [], forked));
    expect(r.status).toBe(409);
    expect(codeOf(r)).toBe('fork');

    const { evidence } = (await (await fetch(`${node.url}/v1/witness/evidence`)).json()) as { evidence: Evidence[] };
    const kept = evidence.find((e) => e.kind === 'fork')!;
    expect(kept).toMatchObject({
      origin: ORIGIN,
      cosigned: { size: 7, note: cosigned },
      offered: { size: 7, note: forked },
    });
    // Anyone with the log's key can check the evidence: two notes it signed, one size, two roots.
    const texts = [kept.cosigned.note, kept.offered.note].map((n) => openNote(n, [logVerifier]).text);
    expect(texts[0]!.split('\n')[1]).toBe(texts[1]!.split('\n')[1]);
    expect(texts[0]!.split('\n')[2]).not.toBe(texts[1]!.split('\n')[2]);
    expect(Math.abs(kept.time - Date.now() / 1000)).toBeLessThan(60);
  });

  it('refuses a checkpoint not consistent with the one cosigned: 422, kept as evidence with its proof', async () => {
    const fork = await MemoryLog.fork(log.signer, [...entries(0, 6), 'forked 6', 'forked 7', 'forked 8']);
    const proof = await fork.proof(7);
    const r = await addCheckpoint(body(7, proof, await fork.note()));
    expect(r.status).toBe(422);
    expect(codeOf(r)).toBe('inconsistent');
    const { evidence } = (await (await fetch(`${node.url}/v1/witness/evidence`)).json()) as { evidence: Evidence[] };
    const kept = evidence.find((e) => e.kind === 'inconsistent')!;
    expect(kept.offered).toMatchObject({ size: 9, oldSize: 7, note: await fork.note() });
    expect(kept.offered.proof.map((p) => fromBase64(p))).toEqual(proof);
    expect(kept.cosigned.size).toBe(7);
  });

  it('cosigns the checkpoint held again; with a proof that is 422 and no evidence; a huge body 413', async () => {
    const note = await log.note();
    const again = await addCheckpoint(body(7, [], note));
    expect(again.status).toBe(200);
    cosignatureOf(note, again.text);
    const kept = async () =>
      ((await (await fetch(`${node.url}/v1/witness/evidence`)).json()) as { evidence: [] }).evidence;
    const before = (await kept()).length;
    const r = await addCheckpoint(body(7, [new Uint8Array(32)], note));
    expect([r.status, codeOf(r)]).toEqual([422, 'inconsistent']);
    expect((await kept()).length).toBe(before);
    const huge = await addCheckpoint(body(7, Array(63).fill(new Uint8Array(32)), note) + 'x'.repeat(40_000));
    expect([huge.status, codeOf(huge)]).toEqual([413, 'body_too_large']);
  });

  it('404 for a log it does not witness, 403 for a note its log key did not sign, 400 for a bad body', async () => {
    const stranger = new MemoryLog(ed25519Signer('example.test/other-log', randomBytes(32)));
    await stranger.append('x');
    const r404 = await addCheckpoint(body(0, [], await stranger.note()));
    expect([r404.status, codeOf(r404)]).toEqual([404, 'unknown_log']);
    const impostor = await MemoryLog.fork(ed25519Signer(ORIGIN, randomBytes(32)), entries(0, 8));
    const r403 = await addCheckpoint(body(7, await impostor.proof(7), await impostor.note()));
    expect([r403.status, codeOf(r403)]).toEqual([403, 'bad_signature']);
    const note = await log.note();
    const proofLine = toBase64(new Uint8Array(32));
    for (const bad of [
      '',
      `old 07\n\n${note}`,
      `old 7\nnot base64!\n\n${note}`,
      `old 0\n${proofLine}\n\n${note}`,
      `old 7\n${`${proofLine}\n`.repeat(64)}\n${note}`,
    ]) {
      const r = await addCheckpoint(bad);
      expect([r.status, codeOf(r)]).toEqual([400, 'malformed']);
    }
  });

  it('serializes concurrent requests for one log: one is cosigned, the other told the size that won', async () => {
    const a = await MemoryLog.fork(log.signer, entries(0, 10));
    const b = await MemoryLog.fork(log.signer, entries(0, 12));
    const [ra, rb] = await Promise.all([
      addCheckpoint(body(7, await a.proof(7), await a.note())),
      addCheckpoint(body(7, await b.proof(7), await b.note())),
    ]);
    const statuses = [ra.status, rb.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = ra.status === 409 ? ra : rb;
    expect(loser.text).toBe(ra.status === 200 ? '10\n' : '12\n');
    await log.append(...entries(7, ra.status === 200 ? 10 : 12));
  });

  it('keeps its state and evidence across a restart', async () => {
    const size = log.size;
    await node.close();
    node = await startInProcess(home);
    expect(await addCheckpoint(body(0, [], await log.note()))).toEqual({
      status: 409,
      type: 'text/x.tlog.size',
      text: `${size}\n`,
    });
    const { evidence } = (await (await fetch(`${node.url}/v1/witness/evidence`)).json()) as { evidence: Evidence[] };
    expect(evidence.map((e) => e.kind).sort()).toEqual(['fork', 'inconsistent']);
  });
});

interface Evidence {
  kind: string;
  origin: string;
  time: number;
  cosigned: { size: number; root: string; note: string };
  offered: { size: number; root: string; note: string; oldSize: number; proof: string[] };
}
