/**
 * Feldman VSS at the module's boundary (the behaviour through the bindings is in test/cases/vss.ts, which
 * also runs in Chromium): for the same random bytes dta_vss_deal gives the shares of dta_shamir_split and
 * commitments equal to noble's a_j·G1 for a_j = the 64-byte blocks mod r; a refused call zeroes its
 * outputs; and the C code leaves no coefficient or share of a dealing, nor the share it verified, on its
 * stack (checked with the bindings' stack wipe switched off).
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCore, ErrorCode, loadCoreModule } from '../../src/core/index.ts';
import type { Core } from '../../src/core/types.ts';
import { Arena } from '../../src/core/wasm/arena.ts';
import type { CoreExports } from '../../src/core/wasm/exports.ts';

const R = bls12_381.fields.Fr.ORDER;
const G1 = bls12_381.G1.Point;

const bigEndian = (b: Uint8Array): bigint => b.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n);
function toBytes(v: bigint, len: number, littleEndian = false): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++, v >>= 8n) out[littleEndian ? i : len - 1 - i] = Number(v & 0xffn);
  return out;
}
/** The forms a scalar of Fr takes inside the core: big-endian, little-endian limbs, Montgomery (R = 2^256). */
const scalarForms = (x: bigint): Uint8Array[] => [
  toBytes(x, 32),
  toBytes(x, 32, true),
  toBytes((x << 256n) % R, 32, true),
];

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Deterministic "random" bytes: (t - 1) blocks of 64. */
const randomBlocks = (t: number): Uint8Array =>
  Uint8Array.from({ length: (t - 1) * 64 }, (_, i) => (i * 37 + 11) & 0xff);

let exports: CoreExports;
let arena: Arena;
beforeAll(async () => {
  exports = (await loadCoreModule()).exports;
  arena = new Arena(exports);
});

describe('dta_vss_deal', () => {
  it('gives the shares of dta_shamir_split and commitments a_j·G1 for the same random bytes', () => {
    const [t, n] = [4, 6];
    const secret = 0x1234_5678_9abc_def0n;
    const random = randomBlocks(t);
    const out = arena.run((a) => {
      const [shares, commitments, plain] = [a.alloc(32 * n), a.alloc(48 * t), a.alloc(32 * n)];
      const [s, rnd] = [a.put(toBytes(secret, 32)), a.put(random)];
      expect(exports.dta_vss_deal(shares, commitments, s, t, n, rnd)).toBe(ErrorCode.OK);
      expect(exports.dta_shamir_split(plain, s, t, n, rnd)).toBe(ErrorCode.OK);
      return { shares: a.read(shares, 32 * n), commitments: a.read(commitments, 48 * t), plain: a.read(plain, 32 * n) };
    });
    expect(out.shares).toEqual(out.plain);
    const a = [
      secret,
      ...Array.from({ length: t - 1 }, (_, j) => bigEndian(random.subarray(64 * j, 64 * (j + 1))) % R),
    ];
    a.forEach((aj, j) => {
      expect(out.commitments.subarray(48 * j, 48 * (j + 1))).toEqual(G1.BASE.multiply(aj).toBytes(true));
    });
    for (let i = 1; i <= n; i++) {
      const f = a.reduceRight((acc, aj) => (acc * BigInt(i) + aj) % R, 0n);
      expect(bigEndian(out.shares.subarray(32 * (i - 1), 32 * i))).toBe(f);
    }
  });

  it('zeroes both outputs when it refuses a secret', () => {
    for (const [secret, code] of [
      [0n, ErrorCode.BAD_SCALAR],
      [R, ErrorCode.BAD_SCALAR],
    ] as const) {
      const [shares, commitments] = arena.run((a) => {
        const [sh, c] = [a.put(new Uint8Array(96).fill(0xaa)), a.put(new Uint8Array(96).fill(0xaa))];
        expect(exports.dta_vss_deal(sh, c, a.put(toBytes(secret, 32)), 2, 3, a.put(randomBlocks(2)))).toBe(code);
        return [a.read(sh, 96), a.read(c, 96)];
      });
      expect(shares.every((b) => b === 0)).toBe(true);
      expect(commitments.every((b) => b === 0)).toBe(true);
    }
  });

  it('zeroes the public share when a commitment is refused', () => {
    const off = new Uint8Array(48).fill(0x11); // no compression flag: a malformed encoding
    const out = arena.run((a) => {
      const o = a.put(new Uint8Array(48).fill(0xaa));
      expect(exports.dta_vss_public_share(o, 1, a.put(off), 1)).toBe(ErrorCode.BAD_ENCODING);
      return a.read(o, 48);
    });
    expect(out.every((b) => b === 0)).toBe(true);
  });
});

describe('what the C code leaves on its stack (bindings wipe switched off)', () => {
  let core: Core;
  let wipeStack: () => void;
  const stack = () => new Uint8Array(exports.memory.buffer).subarray(0, Number(exports.__heap_base.value));

  beforeAll(async () => {
    const loaded = await loadCoreModule();
    wipeStack = loaded.exports.dta_wipe_stack;
    exports = { ...loaded.exports, dta_wipe_stack: () => {} } as CoreExports;
    core = await createCore({ module: { instance: loaded.instance, exports } });
    arena = new Arena(exports);
  });

  it('no coefficient and no share of a dealing', () => {
    const [t, n] = [3, 5];
    const secret = 0xfeed_beef_cafe_f00dn;
    const random = randomBlocks(t);
    wipeStack();
    const shares = arena.run((a) => {
      const sh = a.alloc(32 * n);
      const rc = exports.dta_vss_deal(sh, a.alloc(48 * t), a.put(toBytes(secret, 32)), t, n, a.put(random));
      expect(rc).toBe(ErrorCode.OK);
      return a.read(sh, 32 * n);
    });
    const memory = stack();
    const coefficients = [1, 2].map((j) => bigEndian(random.subarray(64 * (j - 1), 64 * j)) % R);
    const values = Array.from({ length: n }, (_, i) => bigEndian(shares.subarray(32 * i, 32 * (i + 1))));
    for (const x of [secret, ...coefficients, ...values]) {
      for (const form of scalarForms(x)) expect(contains(memory, form)).toBe(false);
    }
  });

  it('not the share it verified, nor the terms it summed', () => {
    const { shares, commitments } = core.vss.deal(toBytes(0xabcdefn, 32), 3, 5);
    const share = shares[2]!;
    wipeStack();
    expect(core.vss.verify(share, commitments)).toBe(true);
    const terms = [core.vss.random(), core.vss.random()];
    const total = core.vss.sum(terms);
    const memory = stack();
    for (const x of [share.value, ...terms, total].map(bigEndian)) {
      for (const form of scalarForms(x)) expect(contains(memory, form)).toBe(false);
    }
  });
});
