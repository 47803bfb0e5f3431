/**
 * A small Esplora-compatible HTTP server (the API of blockstream.info and mempool.space) over a RegtestChain,
 * on 127.0.0.1, for the tests of the node's anchoring client and of the SPV proofs. Every reply carries
 * `x-test-chain: regtest (dta test chain)` and `GET /network` says the same: it is never a real network.
 *
 * Routes (the subset a broadcasting and proof-fetching client needs; formats as Esplora's, hashes and txids
 * in display order, amounts in satoshis): GET /network, /blocks/tip/height, /blocks/tip/hash,
 * /block-height/:h, /block/:hash, /block/:hash/header, /block/:hash/status, /block/:hash/txids,
 * /block/:hash/txid/:i, /block/:hash/raw, /tx/:txid, /tx/:txid/hex, /tx/:txid/raw, /tx/:txid/status,
 * /tx/:txid/merkle-proof, /address/:addr/utxo, /mempool/txids, /fee-estimates; POST /tx (hex body).
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnchorError } from '../../../src/core/anchor/errors.ts';
import { displayHex } from '../../../src/core/anchor/hash.ts';
import { merkleBranch } from '../../../src/core/anchor/merkle.ts';
import { fromHex, toHex } from '../../../src/core/bytes.ts';
import type { Block, RegtestChain, TxLocation, Utxo } from './chain.ts';
import { scriptAddress, TEST_CHAIN_NAME } from './network.ts';
import { SpendError } from './spend.ts';

export interface EsploraOptions {
  /** Mine a block after each accepted `POST /tx` (after `delayMs`, default 0), paying `address`. */
  readonly autoMine?: boolean | { readonly delayMs?: number; readonly address?: string };
  /** Port on 127.0.0.1 (default: any free one). */
  readonly port?: number;
}

export interface EsploraServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  close(): Promise<void>;
}

type Reply = { status: number; type: 'text' | 'json' | 'binary'; body: unknown };
const MAX_BODY = 2_000_000;
const ok = (body: unknown, type: Reply['type'] = 'json'): Reply => ({ status: 200, type, body });
const text = (body: string | number): Reply => ok(String(body), 'text');
const fail = (status: number, message: string): Reply => ({ status, type: 'text', body: message });

/** Starts the server on 127.0.0.1; `close()` stops it and ends every open connection. */
export async function startEsplora(chain: RegtestChain, options: EsploraOptions = {}): Promise<EsploraServer> {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const mineSoon = scheduler(chain, options.autoMine, timers);
  const server = createServer((req, res) => {
    handle(chain, req, mineSoon).then(
      (reply) => send(res, reply),
      () => send(res, fail(500, 'internal error')),
    );
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function scheduler(
  chain: RegtestChain,
  autoMine: EsploraOptions['autoMine'],
  timers: Set<ReturnType<typeof setTimeout>>,
): () => void {
  if (!autoMine) return () => {};
  const { delayMs = 0, address = undefined } = autoMine === true ? {} : autoMine;
  return () => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (chain.mempool.size > 0) chain.mine(1, address);
    }, delayMs);
    timers.add(t);
  };
}

function send(res: ServerResponse, reply: Reply): void {
  res.setHeader('x-test-chain', TEST_CHAIN_NAME);
  res.setHeader('access-control-allow-origin', '*');
  res.statusCode = reply.status;
  if (reply.type === 'json') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(reply.body));
  } else if (reply.type === 'binary') {
    res.setHeader('content-type', 'application/octet-stream');
    res.end(reply.body as Uint8Array);
  } else {
    res.setHeader('content-type', 'text/plain');
    res.end(reply.body as string);
  }
}

async function handle(chain: RegtestChain, req: IncomingMessage, mineSoon: () => void): Promise<Reply> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname.split('/').filter(Boolean);
  if (req.method === 'POST' && path.join('/') === 'tx') return broadcast(chain, await readBody(req), mineSoon);
  if (req.method !== 'GET') return fail(405, 'method not allowed');
  const [first, second, third, fourth] = path;
  if (first === 'network' && path.length === 1) return text(TEST_CHAIN_NAME);
  if (first === 'blocks' && second === 'tip' && path.length === 3) return tipRoute(chain, third);
  if (first === 'block-height' && path.length === 2) {
    const block = chain.blocks[Number(second)];
    return /^\d+$/.test(second!) && block ? text(block.id) : fail(404, 'Block not found');
  }
  if (first === 'block' && second) return blockRoute(chain, chain.blockById(second), third, fourth, path.length);
  if (first === 'tx' && second) return txRoute(chain, second, chain.findTx(second), third, path.length);
  if (first === 'address' && third === 'utxo' && path.length === 3) return addressUtxos(chain, second!);
  if (first === 'mempool' && second === 'txids' && path.length === 2) return ok([...chain.mempool.keys()]);
  if (first === 'fee-estimates' && path.length === 1) return ok({ 1: 1, 2: 1, 3: 1, 6: 1, 144: 1, 1008: 1 });
  return fail(404, 'not found');
}

