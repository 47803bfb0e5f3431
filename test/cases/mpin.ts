/**
 * M-Pin properties, against the core in-process and (in Chromium) through
 * the worker. Expected values come from the noble-based model of
 * lib/mpin-oracle.ts or from the protocol's algebra:
 *  - H(ID), shares and permits equal Milagro's mapit and multiples in noble;
 *  - GT bytes are noble's pairing in Milagro's tower, and that reordering
 *    is a field isomorphism (it commutes with Milagro's own product);
 *  - logins with 1-5 nodes: the right PIN is accepted, every wrong PIN
 *    tried is rejected, shares from a missing or foreign node are
 *    rejected, a permit for another date is rejected;
 *  - M-Pin Full: client and server keys are equal (and equal the model's),
 *    and differ when anything is tampered with;
 *  - after a wrong PIN the server recovers entered - registered exactly.
 * @module
 */
import fc from 'fast-check';
import type { CoreLike, MpinClientPass1 } from '../../src/core/types.ts';
import { assert, assertBytes, rejectsWith, sameBytes } from './lib/assert.ts';
import {
  fromMpinG1,
  fullKey,
  hashId,
  hashToG1,
  mapit,
  milagroBytes,
  milagroEqual,
  milagroMul,
  milagroPairing,
  mpinG1,
  mpinG2,
  mpinScalar,
  permitPoint,
  toMilagro,
} from './lib/mpin-oracle.ts';
import { bls, Fp2, G1, G2, R, toBigInt } from './lib/noble.ts';

type Mpin = CoreLike['mpin'];
const Fr = bls.fields.Fr;

const arbId = fc.uint8Array({ minLength: 0, maxLength: 64 });
const arbPin = fc.integer({ min: 0, max: 9999 });
const arbDate = fc.integer({ min: 1, max: 0xfffffffe });
const arbNodes = fc.integer({ min: 1, max: 5 });
const arbScalarN = fc.bigInt({ min: 1n, max: R - 1n });

/** A different PIN: pin + delta mod 10000, delta in 1..9999. */
const otherPin = (pin: number, delta: number): number => (pin + delta) % 10000;

/** One issuing round: n nodes, their master secrets, and what a client and a server receive. */
interface Issued {
  readonly masters: Uint8Array[];
  readonly serverSecret: Uint8Array;
  readonly clientShares: Uint8Array[];
  readonly token: Uint8Array;
}

async function issue(m: Mpin, id: Uint8Array, pin: number, nodes: number): Promise<Issued> {
  const masters: Uint8Array[] = [];
  for (let i = 0; i < nodes; i++) masters.push(await m.masterSecret());
  const hid = await m.hashId(id);
  const servers = await Promise.all(masters.map((s) => m.serverSecret(s)));
  const clientShares = await Promise.all(masters.map((s) => m.clientSecret(s, hid)));
  const cs = await m.recombineG1(clientShares);
  return { masters, serverSecret: await m.recombineG2(servers), clientShares, token: await m.extractPin(id, pin, cs) };
}

/** A two-pass login; true when the server accepts. */
async function twoPass(
  m: Mpin,
  id: Uint8Array,
  pin: number,
  token: Uint8Array,
  serverSecret: Uint8Array,
): Promise<boolean> {
  const p1 = await m.client1({ id, pin, token });
  const y = await m.randomScalar();
  const v = await m.client2(p1.x, y, p1.sec);
  const { hid } = await m.server1(id);
  return m.server2({ hid, y, serverSecret, u: p1.u, v });
}

/** A one-pass login with a time permit for `date`, checked by a server that believes it is `serverDate`. */
async function withPermit(
  m: Mpin,
  id: Uint8Array,
  pin: number,
  token: Uint8Array,
  permit: Uint8Array,
  date: number,
  serverDate: number,
  serverSecret: Uint8Array,
): Promise<boolean> {
  const time = 1_700_000_000;
  const c = await m.client({ id, pin, token, date, permit, time });
  return m.server({ id, date: serverDate, time, serverSecret, ut: c.ut!, v: c.v });
}

