// verifyAnchorProof end to end on the test chain: a Birth Record's payload broadcast through the Esplora server
// in an OP_RETURN, mined, its proof fetched over HTTP as a client would, verified against the regtest genesis
// (or a later trusted block); and each check failing, with its code, when its part of the proof is wrong.
import { sha256 } from '@noble/hashes/sha2.js';
import { Transaction } from '@scure/btc-signer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { birthRecordBytes, birthRecordHash } from '../../src/core/anchor/birth-record.ts';
import { hashValue, parseHeader, serializeHeader, targetFromBits } from '../../src/core/anchor/header.ts';
import { ANCHOR_KIND, anchorPayload, anchorScript, checkpointAnchorHash } from '../../src/core/anchor/payload.ts';
import { type AnchorProof, parseAnchorProof, verifyAnchorProof } from '../../src/core/anchor/proof.ts';
import { fromHex, toHex, utf8 } from '../../src/core/bytes.ts';
import { cidOf, decodeStrict } from '../../src/core/protocol/cbor.ts';
import { fetchAnchorProof } from '../support/regtest/anchor-proof.ts';
import { RegtestChain, type Utxo } from '../support/regtest/chain.ts';
import { type EsploraServer, startEsplora } from '../support/regtest/esplora.ts';
import { GENESIS_ID, REGTEST, type RegtestKey, regtestKey } from '../support/regtest/network.ts';

const record = {
  identity: cidOf(utf8('a first identity document')),
  origin: 'node.example/dta-log',
  key: new Uint8Array(32).fill(7),
};
const birth = { kind: ANCHOR_KIND.birthRecord, hash: birthRecordHash(record) };
const regtest = { network: 'regtest' } as const;

/** Broadcasts a spend of `coin` with one output `script` (and change) through Esplora; returns the txid. */
async function broadcast(url: string, key: RegtestKey, coin: Utxo, script: Uint8Array, change = true): Promise<string> {
  const tx = new Transaction({ allowUnknownOutputs: true });
  tx.addInput({ txid: coin.txid, index: coin.vout, witnessUtxo: { script: key.script, amount: coin.value } });
  tx.addOutput({ script, amount: 0n });
  if (change) tx.addOutputAddress(key.address, coin.value - 1_000n, REGTEST);
  tx.sign(key.secretKey);
  tx.finalize();
  const res = await fetch(`${url}/tx`, { method: 'POST', body: tx.hex });
  expect(res.status).toBe(200);
  return res.text();
}

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'verified';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
};

