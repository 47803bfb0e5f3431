/**
 * Bad input: every invalid point, scalar, length or argument throws its
 * named error (asserted on `name`), never a crash and never a wrong "valid".
 * Points outside the subgroup are built from noble's field square roots;
 * non-canonical encodings add p to a coordinate of a valid point.
 * @module
 */
import fc from 'fast-check';
import type { CoreLike, GroupApi, LikeNamespace } from '../../src/core/types.ts';
import { assert, rejectsWith } from './lib/assert.ts';
import {
  concat,
  FP_BYTES,
  G1,
  G2,
  g1NoPointX,
  g1OffSubgroup,
  g1Raw,
  g1WithSmallX,
  g2NoPointX,
  g2OffSubgroup,
  g2Raw,
  g2WithSmallX,
  P,
  R,
  scalarBytes,
  wideFp,
} from './lib/noble.ts';

type Group = LikeNamespace<GroupApi>;

/** Every entry point that decodes a point of group `g` from `bytes` must throw `name`. */
async function everyDecoderRejects(core: CoreLike, g: 'g1' | 'g2', bytes: Uint8Array, name: string, what: string) {
  const G: Group = core[g];
  await rejectsWith(name, () => G.validate(bytes), `${g}.validate(${what})`);
  await rejectsWith(name, () => G.compress(bytes), `${g}.compress(${what})`);
  await rejectsWith(name, () => G.uncompress(bytes), `${g}.uncompress(${what})`);
  assert((await G.isValid(bytes)) === false, `${g}.isValid(${what}) is false`);
  const s = await core.sizes;
  const full = g === 'g1' ? s.g1Uncompressed : s.g2Uncompressed;
  if (bytes.length !== full) return;
  const gen = await G.generator();
  await rejectsWith(name, () => G.add(bytes, gen), `${g}.add(${what})`);
  await rejectsWith(name, () => G.neg(bytes), `${g}.neg(${what})`);
  await rejectsWith(name, () => G.mult(bytes, scalarBytes(3n)), `${g}.mult(${what})`);
  await rejectsWith(name, () => G.multPublic(bytes, scalarBytes(3n)), `${g}.multPublic(${what})`);
  await rejectsWith(name, () => G.msm([gen, bytes], [scalarBytes(1n), scalarBytes(2n)]), `${g}.msm(${what})`);
}

function withFlags(b: Uint8Array, set: number, clear = 0): Uint8Array {
  const out = b.slice();
  out[0] = (out[0]! | set) & ~clear;
  return out;
}