export const mpinModel = {
  'hashId, mapToG1, shares and permits equal the noble model of Milagro': async (core: CoreLike) => {
    const m = core.mpin;
    await fc.assert(
      fc.asyncProperty(arbId, arbScalarN, arbDate, async (id, s, date) => {
        const hid = await m.hashId(id);
        assertBytes(hid, hashId(id), 'hashId');
        const a = hashToG1(id);
        assertBytes(await m.mapToG1(hid), mpinG1(a), 'mapToG1');
        assertBytes(await m.clientSecret(mpinScalar(s), hid), mpinG1(a.multiply(s)), 'clientSecret');
        assertBytes(await m.serverSecret(mpinScalar(s)), mpinG2(G2.BASE.multiply(s)), 'serverSecret');
        assertBytes(
          await m.clientPermit(date, mpinScalar(s), hid),
          mpinG1(permitPoint(date, id).multiply(s)),
          'permit',
        );
      }),
      { numRuns: 6 },
    );
  },

  'mapToG1 gives even y before the cofactor, in the subgroup, deterministic': async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 48, maxLength: 48 }), async (w) => {
        const got = await core.mpin.mapToG1(w);
        assertBytes(got, mpinG1(mapit(w)), 'mapit of arbitrary 48 bytes');
        assert(fromMpinG1(got).isTorsionFree(), 'in G1');
      }),
      { numRuns: 8 },
    );
  },

  'recombination adds any number of G1 and G2 shares': async (core: CoreLike) => {
    const m = core.mpin;
    await fc.assert(
      fc.asyncProperty(fc.array(arbScalarN, { minLength: 1, maxLength: 6 }), async (ks) => {
        const sum = ks.reduce((x, k) => (x + k) % R, 0n);
        fc.pre(sum !== 0n); // shares summing to infinity are refused (InfinityError), not a sum to compare
        assertBytes(
          await m.recombineG1(ks.map((k) => mpinG1(G1.BASE.multiply(k)))),
          mpinG1(G1.BASE.multiply(sum)),
          'G1 sum',
        );
        assertBytes(
          await m.recombineG2(ks.map((k) => mpinG2(G2.BASE.multiply(k)))),
          mpinG2(G2.BASE.multiply(sum)),
          'G2 sum',
        );
      }),
      { numRuns: 4 },
    );
  },

  'PINs and factors: extract and restore are inverse, token = CS - pin H(ID)': async (core: CoreLike) => {
    const m = core.mpin;
    await fc.assert(
      fc.asyncProperty(
        arbId,
        arbScalarN,
        arbPin,
        fc.integer({ min: 1, max: 32 }),
        fc.nat(),
        async (id, s, pin, bits, f) => {
          const factor = bits === 32 ? f >>> 0 : f % 2 ** bits;
          const a = hashToG1(id);
          const cs = mpinG1(a.multiply(s));
          const token = await m.extractPin(id, pin, cs);
          assertBytes(token, mpinG1(a.multiply((s - BigInt(pin) + R) % R)), 'token');
          assertBytes(await m.restorePin(id, pin, token), cs, 'restorePin');
          const x = await m.extractFactor(id, factor, bits, cs);
          assertBytes(x, mpinG1(a.multiply((s - BigInt(factor) + R) % R)), 'extractFactor');
          assertBytes(await m.restoreFactor(id, factor, bits, x), cs, 'restoreFactor');
        },
      ),
      { numRuns: 5 },
    );
  },

  'the one-pass challenge is SHA-256(time || U || message) mod r': async (core: CoreLike) => {
    const { sha256 } = await import('@noble/hashes/sha2.js');
    await fc.assert(
      fc.asyncProperty(fc.nat(), arbScalarN, fc.uint8Array({ maxLength: 40 }), async (t, k, msg) => {
        const u = mpinG1(G1.BASE.multiply(k));
        const prefix = t > 0 ? Uint8Array.of(t >>> 24, (t >>> 16) & 255, (t >>> 8) & 255, t & 255) : new Uint8Array(0);
        const want = toBigInt(sha256(new Uint8Array([...prefix, ...u, ...msg]))) % R;
        assertBytes(await core.mpin.challenge(t, u, msg), mpinScalar(want), 'challenge');
      }),
      { numRuns: 6 },
    );
  },
};

