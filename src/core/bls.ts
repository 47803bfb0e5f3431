/**
 * BLS signatures (draft-irtf-cfrg-bls-signature-05) over the core.
 * https://datatracker.ietf.org/doc/html/draft-irtf-cfrg-bls-signature-05
 *
 * min-pk (the dta ciphersuite BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_):
 * public keys are compressed G1 points, signatures compressed G2 points.
 * The default DSTs are read from the module (dta_bls_dst, dta_bls_pop_dst);
 * every function takes another DST for test suites (Milagro's vectors use
 * QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_NU_).
 *
 * The verify rule: verify functions return false only when the inputs are
 * well formed and the pairing equation fails. A malformed encoding, a
 * point off the curve or outside the subgroup, the point at infinity as a
 * public key or signature, an empty list, or mismatched list lengths throw
 * the matching named error: the caller passed something that is not a
 * signature, which is a different fault from a signature that is wrong.
 * @module
 */

import { allHandles, type BlsPublicKey, makeBlsBatch } from './bls-batch.ts';
import { byteListArg, bytesArg, type Context, callOut, callVerify } from './context.ts';
import { BadArgumentError, VerificationError } from './errors.ts';
import { putMessageStream, STREAM_THRESHOLD } from './long-message.ts';
import type { BlsApi, BlsMinSigApi } from './types.ts';
import type { Ptr } from './wasm/exports.ts';

const EMPTY = new Uint8Array(0);

/** A copy of a constant string the module keeps in its static data. */
function moduleBytes(ctx: Context, ptr: Ptr, len: number): Uint8Array {
  return ctx.arena.bytes.slice(ptr, ptr + len);
}

function sameLength(where: string, a: readonly unknown[], b: readonly unknown[], what: string): void {
  if (a.length !== b.length) throw new BadArgumentError(`${where}: ${a.length} public keys but ${b.length} ${what}`);
}

function makeMinPkCore(ctx: Context, dst: Uint8Array, popDst: Uint8Array) {
  const e = ctx.e;
  const { secretKey: skLen, g1Compressed: pkLen, g2Compressed: sigLen } = ctx.sizes;
  const sig = (where: string, s: unknown) => bytesArg(`bls.${where}`, 'signature', s, sigLen);
  const pk = (where: string, p: unknown) => bytesArg(`bls.${where}`, 'public key', p, pkLen);
  const sk = (where: string, s: unknown) => bytesArg(`bls.${where}`, 'secret key', s, skLen);
  const tag = (where: string, d: unknown, fallback: Uint8Array) =>
    d === undefined ? fallback : bytesArg(`bls.${where}`, 'dst', d);

  const verify = (p: Uint8Array, msg: Uint8Array, s: Uint8Array, d?: Uint8Array): boolean => {
    const [pp, m, ss, dd] = [
      pk('verify', p),
      bytesArg('bls.verify', 'msg', msg),
      sig('verify', s),
      tag('verify', d, dst),
    ];
    return callVerify(ctx, 'bls.verify', (a) =>
      m.length > STREAM_THRESHOLD
        ? e.dta_bls_verify_stream(a.put(pp), putMessageStream(e, a, m), a.put(ss), a.put(dd), dd.length)
        : e.dta_bls_verify(a.put(pp), a.put(m), m.length, a.put(ss), a.put(dd), dd.length),
    );
  };

  return {
    skToPk(s: Uint8Array): Uint8Array {
      const k = sk('skToPk', s);
      return callOut(ctx, 'bls.skToPk', pkLen, (out, a) => e.dta_bls_sk_to_pk(out, a.put(k)));
    },
    sign(s: Uint8Array, msg: Uint8Array, d?: Uint8Array): Uint8Array {
      const [k, m, dd] = [sk('sign', s), bytesArg('bls.sign', 'msg', msg), tag('sign', d, dst)];
      return callOut(ctx, 'bls.sign', sigLen, (out, a) =>
        m.length > STREAM_THRESHOLD
          ? e.dta_bls_sign_stream(out, a.put(k), putMessageStream(e, a, m), a.put(dd), dd.length)
          : e.dta_bls_sign(out, a.put(k), a.put(m), m.length, a.put(dd), dd.length),
      );
    },
    verify,
    assertVerify(p: Uint8Array, msg: Uint8Array, s: Uint8Array, d?: Uint8Array): void {
      if (!verify(p, msg, s, d)) throw new VerificationError('bls.assertVerify: the signature does not verify');
    },
    popProve(s: Uint8Array, d?: Uint8Array): Uint8Array {
      const [k, dd] = [sk('popProve', s), tag('popProve', d, popDst)];
      return callOut(ctx, 'bls.popProve', sigLen, (out, a) => e.dta_bls_pop_prove(out, a.put(k), a.put(dd), dd.length));
    },
    popVerify(p: Uint8Array, proof: Uint8Array, d?: Uint8Array): boolean {
      const [pp, pr, dd] = [pk('popVerify', p), sig('popVerify', proof), tag('popVerify', d, popDst)];
      return callVerify(ctx, 'bls.popVerify', (a) => e.dta_bls_pop_verify(a.put(pp), a.put(pr), a.put(dd), dd.length));
    },
  };
}

