/**
 * M-Pin bad input: malformed points, points off the curve or outside the
 * subgroup, the point at infinity, wrong lengths, scalars >= r, PINs out
 * of range, GT values outside GT, missing arguments. Each throws its named
 * error (asserted on `name`), never a crash, never a "false" login.
 * Invalid points are built by hand in Milagro's encodings (noble refuses
 * to encode them).
 * @module
 */

import { numberToBytesBE } from '@noble/curves/utils.js';
import type { CoreLike } from '../../src/core/types.ts';
import { assert, rejectsWith } from './lib/assert.ts';
import { hashToG1, MB, milagroPairing, mpinG1, mpinG2, mpinScalar } from './lib/mpin-oracle.ts';
import { bls, concat, Fp2, G1, G2, g1NoPointX, g1OffSubgroup, g2OffSubgroup, P, R, toBigInt } from './lib/noble.ts';

type Mpin = CoreLike['mpin'];
type Fp2T = ReturnType<typeof Fp2.create>;

const fp = (x: bigint): Uint8Array => numberToBytesBE(x, MB);
const g1Raw = (x: bigint, y: bigint, prefix = 4): Uint8Array => concat(Uint8Array.of(prefix), fp(x), fp(y));
const g2Raw = (x: Fp2T, y: Fp2T): Uint8Array => concat(fp(x.c0), fp(x.c1), fp(y.c0), fp(y.c1));

/** A valid session's values, so each test breaks exactly one input. */
async function session(m: Mpin) {
  const id = new TextEncoder().encode('bad-input@example.org');
  const s = await m.masterSecret();
  const hid = await m.hashId(id);
  const ss = await m.serverSecret(s);
  const token = await m.extractPin(id, 1111, await m.clientSecret(s, hid));
  const p1 = await m.client1({ id, pin: 1111, token });
  const y = await m.randomScalar();
  const v = await m.client2(p1.x, y, p1.sec);
  const { hid: hidPoint } = await m.server1(id);
  return { id, s, hid, ss, token, p1, y, v, hidPoint };
}

/** Bad G1 encodings and the error each must give. */
function badG1(): [string, Uint8Array, string][] {
  const a = G1.BASE.multiply(5n).toAffine();
  const off = g1OffSubgroup(12345n);
  const noX = g1NoPointX(99n);
  return [
    ['96 bytes (no prefix)', mpinG1(G1.BASE).subarray(1), 'BadLengthError'],
    ['98 bytes', concat(mpinG1(G1.BASE), Uint8Array.of(0)), 'BadLengthError'],
    ['prefix 02 with 97 bytes', g1Raw(a.x, a.y, 2), 'BadEncodingError'],
    ['prefix 00', g1Raw(a.x, a.y, 0), 'BadEncodingError'],
    ['x >= p', g1Raw(a.x + P, a.y), 'BadEncodingError'],
    ['y = p', g1Raw(a.x, P), 'BadEncodingError'],
    ['y + 1', g1Raw(a.x, (a.y + 1n) % P), 'NotOnCurveError'],
    ['x with no point', g1Raw(noX, 1n), 'NotOnCurveError'],
    ['on the curve, outside G1', g1Raw(off.x, off.y), 'NotInSubgroupError'],
    ['04 || 0 || 0', g1Raw(0n, 0n), 'InfinityError'],
  ];
}

function badG2(): [string, Uint8Array, string][] {
  const a = G2.BASE.multiply(5n).toAffine();
  const off = g2OffSubgroup(777n);
  const yPlus = Fp2.create({ c0: a.y.c0, c1: (a.y.c1 + 1n) % P });
  return [
    ['191 bytes', mpinG2(G2.BASE).subarray(1), 'BadLengthError'],
    ['96 bytes', mpinG2(G2.BASE).subarray(0, 96), 'BadLengthError'],
    ['x.re >= p', concat(fp(a.x.c0 + P), mpinG2(G2.BASE.multiply(5n)).subarray(MB)), 'BadEncodingError'],
    ['y.im + 1', g2Raw(a.x, yPlus), 'NotOnCurveError'],
    ['on the curve, outside G2', g2Raw(off.x, off.y), 'NotInSubgroupError'],
    ['all zero', new Uint8Array(192), 'InfinityError'],
  ];
}