export const mpinGt = {
  "pairing bytes are noble's e(P, Q) in Milagro's tower": async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(arbScalarN, arbScalarN, async (a, b) => {
        const p = G1.BASE.multiply(a),
          q = G2.BASE.multiply(b);
        assertBytes(await core.mpin.pairing(mpinG1(p), mpinG2(q)), milagroPairing(p, q), 'pairing');
      }),
      { numRuns: 2 },
    );
  },

  "the reordering to Milagro's tower is a ring isomorphism": async () => {
    const Fp12 = bls.fields.Fp12;
    const e = bls.pairing(G1.BASE, G2.BASE);
    const one = toMilagro(Fp12.ONE);
    assert(milagroEqual(milagroMul(one, toMilagro(e)), toMilagro(e)), '1 maps to 1');
    // Products of unrelated elements (pairing values and their Frobenius images) commute with the map.
    const xs = [e, Fp12.frobeniusMap(e, 1), Fp12.mul(e, Fp12.frobeniusMap(e, 3)), Fp12.sqr(Fp12.frobeniusMap(e, 5))];
    for (const x of xs) {
      for (const y of xs) {
        assert(
          milagroEqual(toMilagro(Fp12.mul(x, y)), milagroMul(toMilagro(x), toMilagro(y))),
          'phi(xy) = phi(x) phi(y)',
        );
      }
    }
    // w itself: W^3 = V and W^6 = 1 + i under the map.
    const zero2 = Fp2.ZERO,
      one2 = Fp2.ONE;
    const w = Fp12.create({ c0: { c0: zero2, c1: zero2, c2: zero2 }, c1: { c0: one2, c1: zero2, c2: zero2 } });
    const w3 = toMilagro(Fp12.mul(Fp12.sqr(w), w));
    assert(Fp2.eql(w3.a[1], one2) && milagroBytes(w3).filter((b) => b !== 0).length === 1, 'w^3 is V');
  },
};

