/**
 * BLS signatures against @noble/curves: keys, signatures and proofs equal
 * noble's, signatures made by one verify with the other both ways (min-pk
 * and min-sig), aggregation and fast aggregation, KeyGen against a
 * transcription of draft-05 2.3 over @noble/hashes.
 * @module
 */
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import type { CoreLike } from '../../src/core/types.ts';
import { assert, assertBytes, rejectsWith } from './lib/assert.ts';
import { arbDst, arbMsg, arbScalar, ascii, bls, concat, R, scalarBytes, toBigInt } from './lib/noble.ts';

const long = bls.longSignatures; // min-pk: keys in G1, signatures in G2
const short = bls.shortSignatures; // min-sig: keys in G2, signatures in G1
const sk = (k: bigint) => scalarBytes(k);

/** draft-irtf-cfrg-bls-signature-05 2.3 KeyGen, written from the text, on noble's HKDF. */
function referenceKeygen(ikm: Uint8Array, info: Uint8Array): Uint8Array {
  let salt = ascii('BLS-SIG-KEYGEN-SALT-');
  for (;;) {
    salt = sha256(salt);
    const prk = extract(sha256, concat(ikm, new Uint8Array([0])), salt);
    const k = toBigInt(expand(sha256, prk, concat(info, new Uint8Array([0, 48])), 48)) % R;
    if (k !== 0n) return scalarBytes(k);
  }
}

