/**
 * Unit tests of the bitcoin plugin's pure library: key shares and their
 * sums, addresses on the three networks, the taproot tweak (checked against
 * @scure/btc-signer and by signing with the tweaked secret), commitments and
 * the fiduciary's proof of knowledge, and the strict request parsers — with
 * the bad inputs each must refuse.
 */

import * as dagCbor from '@ipld/dag-cbor';
import { schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { p2tr, p2wpkh } from '@scure/btc-signer';
import { CID } from 'multiformats/cid';
import { sha256 as cidSha256 } from 'multiformats/hashes/sha2';
import { describe, expect, it } from 'vitest';
import { addressesOf, addressOf, addressToScript } from '../../src/plugins/bitcoin/address.ts';
import { parsePath } from '../../src/plugins/bitcoin/bip32.ts';
import { commitmentOf, proveShare, verifyShareProof } from '../../src/plugins/bitcoin/commitment.ts';
import { BitcoinError } from '../../src/plugins/bitcoin/errors.ts';
import {
  addPublicKeys,
  addSecrets,
  generateShare,
  N,
  Point,
  parsePublicKey,
  parseSecret,
  publicKeyOf,
  secretToBytes,
} from '../../src/plugins/bitcoin/keys.ts';
import { network } from '../../src/plugins/bitcoin/network.ts';
import { parseOrderRequest, parseRedeemRequest } from '../../src/plugins/bitcoin/schema.ts';
import { taprootKeys, taprootTweakSecret } from '../../src/plugins/bitcoin/taproot.ts';

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BitcoinError);
    return (e as BitcoinError).code;
  }
  throw new Error('expected a BitcoinError');
};

async function someCid(text: string): Promise<CID> {
  const bytes = dagCbor.encode({ text });
  return CID.createV1(dagCbor.code, await cidSha256.digest(bytes));
}

describe('networks', () => {
  it('knows mainnet, testnet and regtest and nothing else', () => {
    expect(network('mainnet').btc.bech32).toBe('bc');
    expect(network('testnet').btc.bech32).toBe('tb');
    expect(network('regtest').btc.bech32).toBe('bcrt');
    for (const bad of ['signet', 'Mainnet', 'main', '', 1, null, undefined, {}])
      expect(code(() => network(bad))).toBe('bad_request');
  });
});

describe('key shares', () => {
  it('parses secrets in [1, n-1] only', () => {
    expect(parseSecret(secretToBytes(1n), 's')).toBe(1n);
    expect(parseSecret(secretToBytes(N - 1n), 's')).toBe(N - 1n);
    for (const bad of [
      new Uint8Array(32),
      secretToBytes(N),
      new Uint8Array(31),
      new Uint8Array(33).fill(1),
      'ab',
      null,
    ]) {
      expect(code(() => parseSecret(bad, 's'))).toBe('bad_request');
    }
  });

  it('parses compressed points on the curve only', () => {
    const pub = publicKeyOf(generateShare());
    expect(bytesToHex(parsePublicKey(pub, 'k').toBytes(true))).toBe(bytesToHex(pub));
    const uncompressed = Point.fromBytes(pub).toBytes(false);
    const offCurve = hexToBytes('020000000000000000000000000000000000000000000000000000000000000007'); // BIP-32 vector 5
    const xTooBig = hexToBytes(`02${'ff'.repeat(32)}`);
    const badPrefix = Uint8Array.from(pub);
    badPrefix[0] = 0x04;
    for (const bad of [offCurve, xTooBig, badPrefix, new Uint8Array(33)])
      expect(code(() => parsePublicKey(bad, 'k'))).toBe('invalid_point');
    for (const bad of [uncompressed, pub.subarray(1), 'pub', [2, 3]])
      expect(code(() => parsePublicKey(bad, 'k'))).toBe('bad_request');
  });

  it('(f + b)·G = f·G + b·G for random shares, and the sum of a key and its negation is refused', () => {
    for (let i = 0; i < 8; i++) {
      const f = generateShare();
      const b = generateShare();
      const sum = addPublicKeys(parsePublicKey(publicKeyOf(f), 'f'), parsePublicKey(publicKeyOf(b), 'b'));
      expect(bytesToHex(publicKeyOf(addSecrets(f, b)))).toBe(bytesToHex(sum.toBytes(true)));
    }
    const f = generateShare();
    const F = parsePublicKey(publicKeyOf(f), 'f');
    expect(code(() => addPublicKeys(F, F.negate()))).toBe('invalid_point');
    expect(code(() => addSecrets(f, secretToBytes(N - parseSecret(f, 'f'))))).toBe('bad_request');
  });

  it('keeps secrets out of error messages', () => {
    const share = secretToBytes(N); // out of range: refused
    try {
      parseSecret(share, 'fiduciaryShare');
    } catch (e) {
      expect((e as Error).message).not.toContain(bytesToHex(share).slice(0, 16));
    }
  });
});

