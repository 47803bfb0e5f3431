/**
 * Wallet-mode anchoring end to end, against the regtest chain the test mines and its Esplora server on
 * 127.0.0.1 (test/support/regtest), with a real node (Helia, HTTP, its log): the node's funding address is
 * funded, the node signs and broadcasts its Birth Record's anchor, the test mines, and GET /v1/anchors/birth
 * serves a proof that verifies against the genesis block, for the Birth Record rebuilt from the node's
 * identity document. A checkpoint of the log is anchored after orders and covers them. Behind a proxy that
 * lies (a Merkle branch, then the headers), the node refuses the proof and keeps trying until Esplora is honest.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { birthRecordBytes, birthRecordHash } from '../../src/core/anchor/birth-record.ts';
import { ANCHOR_KIND, checkpointAnchorHash } from '../../src/core/anchor/payload.ts';
import { verifyAnchorProof } from '../../src/core/anchor/proof.ts';
import { NodeApi } from '../../src/core/api/node-api.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { fromBase64, fromHex, toHex } from '../../src/core/bytes.ts';
import { parseNote } from '../../src/core/tlog/note.ts';
import { anchorWalletKey } from '../../src/node/anchor/index.ts';
import { walletAddress } from '../../src/node/anchor/transaction.ts';
import { homePaths } from '../../src/node/config.ts';
import { FileKeystore } from '../../src/node/keystore/file-keystore.ts';
import { RegtestChain } from '../support/regtest/chain.ts';
import { type EsploraServer, startEsplora } from '../support/regtest/esplora.ts';
import {
  clientIdentity,
  clientOf,
  makeHome,
  PASS,
  type RunningNode,
  startInProcess,
  tempDir,
  waitFor,
} from './harness.ts';

interface AnchorView {
  status: string;
  hash: string;
  txid?: string;
  record?: string;
  checkpoint?: string;
  size?: number;
  block?: { height: number; time: number };
  proof?: unknown;
  error?: { code: string; message: string };
}

let tmp: { dir: string; cleanup: () => Promise<void> };
let chain: RegtestChain;
let esplora: EsploraServer;
const open: Array<{ close(): Promise<unknown> }> = [];

beforeAll(async () => {
  tmp = await tempDir('dta-anchor-');
  chain = new RegtestChain();
  esplora = await startEsplora(chain);
});
afterAll(async () => {
  for (const o of open.reverse()) await o.close().catch(() => undefined);
  await esplora?.close();
  await tmp?.cleanup();
});

/** The wallet-mode funding address of the node in `home`, as `dta anchor address` prints it. */
async function fundingAddress(home: string): Promise<string> {
  const keystore = await FileKeystore.open(homePaths(home).keystore, PASS);
  try {
    const key = await anchorWalletKey(keystore);
    return walletAddress(key, 'regtest');
  } finally {
    await keystore.close();
  }
}

async function anchorHome(name: string, esploraUrl: string, extra: Record<string, unknown> = {}): Promise<string> {
  const anchor = { esplora: esploraUrl, network: 'regtest', mode: 'wallet', pollMs: 100, confirmations: 2, ...extra };
  return makeHome(join(tmp.dir, name), { name, config: { plugins: ['safeguard'], anchor } });
}

async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: (await res.json()) as T };
}

const birthOf = async (node: RunningNode) => (await getJson<AnchorView>(`${node.url}/v1/anchors/birth`)).body;

/** Polls the Birth Record anchor until `ready` holds, mining a block whenever `mine` says so. */
async function birthWhen(node: RunningNode, ready: (a: AnchorView) => boolean): Promise<AnchorView> {
  return waitFor(async () => {
    const a = await birthOf(node);
    return ready(a) ? a : undefined;
  }, 20_000);
}

