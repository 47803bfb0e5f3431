/**
 * The bitcoin plugin's derivation and signing-hash code paths against
 * published vectors: BIP-32 (every chain of vectors 1-4, private and public
 * derivation; the 16 invalid keys of vector 5 refused), BIP-39 (the trezor
 * English vectors with passphrase "TREZOR": mnemonic, seed, master xprv),
 * BIP-84 and BIP-86 (addresses of the "abandon ... about" wallet, from the
 * BIPs' own test vectors), and bitcoinjs' BIP-143 / BIP-341 signature-hash
 * fixtures through sighash.ts. Skips when ../shared/vectors is absent
 * (fails under CI), except the BIP-84/86 cases whose data is inline.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schnorr } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { entropyToMnemonic, mnemonicToSeedSync, validateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { describe, expect, it } from 'vitest';
import { addressOf, addressToScript } from '../../src/plugins/bitcoin/address.ts';
import {
  deriveKey,
  derivePublicKey,
  masterKeyFromMnemonic,
  masterKeyFromSeed,
  parseExtendedPrivateKey,
  parseExtendedPublicKey,
} from '../../src/plugins/bitcoin/bip32.ts';
import { BitcoinError } from '../../src/plugins/bitcoin/errors.ts';
import { parsePublicKey } from '../../src/plugins/bitcoin/keys.ts';
import { network } from '../../src/plugins/bitcoin/network.ts';
import { bip143SighashAll, bip341KeyPathSighash } from '../../src/plugins/bitcoin/sighash.ts';
import { taprootKeys, taprootTweakSecret } from '../../src/plugins/bitcoin/taproot.ts';
import { parseTx } from '../../src/plugins/bitcoin/tx.ts';
import { haveVectors, VECTORS } from '../core/vectors-dir.ts';

const suite = haveVectors ? describe : describe.skip;
const mainnet = network('mainnet');
const json = <T>(...path: string[]): T => JSON.parse(readFileSync(join(VECTORS, ...path), 'utf8')) as T;

interface Bip32Vectors {
  valid: { vector: number; seed: string; chains: { path: string; xpub: string; xprv: string }[] }[];
  invalid: { vector: number; key: string; reason: string }[];
}

/** The vectors write hardened levels as "0H"; the plugin's paths use "0'". */
const toPath = (p: string): string => p.replace(/H/g, "'");

suite('BIP-32 vectors (bip32_vectors_parsed.json)', () => {
  const v = haveVectors ? json<Bip32Vectors>('bip32-bip39', 'bip32_vectors_parsed.json') : { valid: [], invalid: [] };

  it('holds 4 valid vectors with 17 chains and 16 invalid keys', () => {
    expect(v.valid.length).toBe(4);
    expect(v.valid.reduce((n, x) => n + x.chains.length, 0)).toBe(17);
    expect(v.invalid.length).toBe(16);
  });

  it('derives every chain from the seed: xprv and xpub', () => {
    let checked = 0;
    for (const vector of v.valid) {
      const master = masterKeyFromSeed(hexToBytes(vector.seed), mainnet);
      for (const chain of vector.chains) {
        const key = deriveKey(master, toPath(chain.path));
        expect(key.privateExtendedKey, `vector ${vector.vector} ${chain.path}`).toBe(chain.xprv);
        expect(key.publicExtendedKey, `vector ${vector.vector} ${chain.path}`).toBe(chain.xpub);
        checked++;
      }
    }
    expect(checked).toBe(17);
  });

  it('derives the public key of every chain from an ancestor xpub by public derivation where the path allows', () => {
    let checked = 0;
    for (const vector of v.valid) {
      for (const child of vector.chains) {
        for (const ancestor of vector.chains) {
          const rest = child.path.startsWith(`${ancestor.path}/`)
            ? child.path.slice(ancestor.path.length + 1)
            : undefined;
          if (rest === undefined || rest.includes('H')) continue;
          const pub = derivePublicKey(ancestor.xpub, rest, mainnet);
          expect(bytesToHex(pub)).toBe(bytesToHex(parseExtendedPublicKey(child.xpub, mainnet).publicKey!));
          checked++;
        }
      }
    }
    expect(checked).toBe(7); // 4 in vector 1, 3 in vector 2; 3 and 4 have hardened levels only
  });

  it('refuses hardened levels below an xpub, and each vector xprv where an xpub is expected', () => {
    const chain = v.valid[0]!.chains[0]!;
    expect(() => derivePublicKey(chain.xpub, "0'", mainnet)).toThrow(/hardened/);
    for (const vector of v.valid) {
      for (const c of vector.chains) {
        const err = catchError(() => parseExtendedPublicKey(c.xprv, mainnet));
        expect(err.message).toMatch(/extended private key must never be sent/);
        expect(err.message).not.toContain(c.xprv.slice(4, 20));
      }
    }
  });

  it('refuses the 16 invalid keys of vector 5, as public and as private keys, without echoing them', () => {
    for (const bad of v.invalid) {
      for (const parse of [parseExtendedPublicKey, parseExtendedPrivateKey]) {
        const err = catchError(() => parse(bad.key, mainnet));
        expect(err, bad.reason).toBeInstanceOf(BitcoinError);
        expect((err as BitcoinError).code).toBe('bad_request');
        expect(err.message).not.toContain(bad.key.slice(4, 24));
      }
    }
  });

  it('refuses mainnet keys on testnet and regtest', () => {
    const chain = v.valid[0]!.chains[1]!;
    expect(() => parseExtendedPublicKey(chain.xpub, network('testnet'))).toThrow(/tpub/);
    expect(() => parseExtendedPublicKey(chain.xpub, network('regtest'))).toThrow(/tpub/);
  });
});