export const badPoints = {
  'G1 points off the curve': async (core: CoreLike) => {
    const a = G1.BASE.multiply(7n).toAffine();
    await everyDecoderRejects(core, 'g1', g1Raw(a.x, a.y + 1n, false), 'NotOnCurveError', 'y + 1');
    const x = g1NoPointX(5n);
    await everyDecoderRejects(core, 'g1', g1Raw(x, 0n, true), 'NotOnCurveError', 'x with no y');
  },

  'G2 points off the curve': async (core: CoreLike) => {
    const a = G2.BASE.multiply(7n).toAffine();
    const y = { c0: a.y.c0, c1: (a.y.c1 + 1n) % P };
    await everyDecoderRejects(core, 'g2', g2Raw(a.x, y, false), 'NotOnCurveError', 'y.c1 + 1');
    await everyDecoderRejects(
      core,
      'g2',
      g2Raw(g2NoPointX(5n), { c0: 0n, c1: 0n }, true),
      'NotOnCurveError',
      'x with no y',
    );
  },

  'G1 points on the curve outside the subgroup': async (core: CoreLike) => {
    for (const seed of [1n, 1000n, P - 1000n]) {
      const { x, y } = g1OffSubgroup(seed);
      await everyDecoderRejects(core, 'g1', g1Raw(x, y, true), 'NotInSubgroupError', `compressed, seed ${seed}`);
      await everyDecoderRejects(core, 'g1', g1Raw(x, y, false), 'NotInSubgroupError', `uncompressed, seed ${seed}`);
    }
  },

  'G2 points on the curve outside the subgroup': async (core: CoreLike) => {
    for (const seed of [1n, 1000n]) {
      const { x, y } = g2OffSubgroup(seed);
      await everyDecoderRejects(core, 'g2', g2Raw(x, y, true), 'NotInSubgroupError', `compressed, seed ${seed}`);
      await everyDecoderRejects(core, 'g2', g2Raw(x, y, false), 'NotInSubgroupError', `uncompressed, seed ${seed}`);
    }
  },

  'non-canonical coordinates (x + p, y + p, x = p) are refused': async (core: CoreLike) => {
    const a = g1WithSmallX();
    const c = wideFp(a.x + P);
    await everyDecoderRejects(
      core,
      'g1',
      withFlags(c, 0x80 | (g1Raw(a.x, a.y, true)[0]! & 0x20)),
      'BadEncodingError',
      'G1 x + p',
    );
    await everyDecoderRejects(core, 'g1', concat(c, wideFp(a.y)), 'BadEncodingError', 'G1 uncompressed x + p');
    await everyDecoderRejects(core, 'g1', concat(wideFp(a.x), wideFp(a.y + P)), 'BadEncodingError', 'G1 y + p');
    await everyDecoderRejects(core, 'g1', withFlags(wideFp(P), 0x80), 'BadEncodingError', 'G1 x = p');
    const b = g2WithSmallX();
    const good = g2Raw(b.x, b.y, true);
    const c1 = withFlags(wideFp(b.x.c1 + P), good[0]! & 0xe0);
    await everyDecoderRejects(core, 'g2', concat(c1, good.subarray(FP_BYTES)), 'BadEncodingError', 'G2 x.c1 + p');
    const c0 = concat(good.subarray(0, FP_BYTES), wideFp(b.x.c0 + P));
    await everyDecoderRejects(core, 'g2', c0, 'BadEncodingError', 'G2 x.c0 + p');
    const u = g2Raw(b.x, b.y, false);
    const y0 = concat(u.subarray(0, 3 * FP_BYTES), wideFp(b.y.c0 + P));
    await everyDecoderRejects(core, 'g2', y0, 'BadEncodingError', 'G2 y.c0 + p');
  },

  'wrong flag bits are refused': async (core: CoreLike) => {
    for (const [g, P1] of [
      ['g1', G1],
      ['g2', G2],
    ] as const) {
      const p = P1.BASE.multiply(11n);
      const [c, u] = [p.toBytes(true), p.toBytes(false)];
      const inf = P1.ZERO.toBytes(true);
      await everyDecoderRejects(
        core,
        g,
        withFlags(c, 0, 0x80),
        'BadEncodingError',
        'compressed size without the c flag',
      );
      await everyDecoderRejects(core, g, withFlags(u, 0x80), 'BadEncodingError', 'uncompressed size with the c flag');
      await everyDecoderRejects(core, g, withFlags(u, 0x20), 'BadEncodingError', 'uncompressed with the s flag');
      await everyDecoderRejects(core, g, withFlags(c, 0x40), 'BadEncodingError', 'infinity flag with x != 0');
      await everyDecoderRejects(core, g, withFlags(inf, 0x20), 'BadEncodingError', 'infinity with the s flag');
      const infU = P1.ZERO.toBytes(false);
      await everyDecoderRejects(
        core,
        g,
        withFlags(infU, 0x20),
        'BadEncodingError',
        'uncompressed infinity with the s flag',
      );
      const yNonZero = infU.slice();
      yNonZero[yNonZero.length - 1] = 1;
      await everyDecoderRejects(core, g, yNonZero, 'BadEncodingError', 'uncompressed infinity with y != 0');
    }
  },

  'wrong lengths are refused': async (core: CoreLike) => {
    const s = await core.sizes;
    for (const [g, lens] of [
      ['g1', [0, 1, s.g1Compressed - 1, s.g1Compressed + 1, s.g1Uncompressed - 1, s.g1Uncompressed + 1]],
      ['g2', [0, s.g2Compressed - 1, s.g2Compressed + 1, s.g2Uncompressed - 1, s.g2Uncompressed + 1]],
    ] as const) {
      for (const len of lens) {
        const b = new Uint8Array(len).fill(0x11);
        if (len > 0) b[0] = 0x91;
        await rejectsWith('BadLengthError', () => core[g].validate(b), `${g}.validate of ${len} bytes`);
      }
      // Arithmetic takes uncompressed points only.
      const c = await core[g].compress(await core[g].generator());
      await rejectsWith('BadLengthError', () => core[g].add(c, c), `${g}.add of compressed points`);
      const gen = await core[g].generator();
      await rejectsWith('BadLengthError', () => core[g].mult(gen, new Uint8Array(31)), `${g}.mult of a 31-byte scalar`);
    }
    await rejectsWith('BadLengthError', () => core.bls.skToPk(new Uint8Array(31)), 'skToPk of 31 bytes');
    await rejectsWith('BadLengthError', () => core.bls.keygen(new Uint8Array(31)), 'keygen with 31 bytes of ikm');
    await rejectsWith(
      'BadLengthError',
      () => core.hash.hkdfExpand(new Uint8Array(32), new Uint8Array(0), 255 * 32 + 1),
      'hkdfExpand > 8160',
    );
    await rejectsWith(
      'BadLengthError',
      () => core.hash.expandMessageXmd(new Uint8Array(0), new Uint8Array(1), 255 * 32 + 1),
      'xmd > 8160',
    );
  },

  'random bytes never decode as a point noble refuses': async (core: CoreLike) => {
    // Compressed-looking strings: the c flag set, x random, sometimes below p.
    const arb = fc.tuple(
      fc.constantFrom(0x80, 0xa0, 0xc0, 0xe0, 0x00),
      fc.uint8Array({ minLength: 47, maxLength: 47 }),
    );
    await fc.assert(
      fc.asyncProperty(arb, async ([flags, rest]) => {
        const b = concat(new Uint8Array([flags | (rest[0]! & 0x1f)]), rest.subarray(1), new Uint8Array([rest[0]!]));
        let nobleOk = true;
        try {
          G1.fromBytes(b);
        } catch {
          nobleOk = false;
        }
        const ours = await core.g1.isValid(b);
        assert(ours === nobleOk, `isValid ${ours} but noble ${nobleOk ? 'accepts' : 'refuses'}`);
      }),
      { numRuns: 60 },
    );
  },
};

