// The test chain (test/support/regtest/): a real regtest genesis, mined blocks that pass the SPV checks, the
// mempool's spend checks, and its Esplora-compatible server on 127.0.0.1, used as a client would use it.
import { Transaction } from '@scure/btc-signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayHex, fromDisplayHex } from '../../src/core/anchor/hash.ts';
import { checkHeaderChain, parseHeader, targetFromBits } from '../../src/core/anchor/header.ts';
import { rootFromBranch } from '../../src/core/anchor/merkle.ts';
import { opReturnPushes, parseTransaction } from '../../src/core/anchor/tx.ts';
import { fromHex, toHex, utf8 } from '../../src/core/bytes.ts';
import { RegtestChain } from '../support/regtest/chain.ts';
import { type EsploraServer, startEsplora } from '../support/regtest/esplora.ts';
import { GENESIS_ID, REGTEST, REGTEST_BITS, regtestKey, TEST_CHAIN_NAME } from '../support/regtest/network.ts';

const GENESIS_MERKLE_ROOT = '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b';
const REGTEST_LIMIT = targetFromBits(REGTEST_BITS);

/** A signed P2WPKH spend of `coin` to an OP_RETURN of `data` and change back to `key`. */
function opReturnSpend(
  key: ReturnType<typeof regtestKey>,
  coin: { txid: string; vout: number; value: bigint },
  data: Uint8Array,
) {
  const tx = new Transaction({ allowUnknownOutputs: true });
  tx.addInput({ txid: coin.txid, index: coin.vout, witnessUtxo: { script: key.script, amount: coin.value } });
  tx.addOutput({ script: Uint8Array.of(0x6a, data.length, ...data), amount: 0n });
  tx.addOutputAddress(key.address, coin.value - 500n, REGTEST);
  tx.sign(key.secretKey);
  tx.finalize();
  return tx;
}

describe('the regtest chain', () => {
  it('starts at the real regtest genesis block', () => {
    const chain = new RegtestChain();
    expect(chain.height).toBe(0);
    expect(chain.tip.id).toBe(GENESIS_ID);
    expect(displayHex(chain.tip.header.merkleRoot)).toBe(GENESIS_MERKLE_ROOT);
  });

  it('mines blocks that link, meet their target and carry their height in the coinbase (BIP34)', () => {
    const chain = new RegtestChain();
    const miner = regtestKey();
    const blocks = chain.mine(20, miner.address);
    expect(chain.height).toBe(20);
    const headers = blocks.map((b) => parseHeader(b.headerBytes));
    expect(displayHex(checkHeaderChain(fromDisplayHex(GENESIS_ID, 'genesis'), headers, REGTEST_LIMIT))).toBe(
      chain.tip.id,
    );
    const coinbase = blocks[16]!.parsed[0]!;
    expect(coinbase.inputs[0]!.script[0]).toBe(0x01); // a one-byte push of 17
    expect(coinbase.inputs[0]!.script[1]).toBe(17);
    expect(coinbase.outputs[0]!.value).toBe(5_000_000_000n);
    expect(chain.utxosOf(miner.address)).toHaveLength(20);
    for (let i = 1; i < blocks.length; i++) expect(blocks[i]!.header.time).toBeGreaterThan(blocks[i - 1]!.header.time);
  });

  it('funds an address, and refuses double spends, bad signatures and immature coinbases', () => {
    const chain = new RegtestChain();
    const alice = regtestKey();
    const coin = chain.fund(alice.address, 100_000n);
    expect(chain.utxosOf(alice.address)).toEqual([coin]);
    const good = opReturnSpend(alice, coin, utf8('hello'));
    const forged = good.extract();
    const signature = good.getInput(0).finalScriptWitness![0]!;
    const at = toHex(forged).indexOf(toHex(signature)) / 2;
    forged[at + 10]! ^= 1; // a bit of r
    expect(() => chain.submit(forged)).toThrow(/bad signature/);
    expect(chain.submit(good.extract())).toBe(good.id);
    const again = opReturnSpend(alice, coin, utf8('other'));
    expect(() => chain.submit(again.extract())).toThrow(/unknown or already spent/);
    const mallory = regtestKey();
    const young = chain.mine(1, mallory.address)[0]!.parsed[0]!;
    const early = opReturnSpend(mallory, { txid: displayHex(young.txid), vout: 0, value: 5_000_000_000n }, utf8('x'));
    expect(() => chain.submit(early.extract())).toThrow(/before 100 confirmations/);
    expect(chain.findTx(good.id)?.block?.height).toBe(chain.height);
  });
});

