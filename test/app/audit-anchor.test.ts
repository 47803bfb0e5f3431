/**
 * The Audit page's anchor check on the test chain (a regtest chain the test mines, served by the Esplora-compatible
 * test server): a Birth Record committed in an OP_RETURN and mined is "anchored in block N"; a proof for another
 * identity's record, a header whose nonce was altered, and a proof checked against another network fail with the
 * proof as evidence; no anchor, or one not mined yet, is "not anchored yet".
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { Transaction as ScureTx } from '@scure/btc-signer';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAnchor } from '../../src/app/audit/anchor.ts';
import { birthRecordHash } from '../../src/core/anchor/birth-record.ts';
import { ANCHOR_KIND, anchorPayload, anchorScript } from '../../src/core/anchor/payload.ts';
import type { AnchorProof } from '../../src/core/anchor/proof.ts';
import type { LogKey } from '../../src/core/api/log-proof.ts';
import { toHex, utf8 } from '../../src/core/bytes.ts';
import { ed25519VerifierKey } from '../../src/core/tlog/note.ts';
import { fetchAnchorProof } from '../support/regtest/anchor-proof.ts';
import { RegtestChain } from '../support/regtest/chain.ts';
import { type EsploraServer, startEsplora } from '../support/regtest/esplora.ts';
import { REGTEST, regtestKey } from '../support/regtest/network.ts';

const DAG_CBOR = 0x71;
const identity = CID.createV1(DAG_CBOR, await sha256.digest(utf8('the node identity document')));
const other = CID.createV1(DAG_CBOR, await sha256.digest(utf8('another identity document')));
const publicKey = ed25519.getPublicKey(new Uint8Array(32).fill(7));
const key: LogKey = {
  origin: 'north.example/dta-log',
  publicKey,
  verifierKey: ed25519VerifierKey('north.example/dta-log', publicKey),
};
const REGTEST_TRUST = { network: 'regtest' } as const;

let chain: RegtestChain;
let esplora: EsploraServer;
let proof: AnchorProof;

/** Pays a Birth Record anchor from a funded test key, mines it with two more blocks, and fetches its proof. */
async function anchorBirthRecord(): Promise<AnchorProof> {
  const payer = regtestKey();
  const coin = chain.fund(payer.address, 50_000n);
  const tx = new ScureTx({ allowUnknownOutputs: true });
  tx.addInput({ txid: coin.txid, index: coin.vout, witnessUtxo: { script: coin.script, amount: coin.value } });
  const hash = birthRecordHash({ identity, origin: key.origin, key: key.publicKey });
  tx.addOutput({ script: anchorScript(anchorPayload(ANCHOR_KIND.birthRecord, hash)), amount: 0n });
  tx.addOutputAddress(payer.address, coin.value - 1_000n, REGTEST);
  tx.sign(payer.secretKey);
  tx.finalize();
  const txid = chain.submit(tx.extract());
  chain.mine(3);
  return fetchAnchorProof(esplora.url, txid);
}

beforeAll(async () => {
  chain = new RegtestChain();
  esplora = await startEsplora(chain);
  proof = await anchorBirthRecord();
}, 60_000);

afterAll(async () => {
  await esplora?.close();
});

describe('the Birth Record anchor', () => {
  it('a mined anchor of this identity and log key is anchored in its block, on its date', () => {
    const check = checkAnchor(identity, key, { status: 'confirmed', proof }, REGTEST_TRUST);
    const block = chain.blocks[proof.height]!;
    const date = new Date(block.header.time * 1000).toLocaleDateString(undefined, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
    });
    expect(check).toMatchObject({ kind: 'anchor', status: 'ok' });
    expect(check.reason).toBe(
      `Anchored in block ${proof.height} on ${date}, on a regtest test chain (no real proof of time).`,
    );
  });

  it('the same proof does not anchor another identity’s Birth Record', () => {
    const check = checkAnchor(other, key, { status: 'confirmed', proof }, REGTEST_TRUST);
    expect(check.status).toBe('failed');
    expect(check.reason).toMatch(/does not hold .*other payload/);
    const expected = toHex(birthRecordHash({ identity: other, origin: key.origin, key: key.publicKey }));
    expect(check.evidence).toEqual({ proof, expected, network: 'regtest' });
  });

  it('a header chain with one nonce altered fails (the next header no longer links to it)', () => {
    const headers = [...proof.headers];
    const h = headers[5]!;
    headers[5] = h.slice(0, 152) + (h.slice(152, 154) === '00' ? 'ff' : '00') + h.slice(154);
    const check = checkAnchor(identity, key, { status: 'confirmed', proof: { ...proof, headers } }, REGTEST_TRUST);
    expect(check.status).toBe('failed');
    expect(check.evidence).toMatchObject({ proof: { headers } });
  });

  it('a regtest proof does not hold on Bitcoin mainnet', () => {
    const check = checkAnchor(identity, key, { status: 'confirmed', proof }, { network: 'mainnet' });
    expect(check.status).toBe('failed');
    expect(check.reason).toMatch(/^The Birth Record’s anchor does not hold on Bitcoin:/);
  });

  it('no anchor, or one not mined yet, is not anchored yet', () => {
    expect(checkAnchor(identity, key, undefined, REGTEST_TRUST)).toMatchObject({ status: 'unknown' });
    const pending = checkAnchor(identity, key, { status: 'broadcast' }, REGTEST_TRUST);
    expect(pending).toMatchObject({
      status: 'unknown',
      reason: 'Not anchored yet: the anchor transaction is broadcast, not yet in a block.',
    });
  });
});