export const blsCases = {
  'DSTs are the dta ciphersuite': async (core: CoreLike) => {
    assertBytes(await core.bls.dst, ascii('BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_'), 'dst');
    assertBytes(await core.bls.popDst, ascii('BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_'), 'popDst');
  },

  'keygen follows draft-05 2.3': async (core: CoreLike) => {
    const ikm = fc.uint8Array({ minLength: 32, maxLength: 64 });
    await fc.assert(
      fc.asyncProperty(ikm, fc.uint8Array({ maxLength: 20 }), async (k, info) => {
        const got = await core.bls.keygen(k, info);
        assertBytes(got, referenceKeygen(k, info), 'keygen');
        assertBytes(
          await core.bls.keygenWithSalt(k, sha256(ascii('BLS-SIG-KEYGEN-SALT-')), info),
          got,
          'keygenWithSalt(H(salt))',
        );
      }),
      { numRuns: 10 },
    );
  },

  'min-pk: pk and signature equal noble, each verifies the other': async (core: CoreLike) => {
    const dstArb = fc.option(arbDst, { nil: undefined });
    await fc.assert(
      fc.asyncProperty(arbScalar, arbMsg, dstArb, async (k, msg, d) => {
        const dst = d ?? (await core.bls.dst);
        const pk = long.getPublicKey(sk(k));
        assertBytes(await core.bls.skToPk(sk(k)), pk.toBytes(true), 'skToPk');
        const nobleSig = long.sign(long.hash(msg, dst), sk(k));
        const ours = await core.bls.sign(sk(k), msg, d);
        assertBytes(ours, long.Signature.toBytes(nobleSig), 'sign');
        assert(long.verify(ours, long.hash(msg, dst), pk), 'noble verifies ours');
        assert(await core.bls.verify(pk.toBytes(true), msg, long.Signature.toBytes(nobleSig), d), 'we verify noble');
        const other = concat(msg, new Uint8Array([1]));
        assert(!(await core.bls.verify(pk.toBytes(true), other, ours, d)), 'another message does not verify');
        await rejectsWith(
          'VerificationError',
          () => core.bls.assertVerify(pk.toBytes(true), other, ours, d),
          'assertVerify',
        );
      }),
      { numRuns: 6 },
    );
  },

  'min-sig: pk and signature equal noble, each verifies the other': async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(arbScalar, arbMsg, arbDst, async (k, msg, dst) => {
        const pk = short.getPublicKey(sk(k));
        assertBytes(await core.bls.minSig.skToPk(sk(k)), pk.toBytes(true), 'minSig.skToPk');
        const nobleSig = short.sign(short.hash(msg, dst), sk(k));
        const ours = await core.bls.minSig.sign(sk(k), msg, dst);
        assertBytes(ours, short.Signature.toBytes(nobleSig), 'minSig.sign');
        assert(short.verify(ours, short.hash(msg, dst), pk), 'noble verifies ours');
        assert(
          await core.bls.minSig.verify(pk.toBytes(true), msg, short.Signature.toBytes(nobleSig), dst),
          'we verify noble',
        );
        assert(!(await core.bls.minSig.verify(pk.toBytes(true), concat(msg, msg, ascii('x')), ours, dst)), 'other msg');
      }),
      { numRuns: 4 },
    );
  },

  'proofs of possession equal noble signatures over the pk with the POP DST': async (core: CoreLike) => {
    const popDst = await core.bls.popDst;
    await fc.assert(
      fc.asyncProperty(arbScalar, arbScalar, async (k, other) => {
        const pk = long.getPublicKey(sk(k)).toBytes(true);
        const proof = await core.bls.popProve(sk(k));
        assertBytes(proof, long.Signature.toBytes(long.sign(long.hash(pk, popDst), sk(k))), 'popProve');
        assert(await core.bls.popVerify(pk, proof), 'popVerify');
        const otherPk = long.getPublicKey(sk(other)).toBytes(true);
        assert(k === other || !(await core.bls.popVerify(otherPk, proof)), 'a proof for another key fails');
        const dst = ascii('min-sig pop test');
        const mpk = short.getPublicKey(sk(k)).toBytes(true);
        const mproof = await core.bls.minSig.popProve(sk(k), dst);
        assertBytes(mproof, short.Signature.toBytes(short.sign(short.hash(mpk, dst), sk(k))), 'minSig.popProve');
        assert(await core.bls.minSig.popVerify(mpk, mproof, dst), 'minSig.popVerify');
      }),
      { numRuns: 3 },
    );
  },

  'aggregate and (fast) aggregate verify agree with noble': async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(arbScalar, arbMsg), { minLength: 1, maxLength: 4 }), async (signers) => {
        const pks = signers.map(([k]) => long.getPublicKey(sk(k)).toBytes(true));
        const dst = await core.bls.dst;
        const msg = ascii('one message for all');
        const same = await Promise.all(signers.map(([k]) => core.bls.sign(sk(k), msg)));
        const agg = await core.bls.aggregate(same);
        assertBytes(agg, long.Signature.toBytes(long.aggregateSignatures(same)), 'aggregate');
        assert(await core.bls.fastAggregateVerify(pks, msg, agg), 'fastAggregateVerify');
        assert(!(await core.bls.fastAggregateVerify(pks, ascii('another'), agg)), 'FAV on another message');
        const msgs = signers.map(([, m]) => m);
        const each = await Promise.all(signers.map(([k, m]) => core.bls.sign(sk(k), m)));
        const agg2 = await core.bls.aggregate(each);
        const items = msgs.map((m, i) => ({ message: long.hash(m, dst), publicKey: pks[i]! }));
        assert(long.verifyBatch(agg2, items), 'noble verifies our aggregate');
        assert(await core.bls.aggregateVerify(pks, msgs, agg2), 'aggregateVerify');
        const tampered = msgs.map((m, i) => (i === 0 ? concat(m, ascii('!')) : m));
        assert(!(await core.bls.aggregateVerify(pks, tampered, agg2)), 'aggregateVerify with a changed message');
      }),
      { numRuns: 3 },
    );
  },

  'min-sig aggregate and fast aggregate verify': async (core: CoreLike) => {
    const dst = ascii('QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_NU_');
    const ks = [3n, 5n, 7n].map((x) => (x << 200n) + 11n);
    const msg = ascii('test vector');
    const pks = ks.map((k) => short.getPublicKey(sk(k)).toBytes(true));
    const sigs = await Promise.all(ks.map((k) => core.bls.minSig.sign(sk(k), msg, dst)));
    const agg = await core.bls.minSig.aggregate(sigs);
    assertBytes(agg, short.Signature.toBytes(short.aggregateSignatures(sigs)), 'minSig.aggregate');
    assert(await core.bls.minSig.fastAggregateVerify(pks, msg, agg, dst), 'minSig.fastAggregateVerify');
    assert(!(await core.bls.minSig.fastAggregateVerify(pks.slice(1), msg, agg, dst)), 'FAV without one key');
  },
};
