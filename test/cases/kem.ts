/**
 * The envelope KEM of the core against noble, with fast-check: X25519
 * (@noble/curves), SHA3-256 and SHAKE128/256 (@noble/hashes), ML-KEM-768
 * and X-Wing (@noble/post-quantum), on random inputs, tampered ciphertexts
 * included; and the refusals: low-order points, over-modulus keys, lengths.
 * Shared by Node (test/core/cases.test.ts) and Chromium (the worker).
 * @module
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { sha3_256, shake128, shake256 } from '@noble/hashes/sha3.js';
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import fc from 'fast-check';
import type { CoreLike } from '../../src/core/types.ts';
import { assert, assertBytes, rejectsWith } from './lib/assert.ts';

const seed = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });

/** noble's X25519, or undefined where it refuses (an all-zero result). */
function nobleX25519(k: Uint8Array, u: Uint8Array): Uint8Array | undefined {
  try {
    return x25519.getSharedSecret(k, u);
  } catch {
    return undefined;
  }
}

export const kem = {
  'x25519 and x25519Base equal noble; an all-zero result is an InfinityError': async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(seed(32), seed(32), async (k, u) => {
        assertBytes(await core.kem.x25519Base(k), x25519.getPublicKey(k), 'x25519Base');
        const want = nobleX25519(k, u);
        if (want) assertBytes(await core.kem.x25519(k, u), want, 'x25519');
        else await rejectsWith('InfinityError', () => core.kem.x25519(k, u), 'x25519 (noble refused)');
      }),
      { numRuns: 20 },
    );
    // u = 0 and u = 1 are of small order: every scalar gives the all-zero result.
    const k = new Uint8Array(32).fill(0x55);
    await rejectsWith('InfinityError', () => core.kem.x25519(k, new Uint8Array(32)), 'x25519(k, 0)');
    await rejectsWith('InfinityError', () => core.kem.x25519(k, new Uint8Array(32).fill(1, 0, 1)), 'x25519(k, 1)');
  },

  'sha3_256, shake128 and shake256 equal @noble/hashes': async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(bytes(400), fc.integer({ min: 0, max: 600 }), async (m, len) => {
        assertBytes(await core.kem.sha3_256(m), sha3_256(m), 'sha3_256');
        assertBytes(await core.kem.shake128(m, len), shake128(m, { dkLen: len }), 'shake128');
        assertBytes(await core.kem.shake256(m, len), shake256(m, { dkLen: len }), 'shake256');
      }),
      { numRuns: 30 },
    );
  },

  'ML-KEM-768 keygen, encaps and decaps equal noble, tampered ciphertexts included': async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(seed(64), seed(32), fc.nat(1087), async (dz, m, flip) => {
        const ours = await core.kem.mlkem768.keygen(dz.subarray(0, 32), dz.subarray(32));
        const theirs = ml_kem768.keygen(dz);
        assertBytes(ours.encapsulationKey, theirs.publicKey, 'ek');
        assertBytes(ours.decapsulationKey, theirs.secretKey, 'dk');
        const enc = await core.kem.mlkem768.encaps(ours.encapsulationKey, m);
        const want = ml_kem768.encapsulate(theirs.publicKey, m);
        assertBytes(enc.ciphertext, want.cipherText, 'ciphertext');
        assertBytes(enc.sharedSecret, want.sharedSecret, 'shared secret');
        assertBytes(await core.kem.mlkem768.decaps(enc.ciphertext, ours.decapsulationKey), want.sharedSecret, 'decaps');
        const bad = enc.ciphertext.slice();
        bad[flip]! ^= 1 << (flip & 7);
        const rejected = await core.kem.mlkem768.decaps(bad, ours.decapsulationKey);
        assertBytes(rejected, ml_kem768.decapsulate(bad, theirs.secretKey), 'implicit rejection');
      }),
      { numRuns: 10 },
    );
  },

  'X-Wing keygen, encaps and decaps equal noble': async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(seed(32), seed(64), async (sk, eseed) => {
        const pk = await core.kem.xwing.keygen(sk);
        assertBytes(pk, ml_kem768_x25519.keygen(sk).publicKey, 'public key');
        const { enc, sharedSecret } = await core.kem.xwing.encaps(pk, eseed);
        const want = ml_kem768_x25519.encapsulate(pk, eseed);
        assertBytes(enc, want.cipherText, 'enc');
        assertBytes(sharedSecret, want.sharedSecret, 'shared secret');
        assertBytes(await core.kem.xwing.decaps(enc, sk), want.sharedSecret, 'decaps');
      }),
      { numRuns: 10 },
    );
  },

  'the KEM refuses over-modulus keys, a dk whose H(ek) does not match, low-order X25519 parts and bad lengths': async (
    core: CoreLike,
  ) => {
    const d = new Uint8Array(32).fill(9);
    const { encapsulationKey: ek, decapsulationKey: dk } = await core.kem.mlkem768.keygen(d, d);
    const over = ek.slice();
    over[0] = 0xff; // coefficient 0 = 0xfff >= q
    over[1]! |= 0x0f;
    await rejectsWith('BadEncodingError', () => core.kem.mlkem768.encaps(over, d), 'encaps(over-modulus ek)');
    const ct = (await core.kem.mlkem768.encaps(ek, d)).ciphertext;
    const badHash = dk.slice();
    badHash[1152 + 1184]! ^= 1;
    await rejectsWith('BadEncodingError', () => core.kem.mlkem768.decaps(ct, badHash), 'decaps(bad H(ek))');
    await rejectsWith('BadLengthError', () => core.kem.mlkem768.encaps(ek.subarray(1), d), 'encaps(short ek)');
    await rejectsWith('BadLengthError', () => core.kem.mlkem768.decaps(ct.subarray(1), dk), 'decaps(short ct)');
    await rejectsWith('BadLengthError', () => core.kem.mlkem768.keygen(d, d.subarray(1)), 'keygen(short z)');
    const pk = await core.kem.xwing.keygen(d);
    const lowOrder = pk.slice();
    lowOrder.fill(0, 1184); // pk_X = 0
    await rejectsWith('InfinityError', () => core.kem.xwing.encaps(lowOrder, new Uint8Array(64)), 'encaps(pk_X = 0)');
    const enc = (await core.kem.xwing.encaps(pk, new Uint8Array(64).fill(3))).enc.slice();
    enc.fill(0, 1088); // ct_X = 0
    await rejectsWith('InfinityError', () => core.kem.xwing.decaps(enc, d), 'decaps(ct_X = 0)');
    await rejectsWith('BadLengthError', () => core.kem.xwing.encaps(pk, new Uint8Array(63)), 'encaps(short eseed)');
    assert((await core.kem.sizes).xwingPublicKey === 1216, 'sizes.xwingPublicKey');
  },
};