/** Alice and Bob registered with `node`, and Alice's safeguard order for Bob, made but not posted yet. */
async function aliceOrderAt(node: RunningNode) {
  const alice: KeyIdentity = await clientIdentity('alice');
  const bob: KeyIdentity = await clientIdentity('bob');
  const api = new NodeApi(node.url);
  await api.registerIdentity(alice.identity.bytes);
  await api.registerIdentity(bob.identity.bytes);
  const asAlice = await clientOf(node.url, alice);
  const order = await asAlice.request({
    type: 'safeguard/order',
    content: { beneficiary: bob.identity.cid, generate: 32 },
    intentFor: bob.identity,
  });
  return { asAlice, order };
}

describe('wallet mode', () => {
  it('anchors the Birth Record: funded, signed, broadcast, mined, proven; the proof verifies for the record', async () => {
    const home = await anchorHome('wallet', esplora.url, { checkpointEveryMs: 3_600_000 });
    chain.fund(await fundingAddress(home), 100_000n);
    const node = await startInProcess(home);
    open.push(node);
    const sent = await birthWhen(node, (a) => a.status === 'broadcast');
    expect(chain.mempool.has(sent.txid!)).toBe(true);
    chain.mine(); // one confirmation of the two asked: not yet proven
    await new Promise((r) => setTimeout(r, 500));
    expect((await birthOf(node)).status).toBe('broadcast');
    const minedAt = chain.height;
    chain.mine();
    const done = await birthWhen(node, (a) => a.status === 'confirmed');
    expect(done.txid).toBe(sent.txid);
    expect(done.block).toEqual({ height: minedAt, time: chain.blocks[minedAt]!.header.time });

    // What a client does: rebuild the Birth Record from the node's identity document, check the proof from genesis.
    const identity = node.rt.identity;
    const log = identity.value.log!;
    const record = { identity: identity.cid, origin: log.origin, key: log.key };
    expect(toHex(fromBase64(done.record!))).toBe(toHex(birthRecordBytes(record)));
    expect(done.hash).toBe(toHex(birthRecordHash(record)));
    const verified = verifyAnchorProof(
      done.proof,
      { kind: ANCHOR_KIND.birthRecord, hash: birthRecordHash(record) },
      { network: 'regtest' },
    );
    expect([verified.height, verified.txid, verified.confirmations]).toEqual([minedAt, sent.txid, 2]);
    const all = await getJson<{ birth: AnchorView; checkpoints: AnchorView[] }>(`${node.url}/v1/anchors`);
    expect(all.body.birth.status).toBe('confirmed');
    await node.close();
    open.pop();
  });

  it('anchors a checkpoint of the log after orders: the anchored tree holds the orders', async () => {
    const auto = await startEsplora(chain, { autoMine: true });
    open.push(auto);
    const home = await anchorHome('checkpoints', auto.url, { confirmations: 1, checkpointEveryMs: 1000 });
    chain.fund(await fundingAddress(home), 200_000n);
    const node = await startInProcess(home);
    open.push(node);
    const { asAlice, order } = await aliceOrderAt(node);
    await asAlice.postOrder(order);
    const index = await node.rt.log.indexOf(order.cid);
    expect(index).toBeDefined();

    const anchored = await waitFor(async () => {
      const list = (await getJson<{ checkpoints: AnchorView[] }>(`${node.url}/v1/anchors`)).body.checkpoints;
      return list.find((c) => c.status === 'confirmed' && c.size! > index!);
    }, 30_000);
    const text = parseNote(anchored.checkpoint!).text;
    expect(Number(text.split('\n')[1])).toBe(anchored.size);
    const hash = checkpointAnchorHash(text);
    expect(anchored.hash).toBe(toHex(hash));
    const verified = verifyAnchorProof(anchored.proof, { kind: ANCHOR_KIND.checkpoint, hash }, { network: 'regtest' });
    expect(verified.txid).toBe(anchored.txid);
    expect((await birthOf(node)).status).toBe('confirmed');
    await node.close();
    open.pop();
  });
});