function makeMinPkAggregate(ctx: Context, dst: Uint8Array) {
  const e = ctx.e;
  const batch = makeBlsBatch(ctx, dst);
  const { g1Compressed: pkLen, g2Compressed: sigLen } = ctx.sizes;
  const tag = (where: string, d: unknown) => (d === undefined ? dst : bytesArg(`bls.${where}`, 'dst', d));
  return {
    aggregate(sigs: readonly Uint8Array[]): Uint8Array {
      const list = byteListArg('bls.aggregate', 'signatures', sigs, sigLen);
      return callOut(ctx, 'bls.aggregate', sigLen, (out, a) =>
        e.dta_bls_aggregate(out, a.putConcat(list), list.length),
      );
    },
    aggregateVerify(pks: readonly Uint8Array[], msgs: readonly Uint8Array[], sig: Uint8Array, d?: Uint8Array): boolean {
      const where = 'bls.aggregateVerify';
      const [p, m] = [byteListArg(where, 'public keys', pks, pkLen), byteListArg(where, 'messages', msgs)];
      sameLength(where, p, m, 'messages');
      const [s, dd] = [bytesArg(where, 'signature', sig, sigLen), tag('aggregateVerify', d)];
      return callVerify(ctx, where, (a) =>
        e.dta_bls_aggregate_verify(
          a.putConcat(p),
          p.length,
          a.putConcat(m),
          a.putU32(m.map((x) => x.length)),
          a.put(s),
          a.put(dd),
          dd.length,
        ),
      );
    },
    publicKey: batch.publicKey,
    verifyBatch: batch.verifyBatch,
    fastAggregateVerify(
      pks: readonly Uint8Array[] | readonly BlsPublicKey[],
      msg: Uint8Array,
      sig: Uint8Array,
      d?: Uint8Array,
    ): boolean {
      // Keys validated once (core.bls.publicKey) skip decoding and subgroup checks.
      if (allHandles(pks)) return batch.fastAggregateVerifyKeys(pks, msg, sig, d);
      const where = 'bls.fastAggregateVerify';
      const [p, m] = [byteListArg(where, 'public keys', pks, pkLen), bytesArg(where, 'msg', msg)];
      const [s, dd] = [bytesArg(where, 'signature', sig, sigLen), tag('fastAggregateVerify', d)];
      return callVerify(ctx, where, (a) =>
        e.dta_bls_fast_aggregate_verify(a.putConcat(p), p.length, a.put(m), m.length, a.put(s), a.put(dd), dd.length),
      );
    },
  };
}

function makeKeygen(ctx: Context) {
  const e = ctx.e;
  const skLen = ctx.sizes.secretKey;
  return {
    keygen(ikm: Uint8Array, info: Uint8Array = EMPTY): Uint8Array {
      const [k, i] = [bytesArg('bls.keygen', 'ikm', ikm), bytesArg('bls.keygen', 'info', info)];
      return callOut(ctx, 'bls.keygen', skLen, (out, a) =>
        e.dta_bls_keygen(out, a.put(k), k.length, a.put(i), i.length),
      );
    },
    keygenWithSalt(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array = EMPTY): Uint8Array {
      const where = 'bls.keygenWithSalt';
      const [k, s, i] = [bytesArg(where, 'ikm', ikm), bytesArg(where, 'salt', salt), bytesArg(where, 'info', info)];
      return callOut(ctx, where, skLen, (out, a) =>
        e.dta_bls_keygen_salt(out, a.put(k), k.length, a.put(s), s.length, a.put(i), i.length),
      );
    },
  };
}