describe('addresses and the taproot tweak', () => {
  it('agrees with @scure/btc-signer on P2WPKH and P2TR for both parities on every network', () => {
    const parities = new Set<number>();
    for (let i = 0; i < 16; i++) {
      const pub = publicKeyOf(generateShare());
      const key = parsePublicKey(pub, 'k');
      for (const name of ['mainnet', 'testnet', 'regtest'] as const) {
        const net = network(name);
        expect(addressOf('p2wpkh', key, net)).toBe(p2wpkh(pub, net.btc).address);
        const theirs = p2tr(pub.subarray(1), undefined, net.btc);
        expect(addressOf('p2tr', key, net)).toBe(theirs.address);
        expect(bytesToHex(taprootKeys(key).outputKey)).toBe(bytesToHex(theirs.tweakedPubkey));
      }
      parities.add(pub[0]!);
      parities.add(taprootKeys(key).outputParity);
    }
    expect([...parities].sort()).toEqual([0, 1, 2, 3]); // odd and even internal keys and output keys were all met
  });

  it('signs for the output key with the tweaked secret, whatever the parity of d·G', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 16; i++) {
      const d = generateShare();
      const key = parsePublicKey(publicKeyOf(d), 'k');
      seen.add(key.toBytes(true)[0]!);
      const tweaked = taprootTweakSecret(d);
      const msg = sha256Bytes(`message ${i}`);
      expect(schnorr.verify(schnorr.sign(msg, tweaked), msg, taprootKeys(key).outputKey)).toBe(true);
    }
    expect(seen.size).toBe(2);
  });

  it('uses the network prefix and refuses addresses of another network or with a bad checksum', () => {
    const key = parsePublicKey(publicKeyOf(generateShare()), 'k');
    const a = addressesOf(key, network('regtest'));
    expect(a.p2wpkh.startsWith('bcrt1q')).toBe(true);
    expect(a.p2tr.startsWith('bcrt1p')).toBe(true);
    expect(addressToScript(a.p2tr, network('regtest')).length).toBe(34);
    expect(code(() => addressToScript(a.p2tr, network('testnet')))).toBe('bad_request');
    const flipped = a.p2wpkh.slice(0, -1) + (a.p2wpkh.endsWith('q') ? 'p' : 'q');
    expect(code(() => addressToScript(flipped, network('regtest')))).toBe('bad_request');
  });
});

const sha256Bytes = (text: string): Uint8Array => sha256(new TextEncoder().encode(text));

describe('commitment and proof of knowledge of the fiduciary share', () => {
  it('verifies for the right order and keys only', async () => {
    const f = generateShare();
    const F = publicKeyOf(f);
    const B = publicKeyOf(generateShare());
    const order = await someCid('order 1');
    const input = {
      order,
      network: 'regtest',
      addressType: 'p2tr',
      fiduciaryPublicKey: F,
      beneficiaryPublicKey: B,
    } as const;
    const c = commitmentOf(input);
    expect(bytesToHex(commitmentOf({ ...input, order: order.toString() }))).toBe(bytesToHex(c));
    const proof = proveShare(f, c);
    expect(verifyShareProof(F, c, proof)).toBe(true);
    expect(bytesToHex(proveShare(f, c))).toBe(bytesToHex(proof)); // deterministic: a retried order replies the same bytes
    // Any change moves the commitment; a proof for another key or message fails.
    for (const other of [
      { ...input, order: await someCid('order 2') },
      { ...input, network: 'testnet' as const },
      { ...input, addressType: 'p2wpkh' as const },
      { ...input, beneficiaryPublicKey: publicKeyOf(generateShare()) },
    ]) {
      expect(verifyShareProof(F, commitmentOf(other), proof)).toBe(false);
    }
    expect(verifyShareProof(publicKeyOf(generateShare()), c, proof)).toBe(false);
    const rogue = generateShare(); // someone who does not know f cannot prove F
    expect(verifyShareProof(F, c, proveShare(rogue, c))).toBe(false);
    expect(verifyShareProof(F, c, proof.subarray(1))).toBe(false);
  });
});

