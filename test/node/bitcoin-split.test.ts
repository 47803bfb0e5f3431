/**
 * The split key end to end, without a node: the fiduciary answers an order
 * (fiduciary.ts), the principal/beneficiary checks the reply (client.ts),
 * the fiduciary releases its share, the beneficiary adds its own, gets the
 * private key of the committed address, and spends from it — a transaction
 * signed by @scure/btc-signer and checked by verify.ts (our own BIP-143 /
 * BIP-341 digests). Every tampering along the way is caught.
 */
import * as dagCbor from '@ipld/dag-cbor';
import { hexToBytes } from '@noble/hashes/utils.js';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { describe, expect, it } from 'vitest';
import { decodeCommitted, encodeCommitted, orderReply, redeemReply } from '../../src/node/plugins/bitcoin/fiduciary.ts';
import { addressesOf, addressOf, addressToScript } from '../../src/plugins/bitcoin/address.ts';
import { deriveKey, masterKeyFromMnemonic } from '../../src/plugins/bitcoin/bip32.ts';
import { commitmentOf, proveShare } from '../../src/plugins/bitcoin/commitment.ts';
import { BitcoinError } from '../../src/plugins/bitcoin/errors.ts';
import { generateShare, parsePublicKey, publicKeyOf } from '../../src/plugins/bitcoin/keys.ts';
import { network } from '../../src/plugins/bitcoin/network.ts';
import { beneficiarySecretFromHd, recoverPrivateKey, verifyOrderReply } from '../../src/plugins/bitcoin/reply.ts';
import type { OrderRequest } from '../../src/plugins/bitcoin/schema.ts';
import { signSpend } from '../../src/plugins/bitcoin/spend.ts';
import { parseTx } from '../../src/plugins/bitcoin/tx.ts';
import { verifySpend } from '../../src/plugins/bitcoin/verify.ts';

const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const regtest = network('regtest');

async function cidOf(value: unknown): Promise<CID> {
  return CID.createV1(dagCbor.code, await sha256.digest(dagCbor.encode(value)));
}

function mismatch(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BitcoinError);
    return (e as BitcoinError).code;
  }
  throw new Error('expected an error');
}

const FAKE_TXID = 'aa'.repeat(32);

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('not found');
}

describe.each(['p2wpkh', 'p2tr'] as const)('split key, %s', (type) => {
  it('beneficiary key in the order: reply checks, shares add up to the committed address, the spend verifies', async () => {
    const f = generateShare();
    const b = generateShare();
    const req: OrderRequest = { network: 'regtest', addressType: type, beneficiaryPublicKey: publicKeyOf(b) };
    const order = await cidOf({ req: 'one' });
    const reply = verifyOrderReply(orderReply(f, order, req), {
      order,
      network: 'regtest',
      addressType: type,
      beneficiaryPublicKey: req.beneficiaryPublicKey!,
    });
    // Neither share alone owns the address.
    expect(reply.address).not.toBe(addressOf(type, parsePublicKey(publicKeyOf(f), 'f'), regtest));
    expect(reply.address).not.toBe(addressOf(type, parsePublicKey(publicKeyOf(b), 'b'), regtest));
    const key = recoverPrivateKey(reply, redeemReply(f, order, req), b);
    expect(key.address).toBe(reply.address);
    const destination = addressOf('p2tr', parsePublicKey(publicKeyOf(generateShare()), 'd'), regtest);
    const spend = signSpend({
      privateKey: key.privateKey,
      addressType: type,
      network: 'regtest',
      to: destination,
      amount: 60_000n,
      fee: 500n,
      utxos: [
        { txid: FAKE_TXID, vout: 0, amount: 50_000n },
        { txid: 'bb'.repeat(32), vout: 3, amount: 20_000n },
      ],
    });
    const tx = verifySpend(hexToBytes(spend.hex), spend.prevouts);
    expect(tx.outputs.map((o) => o.amount)).toEqual([60_000n, 9_500n]);
    expect(tx.outputs[0]!.script).toEqual(addressToScript(destination, regtest));
    expect(tx.outputs[1]!.script).toEqual(addressToScript(reply.address, regtest)); // change back to the same address
    expect(tx.witnesses[0]!.length).toBe(type === 'p2tr' ? 1 : 2);
  });

  it('a tampered spend fails our checks (witness, amounts, outputs, wrong prevout)', async () => {
    const k = generateShare();
    const spend = signSpend({
      privateKey: k,
      addressType: type,
      network: 'regtest',
      to: addressOf('p2wpkh', parsePublicKey(publicKeyOf(generateShare()), 'd'), regtest),
      amount: 10_000n,
      fee: 300n,
      utxos: [{ txid: FAKE_TXID, vout: 1, amount: 12_000n }],
    });
    const bytes = hexToBytes(spend.hex);
    const sig = parseTx(bytes).witnesses[0]![0]!;
    const flipped = Uint8Array.from(bytes);
    flipped[indexOf(bytes, sig) + 20]! ^= 0x01; // inside r (or R): the signature no longer verifies, or no longer parses
    expect(mismatch(() => verifySpend(flipped, spend.prevouts))).toBe('mismatch');
    expect(mismatch(() => verifySpend(bytes, [{ ...spend.prevouts[0]!, amount: 12_001n }]))).toBe('mismatch');
    const otherKey = generateShare();
    const otherScript = addressToScript(addressOf(type, parsePublicKey(publicKeyOf(otherKey), 'o'), regtest), regtest);
    expect(mismatch(() => verifySpend(bytes, [{ ...spend.prevouts[0]!, script: otherScript }]))).toBe('mismatch');
    // Change the first output's amount (8 bytes after the input section): the signature no longer covers it.
    const amountAt = spend.hex.indexOf('1027000000000000') / 2; // 10 000 little-endian
    expect(amountAt).toBeGreaterThan(0);
    const moved = Uint8Array.from(bytes);
    moved[amountAt] = 0x0f;
    expect(mismatch(() => verifySpend(moved, spend.prevouts))).toBe('mismatch');
  });
});