function tipRoute(chain: RegtestChain, what: string | undefined): Reply {
  if (what === 'height') return text(chain.height);
  if (what === 'hash') return text(chain.tip.id);
  return fail(404, 'not found');
}

function blockRoute(chain: RegtestChain, b: Block | undefined, what?: string, arg?: string, parts = 0): Reply {
  if (!b) return fail(404, 'Block not found');
  if (parts === 2) return ok(blockJson(b));
  if (what === 'header' && parts === 3) return text(toHex(b.headerBytes));
  if (what === 'raw' && parts === 3) return ok(blockBytes(b), 'binary');
  if (what === 'txids' && parts === 3) return ok(b.parsed.map((tx) => displayHex(tx.txid)));
  if (what === 'txid' && parts === 4) {
    const tx = b.parsed[Number(arg)];
    return /^\d+$/.test(arg!) && tx ? text(displayHex(tx.txid)) : fail(404, 'Transaction not found');
  }
  if (what === 'status' && parts === 3) {
    const next = chain.blocks[b.height + 1];
    return ok({ in_best_chain: true, height: b.height, next_best: next ? next.id : null });
  }
  return fail(404, 'not found');
}

function blockJson(b: Block): Record<string, unknown> {
  const size = blockBytes(b).length;
  return {
    id: b.id,
    height: b.height,
    version: b.header.version,
    timestamp: b.header.time,
    tx_count: b.txs.length,
    size,
    merkle_root: displayHex(b.header.merkleRoot),
    previousblockhash: b.height === 0 ? null : displayHex(b.header.prevHash),
    nonce: b.header.nonce,
    bits: b.header.bits,
  };
}

/** The block as on the wire: header, transaction count, transactions. */
function blockBytes(b: Block): Uint8Array {
  const count = b.txs.length < 0xfd ? [b.txs.length] : [0xfd, b.txs.length & 0xff, b.txs.length >> 8];
  const parts = [b.headerBytes, Uint8Array.from(count), ...b.txs];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function txRoute(chain: RegtestChain, txid: string, at: TxLocation | undefined, what?: string, parts = 0): Reply {
  if (!at) return fail(404, 'Transaction not found');
  const status = at.block
    ? { confirmed: true, block_height: at.block.height, block_hash: at.block.id, block_time: at.block.header.time }
    : { confirmed: false };
  if (parts === 2) return ok(txJson(chain, txid, at, status));
  if (what === 'hex' && parts === 3) return text(toHex(at.raw));
  if (what === 'raw' && parts === 3) return ok(at.raw, 'binary');
  if (what === 'status' && parts === 3) return ok(status);
  if (what === 'merkle-proof' && parts === 3) {
    if (!at.block) return fail(404, 'Transaction not confirmed');
    const branch = merkleBranch(
      at.block.parsed.map((tx) => tx.txid),
      at.index,
    );
    return ok({ block_height: at.block.height, merkle: branch.map(displayHex), pos: at.index });
  }
  return fail(404, 'not found');
}

function txJson(chain: RegtestChain, txid: string, at: TxLocation, status: object): Record<string, unknown> {
  const tx = at.block ? at.block.parsed[at.index]! : chain.mempool.get(txid)!.tx;
  return {
    txid,
    version: tx.version,
    locktime: tx.locktime,
    vin: tx.inputs.map((i) => ({ txid: displayHex(i.prevTxid), vout: i.vout, sequence: i.sequence })),
    vout: tx.outputs.map((o) => ({
      scriptpubkey: toHex(o.script),
      scriptpubkey_type: o.script[0] === 0x6a ? 'op_return' : 'other',
      scriptpubkey_address: scriptAddress(o.script),
      value: Number(o.value),
    })),
    size: at.raw.length,
    status,
  };
}

function addressUtxos(chain: RegtestChain, address: string): Reply {
  let utxos: Utxo[];
  try {
    utxos = chain.utxosOf(address);
  } catch {
    return fail(400, 'Invalid Bitcoin address');
  }
  return ok(
    utxos.map((u) => {
      const block = u.height === undefined ? undefined : chain.blocks[u.height]!;
      const status = block
        ? { confirmed: true, block_height: block.height, block_hash: block.id, block_time: block.header.time }
        : { confirmed: false };
      return { txid: u.txid, vout: u.vout, status, value: Number(u.value) };
    }),
  );
}

function broadcast(chain: RegtestChain, body: string | undefined, mineSoon: () => void): Reply {
  if (body === undefined) return fail(413, 'transaction too large');
  let raw: Uint8Array;
  try {
    raw = fromHex(body.trim(), 'transaction');
  } catch {
    return fail(400, 'sendrawtransaction RPC error: TX decode failed (expected hex)');
  }
  try {
    const txid = chain.submit(raw);
    mineSoon();
    return text(txid);
  } catch (e) {
    if (e instanceof SpendError || e instanceof AnchorError) {
      return fail(400, `sendrawtransaction RPC error: ${e.message}`);
    }
    throw e;
  }
}

/** The request body as text, or undefined above MAX_BODY bytes. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
