/**
 * The envelope KEM from the core: X25519 (RFC 7748), SHA3-256 and SHAKE
 * (FIPS 202), ML-KEM-768 (FIPS 203) and X-Wing
 * (draft-connolly-cfrg-xwing-kem-06), all in wasm/dta.wasm. Sizes come from
 * the module. Byte strings follow each standard (X25519 is little-endian).
 * @module
 */
import { bytesArg, type Context, callOut, integerArg } from './context.ts';
import { check } from './errors.ts';
import type { KemApi, KemSizes, ShakeStream } from './types.ts';
import type { KemExports } from './wasm/exports.ts';

/** SHA3-256's digest size (a property of the hash). */
const SHA3_256_BYTES = 32;
/** ML-KEM's and X-Wing's shared secrets, and ML-KEM's seeds d, z and m, are 32 bytes (FIPS 203). */
const KEY_BYTES = 32;
/** A cap on one SHAKE output, so that a typo cannot ask the arena for gigabytes. */
const MAX_SHAKE_BYTES = 1 << 24;

function readKemSizes(e: KemExports): KemSizes {
  return Object.freeze({
    x25519: e.dta_x25519_bytes(),
    shakeState: e.dta_shake_state_bytes(),
    mlkemEncapsulationKey: e.dta_mlkem768_encaps_key_bytes(),
    mlkemDecapsulationKey: e.dta_mlkem768_decaps_key_bytes(),
    mlkemCiphertext: e.dta_mlkem768_ciphertext_bytes(),
    xwingSeed: e.dta_xwing_seed_bytes(),
    xwingPublicKey: e.dta_xwing_public_key_bytes(),
    xwingCiphertext: e.dta_xwing_ciphertext_bytes(),
    xwingEseed: e.dta_xwing_eseed_bytes(),
    sharedSecret: KEY_BYTES,
  });
}

/** Two outputs of one call, read after the call succeeded. */
function callTwo(
  ctx: Context,
  where: string,
  lenA: number,
  lenB: number,
  call: (a: number, b: number, arena: Context['arena']) => number,
): [Uint8Array, Uint8Array] {
  return ctx.arena.run((arena) => {
    const a = arena.alloc(lenA),
      b = arena.alloc(lenB);
    check(call(a, b, arena), where);
    return [arena.read(a, lenA), arena.read(b, lenB)];
  });
}

/** Incremental SHAKE: the sponge state lives here between calls and is copied through the arena. */
function shakeStream(ctx: Context, sizes: KemSizes, bits: 128 | 256): ShakeStream {
  const e = ctx.e;
  const where = `kem.shake${bits}Stream`;
  const init = bits === 128 ? e.dta_shake128_init : e.dta_shake256_init;
  let state = callOut(ctx, where, sizes.shakeState, (s) => init(s));
  const step = (len: number, call: (s: number, io: number) => number, input?: Uint8Array): Uint8Array =>
    ctx.arena.run((a) => {
      const s = a.put(state);
      const io = input ? a.put(input) : a.alloc(len);
      check(call(s, io), where);
      state = a.read(s, sizes.shakeState);
      return a.read(io, len);
    });
  return Object.freeze({
    absorb(data: Uint8Array): void {
      const d = bytesArg(where, 'data', data);
      step(d.length, (s, io) => e.dta_shake_absorb(s, io, d.length), d);
    },
    squeeze(length: number): Uint8Array {
      const n = integerArg(where, 'length', length, 0, MAX_SHAKE_BYTES);
      return step(n, (s, io) => e.dta_shake_squeeze(s, io, n));
    },
  });
}

