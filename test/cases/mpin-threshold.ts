/**
 * t-of-n M-Pin issuing (docs/mpin.md#threshold), against the core in-process and (in Chromium) through the
 * worker. Expected points come from @noble/curves (the model of lib/mpin-oracle.ts):
 *  - recoverG1 / recoverG2 of any t of n shares f(i)·P give f(0)·P; t − 1 shares do not;
 *  - master-secret shares dealt by the core's VSS (as a DKG's are), padded to Milagro's 48-byte scalars,
 *    issue client- and server-secret shares whose any-t recombinations log in with the right PIN only;
 *  - a server-secret share verifies against its own public share from the commitments, not another's;
 *  - malformed shares (a flag bit set, a point off the curve, a repeated index) are refused.
 * @module
 */
import fc from 'fast-check';
import type { CoreLike } from '../../src/core/types.ts';
import { assert, assertBytes, rejectsWith, sameBytes } from './lib/assert.ts';
import { hashToG1, mpinG1, mpinG2 } from './lib/mpin-oracle.ts';
import { G2, R } from './lib/noble.ts';

type Mpin = CoreLike['mpin'];

/** f(x) = coefficients[0] + coefficients[1] x + ... mod r. */
function polyAt(coefficients: readonly bigint[], x: bigint): bigint {
  return coefficients.reduceRight((acc, c) => (acc * x + c) % R, 0n);
}

/** `count` distinct indices of 1..n, drawn from `seed`. */
function pickIndices(n: number, count: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i + 1);
  for (let i = all.length - 1; i > 0; i--) {
    const j = (seed * (i + 7)) % (i + 1);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, count);
}

/** A Milagro 48-byte scalar from a 32-byte Fr scalar (16 zero bytes first). */
function milagroScalar(fr: Uint8Array): Uint8Array {
  const out = new Uint8Array(48);
  out.set(fr, 16);
  return out;
}

async function twoPass(m: Mpin, id: Uint8Array, pin: number, token: Uint8Array, ss: Uint8Array): Promise<boolean> {
  const p1 = await m.client1({ id, pin, token });
  const y = await m.randomScalar();
  const v = await m.client2(p1.x, y, p1.sec);
  const { hid } = await m.server1(id);
  return m.server2({ hid, y, serverSecret: ss, u: p1.u, v });
}

const arbCoefficients = fc.array(fc.bigInt({ min: 1n, max: R - 1n }), { minLength: 1, maxLength: 4 });

export const mpinThreshold = {
  'recoverG1 and recoverG2 of any t of n shares give f(0)·P; t − 1 shares do not': async (core: CoreLike) => {
    const m = core.mpin;
    await fc.assert(
      fc.asyncProperty(arbCoefficients, fc.integer({ min: 0, max: 3 }), fc.nat(), async (coeffs, extra, seed) => {
        const t = coeffs.length;
        const n = t + extra;
        const a = hashToG1(Uint8Array.of(t, n, seed & 0xff));
        const picked = pickIndices(n, t, seed);
        // fast-check favours the scalars 1 and r − 1, so a share f(i) can be 0 mod r (54 + (r − 54) at i = 1): its
        // point would be infinity, which no share is.
        fc.pre(picked.every((i) => polyAt(coeffs, BigInt(i)) !== 0n));
        const g1 = picked.map((i) => ({ index: i, value: mpinG1(a.multiply(polyAt(coeffs, BigInt(i)))) }));
        const g2 = picked.map((i) => ({ index: i, value: mpinG2(G2.BASE.multiply(polyAt(coeffs, BigInt(i)))) }));
        assertBytes(await m.recoverG1(g1), mpinG1(a.multiply(coeffs[0]!)), 'G1 at 0');
        assertBytes(await m.recoverG2(g2), mpinG2(G2.BASE.multiply(coeffs[0]!)), 'G2 at 0');
        if (t > 1) {
          const fewer = await m.recoverG1(g1.slice(1));
          assert(!sameBytes(fewer, mpinG1(a.multiply(coeffs[0]!))), 't − 1 shares miss f(0)·P');
        }
      }),
      { numRuns: 6 },
    );
  },

  'master shares from a VSS dealing: any t client and server shares log in, the right PIN only': async (
    core: CoreLike,
  ) => {
    const m = core.mpin;
    const t = 3;
    const n = 5;
    const { shares, commitments } = await core.vss.deal(await core.vss.random(), t, n);
    const masters = shares.map((s) => milagroScalar(s.value));
    const id = new TextEncoder().encode('bafy-threshold-alice#1');
    const hid = await m.hashId(id);
    const client = await Promise.all(
      [1, 3, 5].map(async (i) => ({ index: i, value: await m.clientSecret(masters[i - 1]!, hid) })),
    );
    const server = await Promise.all(
      [2, 4, 5].map(async (i) => ({ index: i, value: await m.serverSecret(masters[i - 1]!) })),
    );
    const pin = 4711;
    const token = await m.extractPin(id, pin, await m.recoverG1(client));
    const ss = await m.recoverG2(server);
    assert(await twoPass(m, id, pin, token, ss), 'any 3 client shares and any 3 server shares: accepted');
    assert(!(await twoPass(m, id, 4712, token, ss)), 'a wrong PIN: refused');
    const twoServers = await m.recoverG2(server.slice(0, 2));
    assert(!(await twoPass(m, id, pin, token, twoServers)), 'only t − 1 server shares: refused');
    const summed = await m.recombineG2(server.map((s) => s.value));
    assert(!(await twoPass(m, id, pin, token, summed)), 'threshold shares added as n-of-n: refused');
    for (const s of server) {
      const own = await core.vss.publicShare(s.index, commitments);
      assert(await m.verifyServerShare(own, s.value), `server share ${s.index} matches its public share`);
      const other = await core.vss.publicShare((s.index % n) + 1, commitments);
      assert(!(await m.verifyServerShare(other, s.value)), `server share ${s.index} is not another index's`);
    }
  },

  'malformed shares are refused': async (core: CoreLike) => {
    const m = core.mpin;
    const a = hashToG1(Uint8Array.of(1));
    const p = mpinG1(a.multiply(5n));
    const q = mpinG2(G2.BASE.multiply(5n));
    const flagged = p.slice();
    flagged[1] = (flagged[1] ?? 0) | 0x40;
    await rejectsWith('BadEncodingError', () => m.recoverG1([{ index: 1, value: flagged }]), 'G1 infinity flag');
    const noPrefix = p.slice();
    noPrefix[0] = 0x02;
    await rejectsWith('BadEncodingError', () => m.recoverG1([{ index: 1, value: noPrefix }]), 'G1 without 04');
    const off = p.slice();
    off[96] = (off[96] ?? 0) ^ 1;
    await rejectsWith('NotOnCurveError', () => m.recoverG1([{ index: 1, value: off }]), 'G1 off the curve');
    const qFlagged = q.slice();
    qFlagged[48] = (qFlagged[48] ?? 0) | 0x80;
    await rejectsWith('BadEncodingError', () => m.recoverG2([{ index: 1, value: qFlagged }]), 'G2 flag bit');
    const twice = [
      { index: 2, value: p },
      { index: 2, value: p },
    ];
    await rejectsWith('BadArgumentError', () => m.recoverG1(twice), 'a repeated index');
    await rejectsWith('BadArgumentError', () => m.recoverG1([]), 'no shares');
    await rejectsWith('BadArgumentError', () => m.recoverG1([{ index: 0, value: p }]), 'index 0');
  },
};