describe('the Esplora server of the test chain', () => {
  let chain: RegtestChain;
  let esplora: EsploraServer;
  const get = async (path: string) => {
    const res = await fetch(`${esplora.url}${path}`);
    return { status: res.status, text: await res.text(), chainName: res.headers.get('x-test-chain') };
  };

  beforeAll(async () => {
    chain = new RegtestChain();
    esplora = await startEsplora(chain);
  });
  afterAll(() => esplora.close());

  it('names itself a test chain', async () => {
    const network = await get('/network');
    expect(network.text).toBe(TEST_CHAIN_NAME);
    expect((await get('/blocks/tip/height')).chainName).toBe(TEST_CHAIN_NAME);
  });

  it('broadcasts an OP_RETURN spend and serves what an SPV proof needs once it is mined', async () => {
    const alice = regtestKey();
    const coin = chain.fund(alice.address, 50_000n);
    const utxos = JSON.parse((await get(`/address/${alice.address}/utxo`)).text);
    expect(utxos).toEqual([
      expect.objectContaining({
        txid: coin.txid,
        vout: 0,
        value: 50_000,
        status: expect.objectContaining({ confirmed: true }),
      }),
    ]);
    const payload = utf8('dta anchor test payload');
    const tx = opReturnSpend(alice, coin, payload);
    const posted = await fetch(`${esplora.url}/tx`, { method: 'POST', body: tx.hex });
    expect(posted.status).toBe(200);
    const txid = await posted.text();
    expect(txid).toBe(tx.id);
    expect(JSON.parse((await get(`/tx/${txid}/status`)).text)).toEqual({ confirmed: false });
    expect((await get(`/tx/${txid}/merkle-proof`)).status).toBe(404);

    const [block] = chain.mine();
    const status = JSON.parse((await get(`/tx/${txid}/status`)).text);
    expect(status).toMatchObject({ confirmed: true, block_height: chain.height, block_hash: block!.id });
    const proof = JSON.parse((await get(`/tx/${txid}/merkle-proof`)).text);
    const header = parseHeader(fromHex((await get(`/block/${status.block_hash}/header`)).text));
    expect(displayHex(header.hash)).toBe(status.block_hash);
    expect((await get(`/block-height/${proof.block_height}`)).text).toBe(status.block_hash);
    const raw = fromHex((await get(`/tx/${txid}/hex`)).text);
    const parsed = parseTransaction(raw);
    expect(displayHex(parsed.txid)).toBe(txid);
    expect(opReturnPushes(parsed)).toEqual([[payload]]);
    const branch = proof.merkle.map((h: string) => fromDisplayHex(h, 'sibling'));
    expect(toHex(rootFromBranch(parsed.txid, proof.pos, branch))).toBe(toHex(header.merkleRoot));
    const txids = JSON.parse((await get(`/block/${status.block_hash}/txids`)).text);
    expect(txids[proof.pos]).toBe(txid);
    expect(JSON.parse((await get(`/block/${status.block_hash}/status`)).text)).toMatchObject({ in_best_chain: true });
  });

  it('answers 400 to a transaction it refuses and 404 to an unknown one', async () => {
    const bad = await fetch(`${esplora.url}/tx`, { method: 'POST', body: 'zz' });
    expect(bad.status).toBe(400);
    const alice = regtestKey();
    const coin = { txid: 'ab'.repeat(32), vout: 0, value: 10_000n };
    const unknown = await fetch(`${esplora.url}/tx`, {
      method: 'POST',
      body: opReturnSpend(alice, coin, utf8('x')).hex,
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/unknown or already spent/);
    expect((await get(`/tx/${'00'.repeat(32)}/hex`)).status).toBe(404);
    expect((await get(`/block/${'00'.repeat(32)}/header`)).status).toBe(404);
  });

  it('mines by itself after a broadcast with autoMine', async () => {
    const own = new RegtestChain();
    const server = await startEsplora(own, { autoMine: { delayMs: 20 } });
    try {
      const alice = regtestKey();
      const coin = own.fund(alice.address, 20_000n);
      const tx = opReturnSpend(alice, coin, utf8('auto'));
      expect((await fetch(`${server.url}/tx`, { method: 'POST', body: tx.hex })).status).toBe(200);
      let confirmed = false;
      for (let i = 0; i < 100 && !confirmed; i++) {
        confirmed = (await (await fetch(`${server.url}/tx/${tx.id}/status`)).json()).confirmed;
        if (!confirmed) await new Promise((r) => setTimeout(r, 10));
      }
      expect(confirmed).toBe(true);
    } finally {
      await server.close();
    }
  });
});