export const mpinLogin = {
  'two-pass with 1-5 nodes: the right PIN is accepted, a wrong PIN rejected': async (core: CoreLike) => {
    const m = core.mpin;
    await fc.assert(
      fc.asyncProperty(arbId, arbPin, fc.integer({ min: 1, max: 9999 }), arbNodes, async (id, pin, delta, nodes) => {
        const { serverSecret, token } = await issue(m, id, pin, nodes);
        assert(await twoPass(m, id, pin, token, serverSecret), 'right PIN accepted');
        assert(!(await twoPass(m, id, otherPin(pin, delta), token, serverSecret)), 'wrong PIN rejected');
      }),
      { numRuns: 5 },
    );
  },

  'one-pass: right PIN, message and time accepted; any change rejected': async (core: CoreLike) => {
    const m = core.mpin;
    await fc.assert(
      fc.asyncProperty(
        arbId,
        arbPin,
        fc.integer({ min: 1, max: 9999 }),
        arbNodes,
        fc.uint8Array({ maxLength: 32 }),
        async (id, pin, delta, nodes, message) => {
          const { serverSecret, token } = await issue(m, id, pin, nodes);
          const time = 1_700_000_000;
          const c = await m.client({ id, pin, token, time, message });
          const ok = (args: { id?: Uint8Array; time?: number; message?: Uint8Array; v?: Uint8Array }) =>
            m.server({
              id: args.id ?? id,
              time: args.time ?? time,
              message: args.message ?? message,
              serverSecret,
              u: c.u,
              v: args.v ?? c.v,
            });
          assert(await ok({}), 'accepted');
          assertBytes(c.y, await m.challenge(time, c.u, message), 'y is the challenge');
          assert(!(await ok({ time: time + 1 })), 'another time rejected');
          assert(!(await ok({ message: new Uint8Array([...message, 0]) })), 'another message rejected');
          assert(!(await ok({ id: new Uint8Array([...id, 1]) })), 'another identity rejected');
          const wrong = await m.client({ id, pin: otherPin(pin, delta), token, time, message });
          assert(!(await ok({ v: wrong.v })), 'wrong PIN rejected');
        },
      ),
      { numRuns: 4 },
    );
  },

  'every wrong PIN of a sample of 40 is rejected, the right one accepted': async (core: CoreLike) => {
    const m = core.mpin;
    const id = new TextEncoder().encode('every-wrong-pin@example.org');
    const pin = 4321;
    const { serverSecret, token } = await issue(m, id, pin, 3);
    const pins = [0, 1, 9999, pin - 1, pin + 1, pin ^ 1, pin ^ 0x2000, 1234, 4312, 3421];
    while (pins.length < 40) pins.push(Math.floor(Math.random() * 10000));
    for (const p of pins.filter((x) => x !== pin && x >= 0 && x < 10000)) {
      assert(!(await twoPass(m, id, p, token, serverSecret)), `PIN ${p} rejected`);
    }
    assert(await twoPass(m, id, pin, token, serverSecret), 'right PIN accepted');
  },

  'shares from a missing or a different node are rejected': async (core: CoreLike) => {
    const m = core.mpin;
    await fc.assert(
      fc.asyncProperty(arbId, arbPin, fc.integer({ min: 2, max: 5 }), fc.nat(), async (id, pin, nodes, pick) => {
        const issued = await issue(m, id, pin, nodes);
        const hid = await m.hashId(id);
        const drop = pick % nodes;
        const missing = issued.clientShares.filter((_, i) => i !== drop);
        const tokenMissing = await m.extractPin(id, pin, await m.recombineG1(missing));
        assert(!(await twoPass(m, id, pin, tokenMissing, issued.serverSecret)), 'client secret missing a node');
        const foreign = [...issued.clientShares];
        foreign[drop] = await m.clientSecret(await m.masterSecret(), hid);
        const tokenForeign = await m.extractPin(id, pin, await m.recombineG1(foreign));
        assert(!(await twoPass(m, id, pin, tokenForeign, issued.serverSecret)), 'client share from a different node');
        const servers = await Promise.all(issued.masters.filter((_, i) => i !== drop).map((s) => m.serverSecret(s)));
        assert(
          !(await twoPass(m, id, pin, issued.token, await m.recombineG2(servers))),
          'server secret missing a node',
        );
        assert(await twoPass(m, id, pin, issued.token, issued.serverSecret), 'all nodes: accepted');
      }),
      { numRuns: 3 },
    );
  },

  'time permits: accepted for their date only': async (core: CoreLike) => {
    const m = core.mpin;
    await fc.assert(
      fc.asyncProperty(
        arbId,
        arbPin,
        arbNodes,
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 30 }),
        async (id, pin, nodes, date, shift) => {
          const { masters, serverSecret, token } = await issue(m, id, pin, nodes);
          const hid = await m.hashId(id);
          const permitFor = async (d: number) =>
            m.recombineG1(await Promise.all(masters.map((s) => m.clientPermit(d, s, hid))));
          const permit = await permitFor(date);
          assert(await withPermit(m, id, pin, token, permit, date, date, serverSecret), 'permit of the day accepted');
          assert(
            !(await withPermit(m, id, pin, token, permit, date, date + shift, serverSecret)),
            'server on another day',
          );
          const other = await permitFor(date + shift);
          assert(!(await withPermit(m, id, pin, token, other, date, date, serverSecret)), 'permit of another day');
          // Two-pass with the permit: UT and HTID.
          const p1: MpinClientPass1 = await m.client1({ id, pin, token, date, permit });
          const y = await m.randomScalar();
          const v = await m.client2(p1.x, y, p1.sec);
          const s1 = await m.server1(id, date);
          assert(await m.server2({ date, htid: s1.htid!, y, serverSecret, ut: p1.ut!, v }), 'two-pass with a permit');
        },
      ),
      { numRuns: 3 },
    );
  },

  'DVS: accepted with the client key Pa, rejected without it': async (core: CoreLike) => {
    const m = core.mpin;
    const id = new TextEncoder().encode('dvs@example.org');
    const { z, pa } = await m.dvsKeyPair();
    assertBytes(pa, mpinG2(G2.BASE.multiply(Fr.inv(toBigInt(z)))), 'Pa = z^-1 Q');
    const idPa = new Uint8Array([...id, ...pa]);
    const masters = [await m.masterSecret(), await m.masterSecret()];
    const hid = await m.hashId(idPa);
    const cs = await m.recombineG1(await Promise.all(masters.map((s) => m.clientSecret(s, hid))));
    const ss = await m.recombineG2(await Promise.all(masters.map((s) => m.serverSecret(s))));
    const token = await m.extractPin(idPa, 77, await m.g1Mul(z, cs));
    const message = await m.hashId(new TextEncoder().encode('a message to sign'));
    const time = 1_700_000_123;
    const c = await m.client({ id: idPa, pin: 77, token, time, message });
    const args = { id: idPa, time, message, serverSecret: ss, u: c.u, v: c.v };
    assert(await m.server({ ...args, pa }), 'accepted with Pa');
    assert(!(await m.server(args)), 'rejected with Q in place of Pa');
    const escrow = await m.extractPin(idPa, 77, cs); // what the nodes could build without z
    const forged = await m.client({ id: idPa, pin: 77, token: escrow, time, message });
    assert(!(await m.server({ ...args, u: forged.u, v: forged.v, pa })), 'the nodes cannot log in without z');
  },
};

