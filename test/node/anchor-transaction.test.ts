/**
 * The anchoring transaction and the Esplora client against the regtest chain the test mines
 * (test/support/regtest) served over real HTTP on 127.0.0.1: a signed wallet-mode transaction is taken by
 * the chain (its own spend checks: signatures, amounts), pays the fee rate asked, carries the payload; a
 * PSBT signed by the operator's key is taken too; a submission without the payload is refused.
 */
import { Transaction } from '@scure/btc-signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorScript } from '../../src/core/anchor/payload.ts';
import { fromHex, toHex } from '../../src/core/bytes.ts';
import { EsploraClient, EsploraError } from '../../src/node/anchor/esplora.ts';
import {
  AnchorTxError,
  anchorPsbt,
  carriesScript,
  signedAnchorTx,
  submittedTx,
  walletAddress,
} from '../../src/node/anchor/transaction.ts';
import { RegtestChain } from '../support/regtest/chain.ts';
import { type EsploraServer, startEsplora } from '../support/regtest/esplora.ts';
import { regtestKey } from '../support/regtest/network.ts';

const PAYLOAD = fromHex(`647461${'01'}${'ab'.repeat(32)}`);

let chain: RegtestChain;
let server: EsploraServer;
let esplora: EsploraClient;

beforeAll(async () => {
  chain = new RegtestChain();
  server = await startEsplora(chain);
  esplora = new EsploraClient(server.url, { timeoutMs: 5000, attempts: 2 });
});
afterAll(() => server.close());

describe('anchoring transactions on the regtest chain', () => {
  it('wallet mode: a signed P2WPKH → OP_RETURN + change transaction is taken and mined, at the fee rate', async () => {
    const key = regtestKey();
    const address = walletAddress(key.secretKey, 'regtest');
    expect(address).toBe(key.address);
    chain.fund(address, 50_000n);
    const utxos = await esplora.utxos(address);
    expect(utxos).toHaveLength(1);
    const tx = signedAnchorTx(utxos, PAYLOAD, key.secretKey, 'regtest', 3);
    expect(await esplora.broadcast(tx.hex)).toBe(tx.txid);
    expect((await esplora.txStatus(tx.txid))?.confirmed).toBe(false);
    chain.mine();
    const status = await esplora.txStatus(tx.txid);
    expect(status).toMatchObject({ confirmed: true, blockHeight: chain.height });
    const raw = Transaction.fromRaw(fromHex(await esplora.txHex(tx.txid)), { allowUnknownOutputs: true });
    expect(carriesScript(raw.hex, anchorScript(PAYLOAD))).toBe(true);
    const paid = 50_000n - raw.getOutput(1).amount!;
    expect(Number(paid)).toBeGreaterThanOrEqual(3 * raw.vsize);
    expect(Number(paid)).toBeLessThan(4 * raw.vsize);
    const proof = await esplora.merkleProof(tx.txid);
    expect(proof.blockHeight).toBe(chain.height);
    expect(proof.pos).toBe(1);
  });

  it('PSBT mode: the operator signs the PSBT with its own key; the node reads it back as a raw transaction', async () => {
    const operator = regtestKey();
    chain.fund(operator.address, 20_000n);
    const psbt = anchorPsbt(await esplora.utxos(operator.address), PAYLOAD, operator.address, 'regtest', 2);
    const unsigned = Transaction.fromPSBT(Buffer.from(psbt, 'base64'), { allowUnknownOutputs: true });
    expect(() => submittedTx(psbt, anchorScript(PAYLOAD))).toThrow(AnchorTxError);
    unsigned.sign(operator.secretKey);
    const signedPsbt = Buffer.from(unsigned.toPSBT()).toString('base64');
    const tx = submittedTx(signedPsbt, anchorScript(PAYLOAD));
    expect(submittedTx(tx.hex, anchorScript(PAYLOAD)).txid).toBe(tx.txid);
    expect(await esplora.broadcast(tx.hex)).toBe(tx.txid);
    chain.mine();
    expect((await esplora.txStatus(tx.txid))?.confirmed).toBe(true);
  });

  it('refuses a transaction without the anchor payload, and too little money', async () => {
    const key = regtestKey();
    chain.fund(key.address, 200n);
    const utxos = await esplora.utxos(key.address);
    expect(() => signedAnchorTx(utxos, PAYLOAD, key.secretKey, 'regtest', 2)).toThrow(
      expect.objectContaining({ code: 'insufficient_funds' }),
    );
    const other = regtestKey();
    chain.fund(other.address, 30_000n);
    const tx = signedAnchorTx(await esplora.utxos(other.address), PAYLOAD, other.secretKey, 'regtest', 2);
    const otherPayload = anchorScript(fromHex(toHex(PAYLOAD).replace(/ab/g, 'cd')));
    expect(() => submittedTx(tx.hex, otherPayload)).toThrow(expect.objectContaining({ code: 'bad_transaction' }));
  });

  it('a refused broadcast is an EsploraError with the server’s reason, not retried', async () => {
    const key = regtestKey();
    const fake = [{ txid: 'ee'.repeat(32), vout: 0, value: 10_000, confirmed: true }];
    const tx = signedAnchorTx(fake, PAYLOAD, key.secretKey, 'regtest', 2);
    const err = await esplora.broadcast(tx.hex).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EsploraError);
    expect((err as EsploraError).code).toBe('esplora_refused');
    expect((err as EsploraError).status).toBeGreaterThanOrEqual(400);
    expect((err as EsploraError).status).toBeLessThan(500);
  });

  it('an Esplora that is down is esplora_unreachable after the bounded attempts', async () => {
    const down = new EsploraClient('http://127.0.0.1:9', { timeoutMs: 500, attempts: 2 });
    await expect(down.tipHeight()).rejects.toMatchObject({ code: 'esplora_unreachable' });
  });
});