suite('BIP-39 vectors (python-mnemonic-vectors.json, English, passphrase "TREZOR")', () => {
  const vectors = haveVectors
    ? json<{ english: [string, string, string, string][] }>('bip32-bip39', 'python-mnemonic-vectors.json').english
    : [];

  it('uses the published English wordlist', () => {
    const words = readFileSync(join(VECTORS, 'bip32-bip39', 'bip-0039-english.txt'), 'utf8')
      .trim()
      .split('\n');
    expect(words.length).toBe(2048);
    expect(english).toEqual(words);
  });

  it('gives mnemonic, seed and master xprv for all 24 vectors', () => {
    expect(vectors.length).toBe(24);
    for (const [entropy, mnemonic, seed, xprv] of vectors) {
      expect(entropyToMnemonic(hexToBytes(entropy), english)).toBe(mnemonic);
      expect(validateMnemonic(mnemonic, english)).toBe(true);
      expect(bytesToHex(mnemonicToSeedSync(mnemonic, 'TREZOR'))).toBe(seed);
      expect(masterKeyFromMnemonic(mnemonic, 'TREZOR', mainnet).privateExtendedKey).toBe(xprv);
    }
  });

  it('refuses a mnemonic with a bad checksum or an unknown word', () => {
    const words = vectors[0]![1].split(' ');
    const swapped = [...words.slice(0, -1), words.at(-1) === 'zoo' ? 'wrong' : 'zoo'].join(' ');
    expect(() => masterKeyFromMnemonic(swapped, '', mainnet)).toThrow(/mnemonic/);
    expect(() => masterKeyFromMnemonic(['notaword', ...words.slice(1)].join(' '), '', mainnet)).toThrow(/mnemonic/);
  });
});

