// SPV primitives against real mainnet blocks (../shared/vectors/bitcoin-blocks/, README section 9): every
// header's id and proof of work (the altered-nonce header fails), compact targets, Merkle roots recomputed from
// the transactions, and a branch for every transaction that verifies, and fails for a changed index or sibling.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBlock } from '../../src/core/anchor/block.ts';
import { displayHex } from '../../src/core/anchor/hash.ts';
import { checkProofOfWork, hashValue, parseHeader, targetFromBits } from '../../src/core/anchor/header.ts';
import { merkleBranch, merkleRoot, rootFromBranch } from '../../src/core/anchor/merkle.ts';
import { networkRules } from '../../src/core/anchor/networks.ts';
import { fromHex, toHex } from '../../src/core/bytes.ts';
import { haveVectors, VECTORS } from '../core/vectors-dir.ts';

const dir = join(VECTORS, 'bitcoin-blocks');
const load = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const MAINNET_LIMIT = networkRules('mainnet').powLimit;
const ALTERED = 'Headers only - nonce changed';

/** The root a branch leads to (hex), or the code of the AnchorError that refused it. */
function climb(txid: Uint8Array, index: number, branch: readonly Uint8Array[]): string {
  try {
    return toHex(rootFromBranch(txid, index, branch));
  } catch (e) {
    return (e as { code: string }).code;
  }
}

/** Every transaction's branch verifies; a changed index or a changed sibling does not. */
function checkEveryBranch(txids: readonly Uint8Array[], root: Uint8Array): void {
  txids.forEach((txid, index) => {
    const branch = merkleBranch(txids, index);
    expect(toHex(rootFromBranch(txid, index, branch))).toBe(toHex(root));
    for (let bit = 0; bit < Math.max(branch.length, 1); bit++) {
      expect(climb(txid, index ^ (1 << bit), branch)).not.toBe(toHex(root));
    }
    branch.forEach((_, level) => {
      const changed = branch.map((h) => h.slice());
      changed[level]![0]! ^= 1;
      expect(climb(txid, index, changed)).not.toBe(toHex(root));
    });
  });
}

describe.skipIf(!haveVectors)('bitcoin-blocks vectors', () => {
  const blocks = haveVectors ? load('block.json') : { targets: [], valid: [] };
  const core = haveVectors ? load('core-blocks.json') : [];

  // bitcoinjs ignores the compact sign bit (0x00800000); Bitcoin Core, and we, refuse a negative target. For
  // such an entry the fixture's value is the magnitude: decoding the bits with the sign cleared must give it.
  it('decodes every compact target, and refuses the negative one', () => {
    expect(blocks.targets.length).toBeGreaterThan(0);
    const hex = (n: bigint) => n.toString(16).padStart(64, '0');
    let negatives = 0;
    for (const t of blocks.targets) {
      const bits = Number.parseInt(t.bits, 16);
      if (bits & 0x00800000) {
        negatives++;
        expect(() => targetFromBits(bits)).toThrow(expect.objectContaining({ code: 'bad_bits' }));
        expect(hex(targetFromBits(bits & ~0x00800000))).toBe(t.expected);
      } else {
        expect(hex(targetFromBits(bits))).toBe(t.expected);
      }
    }
    expect(negatives).toBe(2); // 1b80ffff and 0cffca00
  });

  it('refuses overflowing and zero compact targets', () => {
    for (const bits of [0x23000001, 0x22000100, 0x21010000, 0xff123456, 0x01003456, 0x00000000, 0x03000000]) {
      expect(() => targetFromBits(bits)).toThrow(expect.objectContaining({ code: 'bad_bits' }));
    }
    expect(targetFromBits(0x22000001)).toBe(1n << 248n); // the largest exponent a one-byte mantissa allows
    expect(targetFromBits(0x01120000)).toBe(0x12n);
  });

  it.each(blocks.valid.map((v: any) => [v.description, v]) as [string, any][])(
    '%s: id, fields and proof of work',
    (_, v: any) => {
      const header = parseHeader(fromHex(v.hex).subarray(0, 80));
      expect(displayHex(header.hash)).toBe(v.id);
      expect(toHex(header.hash)).toBe(v.hash);
      expect(toHex(header.merkleRoot)).toBe(v.merkleRoot);
      expect(toHex(header.prevHash)).toBe(v.prevHash);
      expect([header.version, header.time, header.bits, header.nonce]).toEqual([
        v.version,
        v.timestamp,
        v.bits,
        v.nonce,
      ]);
      if (v.description === ALTERED) {
        expect(hashValue(header.hash) > targetFromBits(header.bits)).toBe(true);
        expect(() => checkProofOfWork(header, MAINNET_LIMIT)).toThrow(expect.objectContaining({ code: 'bad_pow' }));
      } else {
        expect(() => checkProofOfWork(header, MAINNET_LIMIT)).not.toThrow();
      }
    },
  );

  it('has exactly one header that fails its proof of work', () => {
    const failing = blocks.valid.filter((v: any) => {
      try {
        checkProofOfWork(parseHeader(fromHex(v.hex).subarray(0, 80)), MAINNET_LIMIT);
        return false;
      } catch {
        return true;
      }
    });
    expect(failing.map((v: any) => v.description)).toEqual([ALTERED]);
  });

  const withTxs = blocks.valid.filter((v: any) => v.hex.length > 160);
  it.each(withTxs.map((v: any) => [v.description, v]) as [string, any][])(
    '%s: Merkle root and every branch',
    (_, v: any) => {
      const block = parseBlock(fromHex(v.hex));
      const txids = block.transactions.map((t) => t.txid);
      expect(toHex(merkleRoot(txids))).toBe(v.merkleRoot);
      checkEveryBranch(txids, block.header.merkleRoot);
    },
  );

  it.each(core.map((b: any) => [b.id, b]) as [string, any][])(
    'core block %s: id, work, root, count, branches',
    (_, b: any) => {
      const block = parseBlock(fromHex(b.hex));
      expect(displayHex(block.header.hash)).toBe(b.id);
      expect(() => checkProofOfWork(block.header, MAINNET_LIMIT)).not.toThrow();
      expect(block.transactions).toHaveLength(b.transactions);
      checkEveryBranch(
        block.transactions.map((t) => t.txid),
        block.header.merkleRoot,
      );
    },
  );

  it('refuses a header that is not exactly 80 bytes', () => {
    const genesis = fromHex(blocks.valid.find((v: any) => v.height === 0).hex);
    expect(() => parseHeader(genesis.subarray(0, 79))).toThrow(expect.objectContaining({ code: 'malformed' }));
    expect(() => parseHeader(genesis.subarray(0, 81))).toThrow(expect.objectContaining({ code: 'malformed' }));
  });
});