describe('anchor proofs on the test chain', () => {
  let chain: RegtestChain;
  let esplora: EsploraServer;
  let key: RegtestKey;
  let proof: AnchorProof;
  let txid: string;

  beforeAll(async () => {
    chain = new RegtestChain();
    esplora = await startEsplora(chain);
    key = regtestKey();
    const coin = chain.fund(key.address, 100_000n);
    txid = await broadcast(esplora.url, key, coin, anchorScript(anchorPayload(birth.kind, birth.hash)));
    chain.mine(1);
    chain.mine(3); // blocks after it: `after` headers
    proof = JSON.parse(JSON.stringify(await fetchAnchorProof(esplora.url, txid)));
  });
  afterAll(() => esplora.close());

  it('verifies a Birth Record anchor from the regtest genesis', () => {
    const block = chain.findTx(txid)!.block!;
    expect(proof.headers).toHaveLength(block.height - 1);
    expect(verifyAnchorProof(proof, birth, regtest)).toEqual({
      height: block.height,
      time: block.header.time,
      txid,
      blockHash: block.id,
      confirmations: 1,
    });
  });

  it('counts confirmations from headers after the block', () => {
    const after = chain.blocks.slice(proof.height + 1).map((b) => toHex(b.headerBytes));
    expect(verifyAnchorProof({ ...proof, after }, birth, regtest).confirmations).toBe(4);
    const broken = [...after];
    broken.splice(1, 1);
    expect(codeOf(() => verifyAnchorProof({ ...proof, after: broken }, birth, regtest))).toBe('bad_chain');
  });

  it('verifies from a later trusted block with fewer headers', () => {
    const checkpoint = { height: 60, hash: chain.blocks[60]!.id };
    const short = { ...proof, headers: proof.headers.slice(60) };
    expect(verifyAnchorProof(short, birth, { network: 'regtest', checkpoint }).height).toBe(proof.height);
    expect(codeOf(() => verifyAnchorProof(proof, birth, { network: 'regtest', checkpoint }))).toBe('bad_chain');
    const wrong = { height: 60, hash: chain.blocks[61]!.id };
    expect(codeOf(() => verifyAnchorProof(short, birth, { network: 'regtest', checkpoint: wrong }))).toBe('bad_chain');
  });

  it('refuses a header whose proof of work fails, or which does not link', () => {
    const header = parseHeader(fromHex(proof.header));
    const target = targetFromBits(header.bits);
    let nonce = header.nonce;
    let bytes: Uint8Array;
    do bytes = serializeHeader({ ...header, nonce: ++nonce });
    while (hashValue(parseHeader(bytes).hash) <= target);
    expect(codeOf(() => verifyAnchorProof({ ...proof, header: toHex(bytes) }, birth, regtest))).toBe('bad_pow');
    const swapped = [...proof.headers];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect(codeOf(() => verifyAnchorProof({ ...proof, headers: swapped }, birth, regtest))).toBe('bad_chain');
    expect(codeOf(() => verifyAnchorProof({ ...proof, headers: proof.headers.slice(1) }, birth, regtest))).toBe(
      'bad_chain',
    );
  });

  it('refuses a regtest chain as mainnet: another genesis, and targets easier than mainnet allows', () => {
    expect(codeOf(() => verifyAnchorProof(proof, birth, { network: 'mainnet' }))).toBe('bad_chain');
    const asMainnet = { network: 'mainnet', checkpoint: { height: 0, hash: GENESIS_ID } } as const;
    expect(codeOf(() => verifyAnchorProof(proof, birth, asMainnet))).toBe('bad_bits');
    expect(codeOf(() => verifyAnchorProof(proof, birth, { network: 'moon' as 'mainnet' }))).toBe('unknown_network');
  });

  it('refuses a changed branch or index', () => {
    const sibling = [...proof.branch];
    sibling[0] = `${sibling[0]!.slice(0, -2)}${sibling[0]!.endsWith('00') ? '01' : '00'}`;
    expect(codeOf(() => verifyAnchorProof({ ...proof, branch: sibling }, birth, regtest))).toBe('bad_branch');
    expect(codeOf(() => verifyAnchorProof({ ...proof, index: proof.index ^ 1 }, birth, regtest))).toBe('bad_branch');
  });

  it('refuses another payload, kind or transaction', () => {
    const other = { kind: ANCHOR_KIND.birthRecord, hash: birthRecordHash({ ...record, origin: 'other.example/log' }) };
    expect(codeOf(() => verifyAnchorProof(proof, other, regtest))).toBe('wrong_payload');
    const asCheckpoint = { kind: ANCHOR_KIND.checkpoint, hash: birth.hash };
    expect(codeOf(() => verifyAnchorProof(proof, asCheckpoint, regtest))).toBe('wrong_payload');
  });

  it('finds no payload in a transaction without one (the coinbase, with its witness commitment)', async () => {
    const block = chain.findTx(txid)!.block!;
    const coinbaseTxid = (await (await fetch(`${esplora.url}/block/${block.id}/txid/0`)).text()).trim();
    expect(block.parsed[0]!.outputs.some((o) => o.script[0] === 0x6a)).toBe(true); // the witness commitment
    const coinbaseProof = await fetchAnchorProof(esplora.url, coinbaseTxid);
    expect(codeOf(() => verifyAnchorProof(coinbaseProof, birth, regtest))).toBe('no_payload');
  });

  it('refuses a 64-byte transaction, which could pose as an inner Merkle node', async () => {
    const coin = chain.fund(key.address, 10_000n);
    const short = await broadcast(esplora.url, key, coin, Uint8Array.of(0x6a, 0x02, 0xab, 0xcd), false);
    chain.mine();
    const shortProof = await fetchAnchorProof(esplora.url, short);
    expect(chain.findTx(short)!.block!.parsed[1]!.strippedSize).toBe(64);
    expect(codeOf(() => verifyAnchorProof(shortProof, birth, regtest))).toBe('bad_branch');
  });

  it('refuses malformed proofs with a readable message', () => {
    expect(codeOf(() => verifyAnchorProof({ ...proof, header: proof.header.slice(2) }, birth, regtest))).toBe(
      'malformed',
    );
    expect(codeOf(() => verifyAnchorProof({ ...proof, txHex: 'zz' }, birth, regtest))).toBe('malformed');
    const { index: _, ...noIndex } = proof;
    expect(() => verifyAnchorProof(noIndex, birth, regtest)).toThrow(/index/);
    expect(() => parseAnchorProof({ ...proof, branch: ['00'] })).toThrow(/branch/);
    expect(parseAnchorProof(proof)).toEqual(proof);
    expect(codeOf(() => verifyAnchorProof(null, birth, regtest))).toBe('malformed');
    const badCheckpoint = { network: 'regtest', checkpoint: { height: -1, hash: GENESIS_ID } } as const;
    expect(codeOf(() => verifyAnchorProof(proof, birth, badCheckpoint))).toBe('malformed');
  });
});

describe('the Birth Record and the payload', () => {
  it('encodes the Birth Record as canonical DAG-CBOR and hashes it', () => {
    const bytes = birthRecordBytes(record);
    expect(toHex(birthRecordHash(record))).toBe(toHex(sha256(bytes)));
    const decoded = decodeStrict(bytes) as Record<string, unknown>;
    expect(Object.keys(decoded).sort()).toEqual(['identity', 'key', 'origin', 'type', 'version']);
    expect(decoded).toMatchObject({ type: 'dta/birth-record', version: 1, origin: record.origin, key: record.key });
    expect(String(decoded['identity'])).toBe(String(record.identity));
    expect(() => birthRecordBytes({ ...record, key: new Uint8Array(31) })).toThrow(/32 bytes/);
    expect(() => birthRecordBytes({ ...record, origin: 'has space' })).toThrow(/origin/);
  });

  it('is "dta" ‖ kind ‖ SHA-256, 36 bytes, in a 38-byte OP_RETURN script', () => {
    const hash = checkpointAnchorHash('node.example/dta-log\n5\nAAAA\n');
    const payload = anchorPayload(ANCHOR_KIND.checkpoint, hash);
    expect(toHex(payload)).toBe(`64746102${toHex(hash)}`);
    expect(anchorScript(payload)).toHaveLength(38);
    expect(() => anchorPayload(3 as 1, hash)).toThrow(/kind/);
  });
});
