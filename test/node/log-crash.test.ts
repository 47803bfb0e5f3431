// The node's log across kill -9, with real `dta serve` child processes (the method of crash.test.ts): killed from
// outside in the middle of concurrent orders, and killed by the failpoint log:after-write (the entries on disk,
// the checkpoint over them not signed yet). After each restart every entry a reply acknowledged is still in the
// log, proven against the new checkpoint; the new checkpoint is consistent with every checkpoint handed out
// before (a client holding only tiles checks it), so no signed checkpoint was ever replaced by another of its size.
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LogKey, logKeyOfIdentity, verifyLogReceipt } from '../../src/core/api/log-proof.ts';
import type { StepReply } from '../../src/core/api/replies.ts';
import type { SentRequest } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { toBase64 } from '../../src/core/bytes.ts';
import { logEntry } from '../../src/core/protocol/log-entry.ts';
import { type Checkpoint, parseCheckpoint } from '../../src/core/tlog/checkpoint.ts';
import { consistencyProof, leafHash, verifyConsistency, verifyInclusion } from '../../src/core/tlog/merkle.ts';
import { openNote, parseVerifierKey } from '../../src/core/tlog/note.ts';
import { tileReader } from '../../src/core/tlog/tiles.ts';
import { crashFiduciary, postEnvelope, serveHome } from './crash-node.ts';
import { type Child, clientOf } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let home: string;
let alice: KeyIdentity, bob: KeyIdentity;
let key: LogKey;
let child: Child | undefined;

async function serve(failpoint?: string): Promise<string> {
  // a generous start-up time: two cores shared with other suites
  child = await serveHome(home, failpoint, 60_000);
  return child.url;
}

/** Safeguard order requests from Alice to Bob, made against the node at `url`. */
async function orderRequests(url: string, count: number): Promise<SentRequest[]> {
  const asAlice = await clientOf(url, alice);
  return Promise.all(
    Array.from({ length: count }, () =>
      asAlice.request({
        type: 'safeguard/order',
        content: { beneficiary: bob.identity.cid, generate: 16 },
        intentFor: bob.identity,
      }),
    ),
  );
}

/** POSTs an order; its reply, or undefined when the connection died with the node. */
const post = (url: string, request: SentRequest) => postEnvelope<StepReply>(url, '/v1/orders', request.bytes);

/** The latest checkpoint over HTTP, verified with the log key. */
async function latest(url: string): Promise<Checkpoint> {
  const note = await (await fetch(`${url}/v1/log/checkpoint`)).text();
  return parseCheckpoint(openNote(note, [parseVerifierKey(key.verifierKey)]).text);
}

/** Checks `older` against `newer` as a client holding only tiles would. */
async function assertConsistent(url: string, older: Checkpoint, newer: Checkpoint): Promise<void> {
  expect(newer.size).toBeGreaterThanOrEqual(older.size);
  const fetchTile = async (path: string) => new Uint8Array(await (await fetch(`${url}/v1/log/${path}`)).arrayBuffer());
  const proof =
    older.size === newer.size ? [] : await consistencyProof(older.size, newer.size, tileReader(fetchTile, newer.size));
  verifyConsistency(older.size, newer.size, proof, older.root, newer.root);
}

/** Checks that the envelope `cid` is in the log, proven against `cp`. */
async function assertIncluded(url: string, cid: string, cp: Checkpoint): Promise<void> {
  const res = await fetch(`${url}/v1/log/entries/${cid}?size=${cp.size}`);
  expect(res.status).toBe(200);
  const where = (await res.json()) as { index: number; proof: string[] };
  const proof = where.proof.map((p) => Buffer.from(p, 'base64'));
  verifyInclusion(leafHash(logEntry('envelope', CID.parse(cid))), where.index, cp.size, proof, cp.root);
}

beforeAll(async () => {
  let identity: Awaited<ReturnType<typeof crashFiduciary>>['identity'];
  ({ tmp, home, alice, bob, identity } = await crashFiduciary('dta-log-crash-', 'safeguard'));
  key = logKeyOfIdentity(identity)!;
}, 60_000);

afterAll(async () => {
  await child?.kill();
  await tmp?.cleanup();
});

describe('kill -9 and the log', () => {
  it('killed from outside during concurrent orders: no acknowledged entry lost, every checkpoint consistent', async () => {
    let url = await serve();
    const start = await latest(url);
    const requests = await orderRequests(url, 16);
    const acknowledged: { request: SentRequest; reply: StepReply }[] = [];
    await Promise.all(
      requests.map(async (request) => {
        const r = await post(url, request);
        if (r?.status !== 201) return;
        acknowledged.push({ request, reply: r.json });
        if (acknowledged.length === 4) void child!.kill('SIGKILL');
      }),
    );
    expect(await child!.exited).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(4);
    const handedOut: Checkpoint[] = [start];
    for (const { request, reply } of acknowledged) {
      handedOut.push(await verifyLogReceipt(reply.log!, key, [request.cid, CID.parse(reply.cid)]));
    }

    url = await serve();
    const after = await latest(url);
    for (const cp of handedOut) await assertConsistent(url, cp, after);
    for (const { request, reply } of acknowledged) {
      await assertIncluded(url, request.cid.toString(), after);
      await assertIncluded(url, reply.cid, after);
    }
    // one root per size among everything ever handed out
    const roots = new Map<number, string>();
    for (const cp of [...handedOut, after]) {
      expect(roots.get(cp.size) ?? toBase64(cp.root)).toBe(toBase64(cp.root));
      roots.set(cp.size, toBase64(cp.root));
    }
    await child!.kill('SIGTERM');
  }, 120_000);

  it('killed after the entries are written and before the checkpoint is signed: the restart signs over them', async () => {
    let url = await serve(); // whatever the last kill left unlogged is backfilled now, before the failpoint is armed
    await child!.kill('SIGTERM');
    url = await serve('log:after-write');
    const before = await latest(url);
    const [request] = await orderRequests(url, 1);
    expect(await post(url, request!)).toBeUndefined();
    expect(await child!.exited).toBe('SIGKILL');

    url = await serve();
    const after = await latest(url);
    expect(after.size).toBe(before.size + 2); // the order's two envelopes, written before the kill
    await assertConsistent(url, before, after);
    // the order was committed: its retry is read back, with a log receipt the client checks
    const recovered = await (await clientOf(url, alice)).postOrder(request!);
    expect(recovered.reply.replayed).toBe(true);
    expect(recovered.checkpoint).toEqual(after);
    await assertIncluded(url, request!.cid.toString(), after);
    await child!.kill('SIGTERM');
  }, 240_000);
});