export const mpinBadPoints = {
  'every G1 input rejects malformed and invalid points by name': async (core: CoreLike) => {
    const m = core.mpin;
    const x = await session(m);
    for (const [what, bad, name] of badG1()) {
      await rejectsWith(name, () => m.recombineG1([x.p1.u, bad]), `recombineG1(${what})`);
      await rejectsWith(name, () => m.extractPin(x.id, 1, bad), `extractPin(${what})`);
      await rejectsWith(name, () => m.g1Mul(x.y, bad), `g1Mul(${what})`);
      await rejectsWith(name, () => m.client1({ id: x.id, pin: 1111, token: bad }), `client1 token (${what})`);
      await rejectsWith(name, () => m.client2(x.p1.x, x.y, bad), `client2 sec (${what})`);
      const login = { hid: x.hidPoint, y: x.y, serverSecret: x.ss, u: x.p1.u, v: x.v };
      await rejectsWith(name, () => m.server2({ ...login, v: bad }), `server2 V (${what})`);
      await rejectsWith(name, () => m.server2({ ...login, u: bad }), `server2 U (${what})`);
      await rejectsWith(name, () => m.server2({ ...login, hid: bad }), `server2 HID (${what})`);
      await rejectsWith(
        name,
        () => m.server({ id: x.id, time: 1, serverSecret: x.ss, u: x.p1.u, v: bad }),
        `server V (${what})`,
      );
      await rejectsWith(name, () => m.pairing(bad, x.ss), `pairing (${what})`);
    }
  },

  'every G2 input rejects malformed and invalid points by name': async (core: CoreLike) => {
    const m = core.mpin;
    const x = await session(m);
    for (const [what, bad, name] of badG2()) {
      await rejectsWith(name, () => m.recombineG2([x.ss, bad]), `recombineG2(${what})`);
      const login = { hid: x.hidPoint, y: x.y, serverSecret: x.ss, u: x.p1.u, v: x.v };
      await rejectsWith(name, () => m.server2({ ...login, serverSecret: bad }), `server2 SS (${what})`);
      await rejectsWith(name, () => m.server2({ ...login, pa: bad }), `server2 Pa (${what})`);
      await rejectsWith(name, () => m.pairing(x.p1.u, bad), `pairing (${what})`);
      await rejectsWith(name, () => m.precompute(x.token, x.hid, bad), `precompute Pa (${what})`);
    }
  },

  'a valid but wrong login is false, not an error': async (core: CoreLike) => {
    const m = core.mpin;
    const x = await session(m);
    const other = mpinG1(hashToG1(new Uint8Array([1, 2, 3])));
    assert((await m.server2({ hid: x.hidPoint, y: x.y, serverSecret: x.ss, u: x.p1.u, v: other })) === false, 'false');
  },
};

export const mpinBadScalars = {
  'scalars: wrong length, >= r, high bytes set': async (core: CoreLike) => {
    const m = core.mpin;
    const x = await session(m);
    const cases: [string, Uint8Array, string][] = [
      ['32 bytes', numberToBytesBE(5n, 32), 'BadLengthError'],
      ['r', mpinScalar(R), 'BadScalarError'],
      ['2^256 - 1', mpinScalar((1n << 256n) - 1n), 'BadScalarError'],
      ['a bit above 2^256', mpinScalar(1n << 300n), 'BadScalarError'],
    ];
    for (const [what, bad, name] of cases) {
      await rejectsWith(name, () => m.serverSecret(bad), `serverSecret(${what})`);
      await rejectsWith(name, () => m.clientSecret(bad, x.hid), `clientSecret(${what})`);
      await rejectsWith(name, () => m.clientPermit(5, bad, x.hid), `clientPermit(${what})`);
      await rejectsWith(name, () => m.g1Mul(bad, x.p1.u), `g1Mul(${what})`);
      await rejectsWith(name, () => m.client1({ id: x.id, pin: 1111, token: x.token, x: bad }), `client1 x (${what})`);
      await rejectsWith(name, () => m.client2(bad, x.y, x.p1.sec), `client2 x (${what})`);
      await rejectsWith(name, () => m.client2(x.p1.x, bad, x.p1.sec), `client2 y (${what})`);
      await rejectsWith(name, () => m.dvsKeyPair(bad), `dvsKeyPair(${what})`);
    }
    await rejectsWith('BadScalarError', () => m.dvsKeyPair(mpinScalar(0n)), 'dvsKeyPair(0)');
    await rejectsWith('BadLengthError', () => m.randomScalar(new Uint8Array(32)), 'randomScalar(32 bytes)');
    await rejectsWith('BadLengthError', () => m.clientSecret(x.s, x.hid.subarray(1)), 'clientSecret(47-byte hid)');
  },
};