export const mpinPinError = {
  'after a wrong PIN the server finds entered - registered; other failures give undefined': async (core: CoreLike) => {
    const m = core.mpin;
    await fc.assert(
      fc.asyncProperty(arbId, arbPin, arbPin, fc.constantFrom(0, 19_500), async (id, pin, entered, date) => {
        const { masters, serverSecret, token } = await issue(m, id, pin, 2);
        const hid = await m.hashId(id);
        const permit =
          date === 0
            ? undefined
            : await m.recombineG1(await Promise.all(masters.map((s) => m.clientPermit(date, s, hid))));
        const p1 = await m.client1({ id, pin: entered, token, date, permit });
        const y = await m.randomScalar();
        const v = await m.client2(p1.x, y, p1.sec);
        const s1 = await m.server1(id, date);
        const args = { date, hid: s1.hid, htid: s1.htid, y, serverSecret, u: p1.u, ut: p1.ut, v };
        assert((await m.server2(args)) === (entered === pin), 'server2 accepts exactly the right PIN');
        const values = await m.pinErrorValues(args);
        const error = await m.pinError(values);
        assert(error === entered - pin, `pin error: got ${error}, want ${entered - pin}`);
        // A failure that is not a wrong PIN: a server secret of another authority.
        const other = await m.serverSecret(await m.masterSecret());
        assert(
          (await m.pinError(await m.pinErrorValues({ ...args, serverSecret: other }))) === undefined,
          'not a PIN error',
        );
      }),
      { numRuns: 3 },
    );
  },
};

/** Runs a whole M-Pin Full session; returns both keys and the inputs for tampering. */
async function fullSession(m: Mpin, id: Uint8Array, pin: number, nodes: number, date: number) {
  const issued = await issue(m, id, pin, nodes);
  const hid = await m.hashId(id);
  const permit =
    date === 0
      ? undefined
      : await m.recombineG1(await Promise.all(issued.masters.map((s) => m.clientPermit(date, s, hid))));
  const pre = await m.precompute(issued.token, hid);
  const p1 = await m.client1({ id, pin, token: issued.token, date, permit });
  const y = await m.randomScalar();
  const v = await m.client2(p1.x, y, p1.sec);
  const s1 = await m.server1(id, date);
  assert(
    await m.server2({ date, hid: s1.hid, htid: s1.htid, y, serverSecret: issued.serverSecret, u: p1.u, ut: p1.ut, v }),
    'the login verifies',
  );
  const r = await m.randomScalar(),
    w = await m.randomScalar();
  const z = await m.clientSecret(r, hid);
  const t = await m.g1Mul(w, date === 0 ? s1.hid : s1.htid!);
  const h = await m.hashAll({ hid, u: p1.u, ut: p1.ut, v, y, z, t });
  const clientArgs = { ...pre, pin, r, x: p1.x, h, t };
  const serverArgs = { z, serverSecret: issued.serverSecret, w, h, hid: s1.hid, u: p1.u, ut: p1.ut };
  return {
    issued,
    hid,
    clientArgs,
    serverArgs,
    clientKey: await m.clientKey(clientArgs),
    serverKey: await m.serverKey(serverArgs),
  };
}