type Lie = 'none' | 'branch' | 'header';

/** A proxy in front of the test Esplora that alters Merkle proofs or block headers when told to. */
async function lyingProxy(target: string): Promise<{ url: string; lie: (l: Lie) => void; close(): Promise<void> }> {
  let lie: Lie = 'none';
  const server: Server = createServer(async (req, res) => {
    const body = req.method === 'POST' ? await readAll(req) : undefined;
    const upstream = await fetch(`${target}${req.url}`, { method: req.method ?? 'GET', ...(body ? { body } : {}) });
    let text = await upstream.text();
    if (lie === 'branch' && /\/merkle-proof$/.test(req.url ?? '')) {
      const proof = JSON.parse(text) as { merkle: string[] };
      proof.merkle[0] = proof.merkle[0]!.replace(/^./, (c) => (c === '0' ? '1' : '0'));
      text = JSON.stringify(proof);
    }
    if (lie === 'header' && /\/header$/.test(req.url ?? '')) {
      const nonce = fromHex(text.slice(152, 160));
      nonce[0]! ^= 1;
      text = text.slice(0, 152) + toHex(nonce);
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/plain' });
    res.end(text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    lie: (l) => {
      lie = l;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function readAll(req: import('node:http').IncomingMessage): Promise<string> {
  let s = '';
  for await (const chunk of req) s += chunk;
  return s;
}

describe('a lying Esplora', () => {
  it('a wrong Merkle branch, then altered headers: the proof is refused, kept unproven, then taken when honest', async () => {
    const proxy = await lyingProxy(esplora.url);
    open.push(proxy);
    const home = await anchorHome('lied-to', proxy.url, { confirmations: 1, checkpointEveryMs: 3_600_000 });
    chain.fund(await fundingAddress(home), 100_000n);
    proxy.lie('branch');
    const node = await startInProcess(home);
    open.push(node);
    await birthWhen(node, (a) => a.status === 'broadcast');
    chain.mine();
    const refused = await birthWhen(node, (a) => a.error !== undefined);
    expect(refused.status).toBe('broadcast');
    expect(refused.error!.code).toBe('bad_branch');
    expect(refused.proof).toBeUndefined();

    proxy.lie('header');
    const badHeaders = await birthWhen(node, (a) => a.error !== undefined && a.error.code !== 'bad_branch');
    expect(['bad_pow', 'bad_chain', 'bad_branch']).toContain(badHeaders.error!.code);
    expect(badHeaders.status).toBe('broadcast');

    proxy.lie('none');
    const done = await birthWhen(node, (a) => a.status === 'confirmed');
    expect(done.error).toBeUndefined();
    const log = node.rt.identity.value.log!;
    const hash = birthRecordHash({ identity: node.rt.identity.cid, origin: log.origin, key: log.key });
    expect(verifyAnchorProof(done.proof, { kind: ANCHOR_KIND.birthRecord, hash }, { network: 'regtest' }).height).toBe(
      done.block!.height,
    );
  });
});

describe('an Esplora that is down', () => {
  it('never holds up an order: the order is answered, the anchor waits with esplora_unreachable', async () => {
    const home = await anchorHome('down', 'http://127.0.0.1:9', { checkpointEveryMs: 3_600_000 });
    const node = await startInProcess(home);
    open.push(node);
    const { asAlice, order } = await aliceOrderAt(node);
    const started = Date.now();
    const placed = await asAlice.postOrder(order);
    expect(placed.reply.cid).toBeDefined();
    expect(Date.now() - started).toBeLessThan(5000);
    const waiting = await birthWhen(node, (a) => a.error !== undefined);
    expect([waiting.status, waiting.error!.code]).toEqual(['pending', 'esplora_unreachable']);
    const closing = Date.now();
    await node.close();
    open.pop();
    expect(Date.now() - closing).toBeLessThan(5000);
  });
});