export const mpinBadArguments = {
  'PINs, factors, dates and lists out of range': async (core: CoreLike) => {
    const m = core.mpin;
    const x = await session(m);
    const cs = await m.restorePin(x.id, 1111, x.token);
    for (const pin of [10000, -1, 1.5, Number.NaN]) {
      await rejectsWith('BadArgumentError', () => m.extractPin(x.id, pin, cs), `extractPin(pin ${pin})`);
      await rejectsWith('BadArgumentError', () => m.client1({ id: x.id, pin, token: x.token }), `client1(pin ${pin})`);
    }
    await rejectsWith('BadArgumentError', () => m.extractFactor(x.id, 256, 8, cs), 'factor 256 in 8 bits');
    await rejectsWith('BadArgumentError', () => m.extractFactor(x.id, 1, 0, cs), '0 bits');
    await rejectsWith('BadArgumentError', () => m.extractFactor(x.id, 1, 33, cs), '33 bits');
    await rejectsWith('BadArgumentError', () => m.clientPermit(0, x.s, x.hid), 'permit for date 0');
    await rejectsWith('BadArgumentError', () => m.recombineG1([]), 'recombineG1([])');
    await rejectsWith('BadArgumentError', () => m.recombineG2([]), 'recombineG2([])');
    await rejectsWith('BadArgumentError', () => m.hashId('alice' as unknown as Uint8Array), 'hashId(string)');
    // A date needs its permit, UT and HTID.
    await rejectsWith(
      'BadArgumentError',
      () => m.client1({ id: x.id, pin: 1111, token: x.token, date: 7 }),
      'date, no permit',
    );
    const login = { y: x.y, serverSecret: x.ss, v: x.v };
    await rejectsWith(
      'BadArgumentError',
      () => m.server2({ ...login, date: 7, hid: x.hidPoint, u: x.p1.u }),
      'date, no HTID/UT',
    );
    await rejectsWith('BadArgumentError', () => m.server2({ ...login, hid: x.hidPoint }), 'no U');
    await rejectsWith('BadArgumentError', () => m.server2(undefined as never), 'no argument object');
  },

  'GT inputs: wrong length, non-canonical, outside GT': async (core: CoreLike) => {
    const m = core.mpin;
    const x = await session(m);
    const pre = await m.precompute(x.token, x.hid);
    const r = await m.randomScalar();
    const args = { ...pre, pin: 1111, r, x: x.p1.x, h: x.y, t: x.p1.u };
    await rejectsWith(
      'BadLengthError',
      () => m.clientKey({ ...args, g1pre: pre.g1pre.subarray(1) }),
      'GT of 575 bytes',
    );
    const nonCanonical = pre.g2pre.slice();
    nonCanonical.set(fp(toBigInt(pre.g2pre.subarray(0, MB)) + P), 0);
    await rejectsWith('BadEncodingError', () => m.clientKey({ ...args, g2pre: nonCanonical }), 'a coefficient >= p');
    // A unitary element of the cyclotomic subgroup outside GT: the easy part of the final exponentiation of
    // a random element; and the all-zero string and 1 + 1 (not unitary).
    const Fp12 = bls.fields.Fp12;
    const f = bls.pairing(G1.BASE, G2.BASE);
    const c = (a: bigint, b: bigint) => Fp2.create({ c0: a, c1: b });
    const g = Fp12.create({
      c0: { c0: c(1n, 2n), c1: c(3n, 0n), c2: c(0n, 5n) },
      c1: { c0: c(7n, 1n), c1: c(0n, 0n), c2: c(4n, 9n) },
    });
    const t = Fp12.mul(Fp12.conjugate(g), Fp12.inv(g));
    const easy = Fp12.mul(Fp12.frobeniusMap(t, 2), t);
    assert(!Fp12.eql(Fp12.pow(easy, R), Fp12.ONE), 'the test element is outside GT');
    const bytesOf = (e: typeof f) => {
      const m2 = { a: [e.c0.c0, e.c1.c1], b: [e.c1.c0, e.c0.c2], c: [e.c0.c1, e.c1.c2] };
      return concat(...[m2.a, m2.b, m2.c].flatMap((q) => q.flatMap((v) => [fp(v.c0), fp(v.c1)])));
    };
    for (const [what, bad] of [
      ['cyclotomic, outside GT', bytesOf(easy)],
      ['zero', new Uint8Array(576)],
      ['2 (not unitary)', bytesOf(Fp12.add(Fp12.ONE, Fp12.ONE))],
    ] as const) {
      await rejectsWith('NotInSubgroupError', () => m.clientKey({ ...args, g1pre: bad }), `clientKey g1pre ${what}`);
    }
    await rejectsWith(
      'NotInSubgroupError',
      () => m.pinError({ e: bytesOf(easy), f: pre.g2pre }),
      'pinError e outside GT',
    );
    await rejectsWith(
      'BadLengthError',
      () => m.pinError({ e: pre.g1pre, f: pre.g2pre.subarray(2) }),
      'pinError f of 574 bytes',
    );
    await rejectsWith(
      'BadArgumentError',
      () => m.pinErrorValues({ date: 3, hid: x.hidPoint, u: x.p1.u, y: x.y, serverSecret: x.ss, v: x.v }),
      'pinErrorValues: a date without HTID and UT',
    );
    // A real pairing value passes the same check.
    const ok = await m.clientKey({ ...args, g1pre: milagroPairing(G1.BASE, G2.BASE) });
    assert(ok.length === 16, 'a GT value is accepted');
  },
};