export function makeKem(ctx: Context): KemApi {
  const e = ctx.e;
  const sizes = readKemSizes(e);
  const shake =
    (bits: 128 | 256) =>
    (msg: Uint8Array, length: number): Uint8Array => {
      const m = bytesArg(`kem.shake${bits}`, 'msg', msg);
      const n = integerArg(`kem.shake${bits}`, 'length', length, 0, MAX_SHAKE_BYTES);
      return callOut(ctx, `kem.shake${bits}`, n, (out, a) =>
        (bits === 128 ? e.dta_shake128 : e.dta_shake256)(out, n, a.put(m), m.length),
      );
    };
  return Object.freeze({
    sizes,
    x25519(scalar: Uint8Array, u: Uint8Array): Uint8Array {
      const k = bytesArg('kem.x25519', 'scalar', scalar, sizes.x25519);
      const p = bytesArg('kem.x25519', 'u', u, sizes.x25519);
      return callOut(ctx, 'kem.x25519', sizes.x25519, (out, a) => e.dta_x25519(out, a.put(k), a.put(p)));
    },
    x25519Base(scalar: Uint8Array): Uint8Array {
      const k = bytesArg('kem.x25519Base', 'scalar', scalar, sizes.x25519);
      return callOut(ctx, 'kem.x25519Base', sizes.x25519, (out, a) => e.dta_x25519_base(out, a.put(k)));
    },
    sha3_256(msg: Uint8Array): Uint8Array {
      const m = bytesArg('kem.sha3_256', 'msg', msg);
      return callOut(ctx, 'kem.sha3_256', SHA3_256_BYTES, (out, a) => e.dta_sha3_256(out, a.put(m), m.length));
    },
    shake128: shake(128),
    shake256: shake(256),
    shake128Stream: () => shakeStream(ctx, sizes, 128),
    shake256Stream: () => shakeStream(ctx, sizes, 256),
    mlkem768: Object.freeze({
      keygen(d: Uint8Array, z: Uint8Array) {
        const dd = bytesArg('kem.mlkem768.keygen', 'd', d, KEY_BYTES);
        const zz = bytesArg('kem.mlkem768.keygen', 'z', z, KEY_BYTES);
        const [encapsulationKey, decapsulationKey] = callTwo(
          ctx,
          'kem.mlkem768.keygen',
          sizes.mlkemEncapsulationKey,
          sizes.mlkemDecapsulationKey,
          (ek, dk, a) => e.dta_mlkem768_keygen(ek, dk, a.put(dd), a.put(zz)),
        );
        return { encapsulationKey, decapsulationKey };
      },
      encaps(encapsulationKey: Uint8Array, m: Uint8Array) {
        const ek = bytesArg('kem.mlkem768.encaps', 'encapsulationKey', encapsulationKey, sizes.mlkemEncapsulationKey);
        const mm = bytesArg('kem.mlkem768.encaps', 'm', m, KEY_BYTES);
        const [ciphertext, sharedSecret] = callTwo(
          ctx,
          'kem.mlkem768.encaps',
          sizes.mlkemCiphertext,
          KEY_BYTES,
          (ct, ss, a) => e.dta_mlkem768_encaps(ct, ss, a.put(ek), a.put(mm)),
        );
        return { ciphertext, sharedSecret };
      },
      decaps(ciphertext: Uint8Array, decapsulationKey: Uint8Array): Uint8Array {
        const ct = bytesArg('kem.mlkem768.decaps', 'ciphertext', ciphertext, sizes.mlkemCiphertext);
        const dk = bytesArg('kem.mlkem768.decaps', 'decapsulationKey', decapsulationKey, sizes.mlkemDecapsulationKey);
        return callOut(ctx, 'kem.mlkem768.decaps', KEY_BYTES, (ss, a) =>
          e.dta_mlkem768_decaps(ss, a.put(ct), a.put(dk)),
        );
      },
    }),
    xwing: Object.freeze({
      keygen(seed: Uint8Array): Uint8Array {
        const s = bytesArg('kem.xwing.keygen', 'seed', seed, sizes.xwingSeed);
        return callOut(ctx, 'kem.xwing.keygen', sizes.xwingPublicKey, (pk, a) => e.dta_xwing_keygen(pk, a.put(s)));
      },
      encaps(publicKey: Uint8Array, eseed: Uint8Array) {
        const pk = bytesArg('kem.xwing.encaps', 'publicKey', publicKey, sizes.xwingPublicKey);
        const es = bytesArg('kem.xwing.encaps', 'eseed', eseed, sizes.xwingEseed);
        const [enc, sharedSecret] = callTwo(ctx, 'kem.xwing.encaps', sizes.xwingCiphertext, KEY_BYTES, (ct, ss, a) =>
          e.dta_xwing_encaps(ct, ss, a.put(pk), a.put(es)),
        );
        return { enc, sharedSecret };
      },
      decaps(enc: Uint8Array, seed: Uint8Array): Uint8Array {
        const ct = bytesArg('kem.xwing.decaps', 'enc', enc, sizes.xwingCiphertext);
        const s = bytesArg('kem.xwing.decaps', 'seed', seed, sizes.xwingSeed);
        return callOut(ctx, 'kem.xwing.decaps', KEY_BYTES, (ss, a) => e.dta_xwing_decaps(ss, a.put(ct), a.put(s)));
      },
    }),
  });
}