// https://github.com/bitcoin/bips/blob/master/bip-0084.mediawiki#test-vectors and bip-0086.mediawiki#test-vectors
describe('BIP-84 and BIP-86 test vectors (inline, from the BIPs)', () => {
  const mnemonic = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

  it("BIP-84: m/84'/0'/0'/0/0 is bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu", () => {
    const key = deriveKey(masterKeyFromMnemonic(mnemonic, '', mainnet), "m/84'/0'/0'/0/0");
    expect(bytesToHex(key.publicKey!)).toBe('0330d54fd0dd420a6e5f8d3624f5f3482cae350f79d5f0753bf5beef9c2d91af3c');
    expect(addressOf('p2wpkh', parsePublicKey(key.publicKey, 'k'), mainnet)).toBe(
      'bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu',
    );
  });

  const bip86 = [
    [
      "m/86'/0'/0'/0/0",
      'cc8a4bc64d897bddc5fbc2f670f7a8ba0b386779106cf1223c6fc5d7cd6fc115',
      'a60869f0dbcf1dc659c9cecbaf8050135ea9e8cdc487053f1dc6880949dc684c',
      'bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr',
    ],
    [
      "m/86'/0'/0'/0/1",
      '83dfe85a3151d2517290da461fe2815591ef69f2b18a2ce63f01697a8b313145',
      'a82f29944d65b86ae6b5e5cc75e294ead6c59391a1edc5e016e3498c67fc7bbb',
      'bc1p4qhjn9zdvkux4e44uhx8tc55attvtyu358kutcqkudyccelu0was9fqzwh',
    ],
  ] as const;

  it.each(bip86)(
    'BIP-86: %s (internal key, output key, address, tweaked secret)',
    (path, internal, output, address) => {
      const key = deriveKey(masterKeyFromMnemonic(mnemonic, '', mainnet), path);
      const keys = taprootKeys(parsePublicKey(key.publicKey, 'k'));
      expect(bytesToHex(keys.internalKey)).toBe(internal);
      expect(bytesToHex(keys.outputKey)).toBe(output);
      expect(addressOf('p2tr', parsePublicKey(key.publicKey, 'k'), mainnet)).toBe(address);
      expect(bytesToHex(addressToScript(address, mainnet))).toBe(`5120${output}`);
      expect(bytesToHex(schnorr.getPublicKey(taprootTweakSecret(key.privateKey!)))).toBe(output);
    },
  );
});

interface TxFixtures {
  valid: { id: string; hex: string; raw: { ins: unknown[]; outs: unknown[] } }[];
  hashForWitnessV0: {
    description: string;
    txHex: string;
    inIndex: number;
    script: string;
    type: number;
    hash: string;
    value: number;
  }[];
  taprootSigning: {
    utxos: { scriptHex: string; value: number }[];
    txHex: string;
    cases: { vin: number; typeHex: string; hash: string }[];
  }[];
}

suite('signature hashes (bitcoinjs-transaction.json)', () => {
  const fx = haveVectors
    ? json<TxFixtures>('bitcoin-tx', 'bitcoinjs-transaction.json')
    : { valid: [], hashForWitnessV0: [], taprootSigning: [] };

  it('parses all 20 valid transactions with the published input and output counts', () => {
    expect(fx.valid.length).toBe(20);
    for (const t of fx.valid) {
      const tx = parseTx(hexToBytes(t.hex));
      expect(tx.inputs.length, t.id).toBe(t.raw.ins.length);
      expect(tx.outputs.length, t.id).toBe(t.raw.outs.length);
    }
  });

  it('refuses truncated and padded transactions', () => {
    const hex = fx.valid[0]!.hex;
    expect(() => parseTx(hexToBytes(hex.slice(0, -2)))).toThrow(/truncated/);
    expect(() => parseTx(hexToBytes(`${hex}00`))).toThrow(/trailing/);
  });

  it('BIP-143: the P2WPKH SIGHASH_ALL digests', () => {
    const cases = fx.hashForWitnessV0.filter((c) => c.type === 1 && c.script.startsWith('OP_DUP OP_HASH160'));
    expect(cases.length).toBe(2);
    for (const c of cases) {
      const keyHash = c.script.split(' ')[2]!;
      const scriptCode = hexToBytes(`76a914${keyHash}88ac`);
      const digest = bip143SighashAll(parseTx(hexToBytes(c.txHex)), c.inIndex, scriptCode, BigInt(c.value));
      expect(bytesToHex(digest), c.description).toBe(c.hash);
    }
  });

  it('BIP-341: the key-path SIGHASH_DEFAULT and SIGHASH_ALL digests; other types refused', () => {
    const t = fx.taprootSigning[0]!;
    const tx = parseTx(hexToBytes(t.txHex));
    const prevouts = t.utxos.map((u) => ({ script: hexToBytes(u.scriptHex), amount: BigInt(u.value) }));
    let checked = 0;
    for (const c of t.cases) {
      const type = parseInt(c.typeHex, 16);
      if (type > 1) {
        expect(() => bip341KeyPathSighash(tx, c.vin, prevouts, type)).toThrow(/SIGHASH/);
        continue;
      }
      expect(bytesToHex(bip341KeyPathSighash(tx, c.vin, prevouts, type)), `vin ${c.vin}`).toBe(c.hash);
      checked++;
    }
    expect(checked).toBe(2);
  });
});

function catchError(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}