export const badKeysAndScalars = {
  'secret keys must be in [1, r)': async (core: CoreLike) => {
    const msg = new Uint8Array([1, 2, 3]);
    const dst = new Uint8Array([9]);
    for (const k of [0n, R, R + 1n, (1n << 256n) - 1n]) {
      const sk = scalarBytes(k);
      const what = k === 0n ? 'sk = 0' : `sk = r + ${k - R}`;
      await rejectsWith('BadScalarError', () => core.bls.skToPk(sk), `skToPk(${what})`);
      await rejectsWith('BadScalarError', () => core.bls.sign(sk, msg), `sign(${what})`);
      await rejectsWith('BadScalarError', () => core.bls.popProve(sk), `popProve(${what})`);
      await rejectsWith('BadScalarError', () => core.bls.minSig.skToPk(sk), `minSig.skToPk(${what})`);
      await rejectsWith('BadScalarError', () => core.bls.minSig.sign(sk, msg, dst), `minSig.sign(${what})`);
    }
  },

  'scalars must be below r (zero is a valid scalar)': async (core: CoreLike) => {
    for (const g of ['g1', 'g2'] as const) {
      const gen = await core[g].generator();
      for (const k of [R, R + 5n, (1n << 256n) - 1n]) {
        await rejectsWith('BadScalarError', () => core[g].mult(gen, scalarBytes(k)), `${g}.mult(r + ${k - R})`);
        await rejectsWith(
          'BadScalarError',
          () => core[g].multPublic(gen, scalarBytes(k)),
          `${g}.multPublic(r + ${k - R})`,
        );
        await rejectsWith(
          'BadScalarError',
          () => core[g].msm([gen, gen], [scalarBytes(1n), scalarBytes(k)]),
          `${g}.msm`,
        );
      }
      const zero = await core[g].mult(gen, scalarBytes(0n));
      const inf = (g === 'g1' ? G1 : G2).ZERO.toBytes(false);
      assert(
        zero.every((v, i) => v === inf[i]),
        `${g}.mult by 0 is infinity`,
      );
    }
    await rejectsWith('BadScalarError', () => core.shamir.split(scalarBytes(R), 2, 3), 'shamir.split of r');
  },
};