/** min-sig: public keys in G2, signatures in G1; the DST is always explicit. */
function makeMinSig(ctx: Context): BlsMinSigApi {
  const e = ctx.e;
  const { secretKey: skLen, g2Compressed: pkLen, g1Compressed: sigLen } = ctx.sizes;
  const w = (f: string) => `bls.minSig.${f}`;
  const sig = (f: string, s: unknown) => bytesArg(w(f), 'signature', s, sigLen);
  const pk = (f: string, p: unknown) => bytesArg(w(f), 'public key', p, pkLen);
  const sk = (f: string, s: unknown) => bytesArg(w(f), 'secret key', s, skLen);
  const tag = (f: string, d: unknown) => bytesArg(w(f), 'dst', d);
  return Object.freeze({
    skToPk: (s: Uint8Array) => {
      const k = sk('skToPk', s);
      return callOut(ctx, w('skToPk'), pkLen, (out, a) => e.dta_bls_minsig_sk_to_pk(out, a.put(k)));
    },
    sign: (s: Uint8Array, msg: Uint8Array, d: Uint8Array) => {
      const [k, m, dd] = [sk('sign', s), bytesArg(w('sign'), 'msg', msg), tag('sign', d)];
      return callOut(ctx, w('sign'), sigLen, (out, a) =>
        e.dta_bls_minsig_sign(out, a.put(k), a.put(m), m.length, a.put(dd), dd.length),
      );
    },
    verify: (p: Uint8Array, msg: Uint8Array, s: Uint8Array, d: Uint8Array) => {
      const [pp, m, ss, dd] = [pk('verify', p), bytesArg(w('verify'), 'msg', msg), sig('verify', s), tag('verify', d)];
      return callVerify(ctx, w('verify'), (a) =>
        e.dta_bls_minsig_verify(a.put(pp), a.put(m), m.length, a.put(ss), a.put(dd), dd.length),
      );
    },
    aggregate: (sigs: readonly Uint8Array[]) => {
      const list = byteListArg(w('aggregate'), 'signatures', sigs, sigLen);
      return callOut(ctx, w('aggregate'), sigLen, (out, a) =>
        e.dta_bls_minsig_aggregate(out, a.putConcat(list), list.length),
      );
    },
    fastAggregateVerify: (pks: readonly Uint8Array[], msg: Uint8Array, s: Uint8Array, d: Uint8Array) => {
      const f = 'fastAggregateVerify';
      const [p, m, ss, dd] = [
        byteListArg(w(f), 'public keys', pks, pkLen),
        bytesArg(w(f), 'msg', msg),
        sig(f, s),
        tag(f, d),
      ];
      return callVerify(ctx, w(f), (a) =>
        e.dta_bls_minsig_fast_aggregate_verify(
          a.putConcat(p),
          p.length,
          a.put(m),
          m.length,
          a.put(ss),
          a.put(dd),
          dd.length,
        ),
      );
    },
    popProve: (s: Uint8Array, d: Uint8Array) => {
      const [k, dd] = [sk('popProve', s), tag('popProve', d)];
      return callOut(ctx, w('popProve'), sigLen, (out, a) =>
        e.dta_bls_minsig_pop_prove(out, a.put(k), a.put(dd), dd.length),
      );
    },
    popVerify: (p: Uint8Array, proof: Uint8Array, d: Uint8Array) => {
      const [pp, pr, dd] = [pk('popVerify', p), sig('popVerify', proof), tag('popVerify', d)];
      return callVerify(ctx, w('popVerify'), (a) =>
        e.dta_bls_minsig_pop_verify(a.put(pp), a.put(pr), a.put(dd), dd.length),
      );
    },
  });
}

export function makeBls(ctx: Context): BlsApi {
  const dst = moduleBytes(ctx, ctx.e.dta_bls_dst(), ctx.e.dta_bls_dst_len());
  const popDst = moduleBytes(ctx, ctx.e.dta_bls_pop_dst(), ctx.e.dta_bls_pop_dst_len());
  return Object.freeze({
    // Getters hand out copies so that no caller can change the defaults.
    get dst() {
      return dst.slice();
    },
    get popDst() {
      return popDst.slice();
    },
    ...makeKeygen(ctx),
    ...makeMinPkCore(ctx, dst, popDst),
    ...makeMinPkAggregate(ctx, dst),
    minSig: makeMinSig(ctx),
  });
}