describe('split key with a hierarchical beneficiary key', () => {
  it('xpub + path in the order; the beneficiary derives b from its mnemonic', async () => {
    const master = masterKeyFromMnemonic(MNEMONIC, 'beneficiary passphrase', regtest);
    const account = deriveKey(master, "m/86'/1'/0'");
    const req: OrderRequest = { network: 'regtest', addressType: 'p2tr', xpub: account.publicExtendedKey, path: '0/5' };
    expect(req.xpub!.startsWith('tpub')).toBe(true);
    const order = await cidOf({ req: 'hd' });
    const f = generateShare();
    const reply = verifyOrderReply(orderReply(f, order, req), { order, xpub: req.xpub!, path: '0/5' });
    const b = beneficiarySecretFromHd(account, reply.path!);
    expect(b).toEqual(deriveKey(master, "m/86'/1'/0'/0/5").privateKey);
    const key = recoverPrivateKey(reply, redeemReply(f, order, req), b);
    expect(key.address.startsWith('bcrt1p')).toBe(true);
    expect(key.wif.length).toBe(52); // compressed WIF
  });
});

describe('what the client refuses', () => {
  it('a reply for another order, another key, a swapped fiduciary key, a bad proof, or a false address', async () => {
    const f = generateShare();
    const b = generateShare();
    const req: OrderRequest = { network: 'testnet', addressType: 'p2wpkh', beneficiaryPublicKey: publicKeyOf(b) };
    const order = await cidOf({ req: 'x' });
    const good = orderReply(f, order, req);
    const expectation = { order, beneficiaryPublicKey: publicKeyOf(b) };
    verifyOrderReply(good, expectation);
    const otherOrder = await cidOf({ req: 'other' });
    expect(mismatch(() => verifyOrderReply(good, { ...expectation, order: otherOrder }))).toBe('mismatch');
    expect(
      mismatch(() => verifyOrderReply(good, { ...expectation, beneficiaryPublicKey: publicKeyOf(generateShare()) })),
    ).toBe('mismatch');
    expect(mismatch(() => verifyOrderReply(good, { ...expectation, network: 'mainnet' }))).toBe('mismatch');
    // A fiduciary answering F' = X - B for an X = x·G it knows would alone own F' + B = X. Everything else in
    // its reply can be made consistent, but it cannot prove knowledge of log(F') = x - b without b.
    const x = generateShare();
    const X = parsePublicKey(publicKeyOf(x), 'x');
    const rogueF = X.subtract(parsePublicKey(publicKeyOf(b), 'b')).toBytes(true);
    const commitment = commitmentOf({
      order,
      network: 'testnet',
      addressType: 'p2wpkh',
      fiduciaryPublicKey: rogueF,
      beneficiaryPublicKey: publicKeyOf(b),
    });
    const addresses = addressesOf(X, network('testnet'));
    const rogue = {
      ...good,
      fiduciaryPublicKey: rogueF,
      publicKey: X.toBytes(true),
      addresses,
      address: addresses.p2wpkh,
      commitment,
    };
    for (const proof of [proveShare(x, commitment), proveShare(generateShare(), commitment), good.proof]) {
      expect(() => verifyOrderReply({ ...rogue, proof }, expectation)).toThrow(/proof of the fiduciary share/);
    }
    expect(
      mismatch(() =>
        verifyOrderReply({ ...good, address: orderReply(generateShare(), order, req).address }, expectation),
      ),
    ).toBe('mismatch');
    expect(mismatch(() => verifyOrderReply({ ...good, proof: new Uint8Array(64) }, expectation))).toBe('mismatch');
    expect(mismatch(() => verifyOrderReply({ ...good, extra: 1 }, expectation))).toBe('bad_request');
  });

  it('a redemption with a share that is not the committed one, or the wrong beneficiary secret', async () => {
    const f = generateShare();
    const b = generateShare();
    const req: OrderRequest = { network: 'mainnet', addressType: 'p2tr', beneficiaryPublicKey: publicKeyOf(b) };
    const order = await cidOf({ req: 'y' });
    const reply = verifyOrderReply(orderReply(f, order, req), { order });
    const redeem = redeemReply(f, order, req);
    expect(mismatch(() => recoverPrivateKey(reply, { ...redeem, fiduciaryShare: generateShare() }, b))).toBe(
      'mismatch',
    );
    expect(mismatch(() => recoverPrivateKey(reply, redeem, generateShare()))).toBe('mismatch');
    expect(mismatch(() => recoverPrivateKey(reply, redeemReply(generateShare(), order, req), b))).toBe('mismatch');
    expect(recoverPrivateKey(reply, redeem, b).address.startsWith('bc1p')).toBe(true);
  });
});

describe('the keystore record', () => {
  it('round-trips share and request, and refuses corrupt records', async () => {
    const share = generateShare();
    const request: OrderRequest = {
      network: 'regtest',
      addressType: 'p2tr',
      beneficiary: await cidOf('b'),
      beneficiaryPublicKey: publicKeyOf(generateShare()),
    };
    const back = decodeCommitted(encodeCommitted({ share, request }));
    expect(back.share).toEqual(share);
    expect(back.request).toEqual(request);
    for (const bad of [
      new Uint8Array([0xff]),
      dagCbor.encode({ v: 2, share, request }),
      dagCbor.encode({ v: 1, share: share.subarray(1), request }),
    ]) {
      expect(() => decodeCommitted(bad)).toThrow(BitcoinError);
    }
  });
});