export const badBlsInput = {
  'the point at infinity is refused as a public key': async (core: CoreLike) => {
    const msg = new Uint8Array([7]);
    const sig = await core.bls.sign(scalarBytes(42n), msg);
    const pk = await core.bls.skToPk(scalarBytes(42n));
    const inf1 = G1.ZERO.toBytes(true);
    await rejectsWith('InfinityError', () => core.bls.verify(inf1, msg, sig), 'verify');
    await rejectsWith('InfinityError', () => core.bls.fastAggregateVerify([pk, inf1], msg, sig), 'fastAggregateVerify');
    await rejectsWith('InfinityError', () => core.bls.aggregateVerify([pk, inf1], [msg, msg], sig), 'aggregateVerify');
    await rejectsWith('InfinityError', () => core.bls.popVerify(inf1, sig), 'popVerify');
    const dst = new Uint8Array([1]);
    const inf2 = G2.ZERO.toBytes(true);
    const msig = await core.bls.minSig.sign(scalarBytes(42n), msg, dst);
    await rejectsWith('InfinityError', () => core.bls.minSig.verify(inf2, msg, msig, dst), 'minSig.verify');
    await rejectsWith('InfinityError', () => core.bls.minSig.fastAggregateVerify([inf2], msg, msig, dst), 'minSig FAV');
  },

  'the infinity signature never verifies': async (core: CoreLike) => {
    // Decoding it is legal (the draft has no signature identity check); the pairing equation then fails.
    const msg = new Uint8Array([7]);
    const pk = await core.bls.skToPk(scalarBytes(42n));
    const inf2 = G2.ZERO.toBytes(true);
    assert((await core.bls.verify(pk, msg, inf2)) === false, 'verify(pk, msg, infinity) is false');
    assert((await core.bls.fastAggregateVerify([pk], msg, inf2)) === false, 'FAV with the infinity signature is false');
    assert((await core.bls.popVerify(pk, inf2)) === false, 'popVerify with the infinity proof is false');
  },

  'invalid signatures and keys throw their named errors from verify': async (core: CoreLike) => {
    const msg = new Uint8Array([7]);
    const pk = await core.bls.skToPk(scalarBytes(42n));
    const sig = await core.bls.sign(scalarBytes(42n), msg);
    const { x, y } = g2OffSubgroup(77n);
    await rejectsWith(
      'NotInSubgroupError',
      () => core.bls.verify(pk, msg, g2Raw(x, y, true)),
      'verify, sig off subgroup',
    );
    await rejectsWith(
      'BadEncodingError',
      () => core.bls.verify(pk, msg, withFlags(sig, 0, 0x80)),
      'verify, sig without c flag',
    );
    const off = g1OffSubgroup(77n);
    await rejectsWith(
      'NotInSubgroupError',
      () => core.bls.verify(g1Raw(off.x, off.y, true), msg, sig),
      'verify, pk off subgroup',
    );
    await rejectsWith('BadLengthError', () => core.bls.verify(pk.subarray(1), msg, sig), 'verify, 47-byte pk');
    await rejectsWith('BadLengthError', () => core.bls.verify(pk, msg, sig.subarray(1)), 'verify, 95-byte sig');
  },

  'empty and mismatched lists are bad arguments': async (core: CoreLike) => {
    const msg = new Uint8Array([7]);
    const pk = await core.bls.skToPk(scalarBytes(42n));
    const sig = await core.bls.sign(scalarBytes(42n), msg);
    await rejectsWith('BadArgumentError', () => core.bls.aggregate([]), 'aggregate([])');
    await rejectsWith('BadArgumentError', () => core.bls.fastAggregateVerify([], msg, sig), 'FAV([])');
    await rejectsWith('BadArgumentError', () => core.bls.aggregateVerify([], [], sig), 'aggregateVerify([])');
    await rejectsWith(
      'BadArgumentError',
      () => core.bls.aggregateVerify([pk], [msg, msg], sig),
      'aggregateVerify 1 pk, 2 msgs',
    );
    await rejectsWith('BadArgumentError', () => core.pairing.check([], []), 'pairing.check([])');
    const g1 = await core.g1.generator();
    await rejectsWith('BadArgumentError', () => core.g1.msm([g1], []), 'msm 1 point, 0 scalars');
    await rejectsWith('BadArgumentError', () => core.g1.msm([], []), 'msm([])');
  },
};

export const badShamirInput = {
  'shamir arguments are checked': async (core: CoreLike) => {
    const secret = scalarBytes(99n);
    await rejectsWith('BadArgumentError', () => core.shamir.split(secret, 4, 3), 't > n');
    await rejectsWith('BadArgumentError', () => core.shamir.split(secret, 0, 3), 't = 0');
    await rejectsWith('BadArgumentError', () => core.shamir.split(secret, 2, 256), 'n = 256');
    const shares = await core.shamir.split(secret, 2, 3);
    await rejectsWith('BadArgumentError', () => core.shamir.recover([shares[0]!, shares[0]!]), 'duplicate index');
    await rejectsWith('BadArgumentError', () => core.shamir.recover([{ index: 0, value: secret }]), 'index 0');
    await rejectsWith('BadArgumentError', () => core.shamir.recover([]), 'no shares');
    await rejectsWith(
      'BadScalarError',
      () => core.shamir.recover([shares[0]!, { index: 2, value: scalarBytes(R) }]),
      'share >= r',
    );
    const { x, y } = g1OffSubgroup(5n);
    const bad = { index: 2, value: g1Raw(x, y, true) };
    const pk = { index: 1, value: await core.bls.skToPk(shares[0]!.value) };
    await rejectsWith(
      'NotInSubgroupError',
      () => core.shamir.recoverG1([pk, bad]),
      'recoverG1 with a point off the subgroup',
    );
    await rejectsWith('BadLengthError', () => core.shamir.recoverG2([pk]), 'recoverG2 with a G1 point');
  },
};