describe('derivation paths', () => {
  it('parses m, bare and prefixed paths, hardened markers', () => {
    expect(parsePath('m', { allowHardened: false })).toEqual([]);
    expect(parsePath('0/1', { allowHardened: false })).toEqual([0, 1]);
    expect(parsePath("m/86'/1h/0H/0/7", { allowHardened: true })).toEqual([0x80000056, 0x80000001, 0x80000000, 0, 7]);
    expect(parsePath('2147483647', { allowHardened: false })).toEqual([2147483647]);
  });

  it('refuses junk, hardened levels where only public derivation is possible, too-large indices and depths', () => {
    const bad = [
      '',
      '/',
      'm/',
      '0//1',
      '01',
      '-1',
      '1.5',
      '0x10',
      "1''",
      'a',
      '2147483648',
      '99999999999',
      ' 0',
      'M/0',
      Array(256).fill('0').join('/'),
      5,
      null,
    ];
    for (const p of bad)
      expect(
        code(() => parsePath(p, { allowHardened: true })),
        String(p),
      ).toBe('bad_request');
    expect(code(() => parsePath("0/1'", { allowHardened: false }))).toBe('bad_request');
  });
});

describe('order and redeem requests', () => {
  const B = publicKeyOf(generateShare());
  const base = { network: 'regtest', addressType: 'p2tr' };

  it('accepts a key or an xpub with a path, and a beneficiary CID', async () => {
    const beneficiary = await someCid('beneficiary');
    expect(parseOrderRequest({ ...base, beneficiaryPublicKey: B })).toEqual({ ...base, beneficiaryPublicKey: B });
    expect(parseOrderRequest({ ...base, xpub: 'tpubX', path: '0/1', beneficiary })).toEqual({
      ...base,
      xpub: 'tpubX',
      path: '0/1',
      beneficiary,
    });
  });

  it('refuses unknown fields, missing or doubled key forms, wrong types and sizes', () => {
    const bad: unknown[] = [
      null,
      [],
      'order',
      new Uint8Array(3),
      { ...base },
      { ...base, beneficiaryPublicKey: B, xpub: 'x', path: '0' },
      { ...base, beneficiaryPublicKey: B, extra: 1 },
      { ...base, network: 'signet', beneficiaryPublicKey: B },
      { ...base, addressType: 'p2pkh', beneficiaryPublicKey: B },
      { ...base, beneficiaryPublicKey: B.subarray(1) },
      { ...base, xpub: 'x' },
      { ...base, path: '0' },
      { ...base, xpub: 'x'.repeat(121), path: '0' },
      { ...base, beneficiaryPublicKey: B, beneficiary: 'bafy...' },
      Object.assign(Object.create({ inherited: 1 }), base),
    ];
    for (const content of bad) expect(code(() => parseOrderRequest(content))).toBe('bad_request');
  });

  it('redeem: an empty map, or one naming this order', () => {
    parseRedeemRequest({}, 'bafyorder');
    parseRedeemRequest({ order: 'bafyorder' }, 'bafyorder');
    expect(code(() => parseRedeemRequest({ order: 'other' }, 'bafyorder'))).toBe('bad_request');
    expect(code(() => parseRedeemRequest({ share: new Uint8Array(32) }, 'bafyorder'))).toBe('bad_request');
    expect(code(() => parseRedeemRequest(null, 'bafyorder'))).toBe('bad_request');
  });
});
