/**
 * kill -9 of `dta serve` between the broadcast of its Birth Record's anchor and its confirmation: the restarted
 * node tracks the same transaction to its proof, and never broadcasts a second, different one for the record
 * (the chain, mined by the test and served by its Esplora server on 127.0.0.1, holds exactly one transaction
 * carrying the payload, and the funding coin is spent once).
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayHex } from '../../src/core/anchor/hash.ts';
import { anchorScript } from '../../src/core/anchor/payload.ts';
import { fromHex, toHex } from '../../src/core/bytes.ts';
import { anchorWalletKey } from '../../src/node/anchor/index.ts';
import type { AnchorRecord } from '../../src/node/anchor/store.ts';
import { walletAddress } from '../../src/node/anchor/transaction.ts';
import { homePaths } from '../../src/node/config.ts';
import { FileKeystore } from '../../src/node/keystore/file-keystore.ts';
import { RegtestChain } from '../support/regtest/chain.ts';
import { type EsploraServer, startEsplora } from '../support/regtest/esplora.ts';
import { type Child, makeHome, PASS, spawnDta, tempDir, waitFor } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let chain: RegtestChain;
let esplora: EsploraServer;
let child: Child | undefined;

beforeAll(async () => {
  tmp = await tempDir('dta-anchor-crash-');
  chain = new RegtestChain();
  esplora = await startEsplora(chain);
});
afterAll(async () => {
  await child?.kill();
  await esplora?.close();
  await tmp?.cleanup();
});

/** Transactions in blocks or in the mempool with an output of exactly `script`. */
function carrying(script: Uint8Array): string[] {
  const want = toHex(script);
  const mined = chain.blocks.flatMap((b) => b.parsed);
  const pending = [...chain.mempool.values()].map((p) => p.tx);
  return [...mined, ...pending]
    .filter((tx) => tx.outputs.some((o) => toHex(o.script) === want))
    .map((tx) => displayHex(tx.txid));
}

describe('kill -9 between broadcast and confirmation', () => {
  it('the restarted node tracks the same transaction to its proof', async () => {
    const anchor = { esplora: esplora.url, network: 'regtest', mode: 'wallet', pollMs: 100, confirmations: 1 };
    const home = await makeHome(join(tmp.dir, 'node'), { name: 'crash', config: { plugins: [], anchor } });
    const keystore = await FileKeystore.open(homePaths(home).keystore, PASS);
    const address = walletAddress(await anchorWalletKey(keystore), 'regtest');
    await keystore.close();
    const printed = await spawnDta(['anchor', 'address', '--home', home]);
    expect([await printed.exited, printed.output().trim()]).toEqual([0, address]); // what the operator funds
    const coin = chain.fund(address, 100_000n);

    child = await spawnDta(['serve', '--home', home]);
    const txid = await waitFor(() => [...chain.mempool.keys()][0], 20_000, 20);
    await child.kill('SIGKILL');
    expect(await child.exited).toBe('SIGKILL');
    const file = join(homePaths(home).anchors, 'birth.json');
    const before = JSON.parse(await readFile(file, 'utf8')) as AnchorRecord;
    expect(['signed', 'broadcast']).toContain(before.state);
    expect(before.txid).toBe(txid);

    chain.mine();
    child = await spawnDta(['serve', '--home', home]);
    const after = await waitFor(async () => {
      const res = await fetch(`${child!.url}/v1/anchors/birth`, { signal: AbortSignal.timeout(5000) });
      const a = (await res.json()) as { status: string; txid: string; block?: { height: number } };
      return a.status === 'confirmed' ? a : undefined;
    }, 20_000);
    expect(after.txid).toBe(txid);
    expect(after.block!.height).toBe(chain.height);
    expect(carrying(anchorScript(fromHex(before.payload)))).toEqual([txid]);
    expect(chain.utxosOf(address).some((u) => u.txid === coin.txid)).toBe(false);
    await child.kill('SIGTERM');
  });

  it('signed but not broadcast when killed (Esplora refused POST /tx): the restart broadcasts the same bytes', async () => {
    let refuse = true;
    const proxy = createServer(async (req, res) => {
      if (req.method === 'POST' && refuse) {
        res.writeHead(503).end('busy');
        return;
      }
      let body = '';
      for await (const chunk of req) body += chunk;
      const up = await fetch(`${esplora.url}${req.url}`, { method: req.method, ...(body ? { body } : {}) });
      res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'text/plain' });
      res.end(await up.text());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const anchor = { esplora: url, network: 'regtest', mode: 'wallet', pollMs: 100, confirmations: 1 };
      const home = await makeHome(join(tmp.dir, 'node2'), { name: 'crash2', config: { plugins: [], anchor } });
      const keystore = await FileKeystore.open(homePaths(home).keystore, PASS);
      const address = walletAddress(await anchorWalletKey(keystore), 'regtest');
      await keystore.close();
      chain.fund(address, 100_000n);
      child = await spawnDta(['serve', '--home', home]);
      const file = join(homePaths(home).anchors, 'birth.json');
      const signed = await waitFor(async () => {
        const r = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as Partial<AnchorRecord>;
        return r.state === 'signed' && r.lastError?.code === 'esplora_refused' ? r : undefined;
      }, 20_000);
      await child.kill('SIGKILL');
      expect(chain.mempool.size).toBe(0);

      refuse = false;
      child = await spawnDta(['serve', '--home', home]);
      await waitFor(() => (chain.mempool.has(signed.txid!) ? true : undefined), 20_000);
      chain.mine();
      const done = await waitFor(async () => {
        const r = JSON.parse(await readFile(file, 'utf8')) as AnchorRecord;
        return r.state === 'confirmed' ? r : undefined;
      }, 20_000);
      expect([done.txid, done.txHex]).toEqual([signed.txid, signed.txHex]);
      expect(carrying(anchorScript(fromHex(signed.payload!)))).toEqual([signed.txid]);
      await child.kill('SIGTERM');
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});