export const mpinFull = {
  'client and server derive the same key, equal to the model': async (core: CoreLike) => {
    const m = core.mpin;
    await fc.assert(
      fc.asyncProperty(arbId, arbPin, arbNodes, fc.constantFrom(0, 19_000, 20_123), async (id, pin, nodes, date) => {
        const s = await fullSession(m, id, pin, nodes, date);
        assertBytes(s.clientKey, s.serverKey, 'client key = server key');
        assert(s.clientKey.length === (await m.sizes).key, 'a 16-byte key');
        // The model: g = e(Z + h HID, sQ), W = w U', K = SHA-256(3 g.a || W)[0..16).
        const a = s.serverArgs;
        const hN = toBigInt(a.h) % R;
        const rPoint = fromMpinG1(a.z).add(fromMpinG1(a.hid).multiply(hN));
        const sQ = G2.fromAffine(g2Affine(a.serverSecret));
        const wPoint = fromMpinG1(a.ut ?? a.u!).multiply(toBigInt(a.w));
        assertBytes(s.serverKey, fullKey(bls.pairing(rPoint, sQ), wPoint), 'the model key');
      }),
      { numRuns: 2 },
    );
  },

  'keys differ when anything is tampered with': async (core: CoreLike) => {
    const m = core.mpin;
    const s = await fullSession(m, new TextEncoder().encode('full@example.org'), 2468, 2, 0);
    assertBytes(s.clientKey, s.serverKey, 'untampered keys agree');
    const flip = (b: Uint8Array) => {
      const out = b.slice();
      out[out.length - 1]! ^= 1;
      return out;
    };
    const other = await m.randomScalar();
    const otherPoint = await m.g1Mul(other, s.serverArgs.hid);
    const clientTampered = [{ pin: 2469 }, { r: other }, { x: other }, { h: flip(s.clientArgs.h) }, { t: otherPoint }];
    for (const change of clientTampered) {
      const k = await m.clientKey({ ...s.clientArgs, ...change });
      assert(!sameBytes(k, s.serverKey), `client key differs after changing ${Object.keys(change)[0]}`);
    }
    const serverTampered = [
      { z: otherPoint },
      { w: other },
      { h: flip(s.serverArgs.h) },
      { u: otherPoint },
      { serverSecret: await m.serverSecret(other) },
    ];
    for (const change of serverTampered) {
      const k = await m.serverKey({ ...s.serverArgs, ...change });
      assert(!sameBytes(k, s.clientKey), `server key differs after changing ${Object.keys(change)[0]}`);
    }
  },

  'zero Diffie-Hellman secrets are refused (x = 0, w = 0 would give a key with no DH part)': async (core: CoreLike) => {
    const m = core.mpin;
    const s = await fullSession(m, new TextEncoder().encode('zero@example.org'), 1357, 1, 0);
    const zero = new Uint8Array(48);
    await rejectsWith('BadScalarError', () => m.clientKey({ ...s.clientArgs, x: zero }), 'clientKey with x = 0');
    await rejectsWith('BadScalarError', () => m.serverKey({ ...s.serverArgs, w: zero }), 'serverKey with w = 0');
  },
};

/** Affine coordinates of a Milagro G2 encoding. */
function g2Affine(b: Uint8Array) {
  const f = (i: number) => toBigInt(b.subarray(48 * i, 48 * (i + 1)));
  return { x: Fp2.create({ c0: f(0), c1: f(1) }), y: Fp2.create({ c0: f(2), c1: f(3) }) };
}
