/**
 * One AES-256-GCM ciphertext whose tag verifies under two different keys: the multi-key collision behind
 * "invisible salamanders" (Dodis, Grubbs, Ristenpart, Woodage, CRYPTO 2018) and partitioning oracles (Len,
 * Grubbs, Ristenpart, USENIX Security 2021), built here to show why envelopes commit to their key.
 *
 * GCM's tag is T = E_K(J0) xor GHASH_H(A, C) with H = E_K(0^128), and GHASH is a polynomial in H whose
 * coefficients are the blocks of A, C and the length block. For two keys, T1 = T2 is one linear equation in
 * any one ciphertext block (over GF(2^128)): fix every other block, solve for that one. The field is the one of
 * NIST SP 800-38D (bits numbered from the most significant of byte 0, R = 11100001 || 0^120).
 * @module
 */
import { createCipheriv } from 'node:crypto';

const BLOCK = 16;
const R = 0xe1n << 120n;
const ONE = 1n << 127n; // the field's 1: bit 0 (the leftmost) set

const toInt = (b: Uint8Array): bigint => BigInt(`0x${Buffer.from(b).toString('hex') || '0'}`);
const toBlock = (n: bigint): Uint8Array => Uint8Array.from(Buffer.from(n.toString(16).padStart(32, '0'), 'hex'));

/** X·Y in GF(2^128), SP 800-38D Algorithm 1. */
function gfMul(x: bigint, y: bigint): bigint {
  let z = 0n;
  let v = y;
  for (let i = 127n; i >= 0n; i--) {
    if ((x >> i) & 1n) z ^= v;
    v = v & 1n ? (v >> 1n) ^ R : v >> 1n;
  }
  return z;
}

/** X^(2^128 - 2) = X^-1 for X ≠ 0. */
function gfInv(x: bigint): bigint {
  let result = ONE;
  let base = x;
  for (let e = (1n << 128n) - 2n; e > 0n; e >>= 1n) {
    if (e & 1n) result = gfMul(result, base);
    base = gfMul(base, base);
  }
  return result;
}

/** AES-256 of one block (the block cipher under GCM). */
export function aesBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
}

/** The counter block nonce || I2OSP(counter, 4). */
function counterBlock(nonce: Uint8Array, counter: number): Uint8Array {
  const b = new Uint8Array(BLOCK);
  b.set(nonce);
  new DataView(b.buffer).setUint32(12, counter);
  return b;
}

/** The keystream GCM encrypts block `j` of the plaintext with (counter 2 + j; counter 1 is J0, for the tag). */
export function keystreamBlock(key: Uint8Array, nonce: Uint8Array, j: number): Uint8Array {
  return aesBlock(key, counterBlock(nonce, 2 + j));
}

function blocksOf(bytes: Uint8Array): bigint[] {
  const out: bigint[] = [];
  for (let at = 0; at < bytes.length; at += BLOCK) {
    const b = new Uint8Array(BLOCK);
    b.set(bytes.subarray(at, at + BLOCK));
    out.push(toInt(b));
  }
  return out;
}

/** GHASH_H(A, C) with C's blocks given; Horner's rule over A, C and the length block. */
function ghash(h: bigint, aad: Uint8Array, c: readonly bigint[], cBytes: number): bigint {
  const lengths = (BigInt(aad.length * 8) << 64n) | BigInt(cBytes * 8);
  let y = 0n;
  for (const x of [...blocksOf(aad), ...c, lengths]) y = gfMul(y ^ x, h);
  return y;
}

/**
 * A ciphertext (blocks `c`, all of them 16 bytes, tag appended) valid under both keys: block `free` of `c` is
 * replaced by the one solution of T1 = T2.
 */
export function collide(
  k1: Uint8Array,
  k2: Uint8Array,
  nonce: Uint8Array,
  aad: Uint8Array,
  c: readonly Uint8Array[],
  free: number,
): Uint8Array {
  const h1 = toInt(aesBlock(k1, new Uint8Array(BLOCK)));
  const h2 = toInt(aesBlock(k2, new Uint8Array(BLOCK)));
  const e = toInt(aesBlock(k1, counterBlock(nonce, 1))) ^ toInt(aesBlock(k2, counterBlock(nonce, 1)));
  const blocks = c.map(toInt);
  blocks[free] = 0n;
  const bytes = c.length * BLOCK;
  // T1 xor T2 with the free block zero; the free block x adds x·(H1^p xor H2^p), p its power in GHASH.
  const rest = ghash(h1, aad, blocks, bytes) ^ ghash(h2, aad, blocks, bytes) ^ e;
  const power = c.length - free + 1;
  let p1 = ONE;
  let p2 = ONE;
  for (let i = 0; i < power; i++) [p1, p2] = [gfMul(p1, h1), gfMul(p2, h2)];
  blocks[free] = gfMul(rest, gfInv(p1 ^ p2));
  const tag = ghash(h1, aad, blocks, bytes) ^ toInt(aesBlock(k1, counterBlock(nonce, 1)));
  return Uint8Array.from(Buffer.concat([...blocks.map(toBlock), toBlock(tag)]));
}
