/**
 * Typed view of the raw WebAssembly exports of wasm/dta.wasm. Names and
 * argument order are those of the C functions in wasm/include/dta.h; every
 * pointer and size_t is a wasm32 i32 (a JS number), every dta_error return
 * is a number (0 = success).
 * @module
 */

/** A byte offset into the module's linear memory. */
export type Ptr = number;
/** A dta_error code: 0 on success. */
export type Err = number;

/** The envelope KEM's exports (X25519, FIPS 202, ML-KEM-768, X-Wing; see the KEM section of include/dta.h). */
export interface KemExports {
  dta_x25519_bytes(): number;
  dta_shake_state_bytes(): number;
  dta_mlkem768_encaps_key_bytes(): number;
  dta_mlkem768_decaps_key_bytes(): number;
  dta_mlkem768_ciphertext_bytes(): number;
  dta_xwing_seed_bytes(): number;
  dta_xwing_public_key_bytes(): number;
  dta_xwing_ciphertext_bytes(): number;
  dta_xwing_eseed_bytes(): number;
  dta_x25519(out: Ptr, scalar: Ptr, u: Ptr): Err;
  dta_x25519_base(out: Ptr, scalar: Ptr): Err;
  dta_sha3_256(out: Ptr, msg: Ptr, len: number): Err;
  dta_shake128(out: Ptr, outLen: number, msg: Ptr, len: number): Err;
  dta_shake256(out: Ptr, outLen: number, msg: Ptr, len: number): Err;
  dta_shake128_init(state: Ptr): Err;
  dta_shake256_init(state: Ptr): Err;
  dta_shake_absorb(state: Ptr, input: Ptr, len: number): Err;
  dta_shake_squeeze(state: Ptr, out: Ptr, len: number): Err;
  dta_mlkem768_keygen(ek: Ptr, dk: Ptr, d: Ptr, z: Ptr): Err;
  dta_mlkem768_encaps(ct: Ptr, ss: Ptr, ek: Ptr, m: Ptr): Err;
  dta_mlkem768_decaps(ss: Ptr, ct: Ptr, dk: Ptr): Err;
  dta_xwing_keygen(pk: Ptr, seed: Ptr): Err;
  dta_xwing_encaps(ct: Ptr, ss: Ptr, pk: Ptr, eseed: Ptr): Err;
  dta_xwing_decaps(ss: Ptr, ct: Ptr, seed: Ptr): Err;
}

/** Every KEM export; part of REQUIRED_FUNCTIONS, since envelopes depend on them. */
const KEM_FUNCTIONS: readonly (keyof KemExports)[] = Object.freeze([
  'dta_x25519_bytes',
  'dta_shake_state_bytes',
  'dta_mlkem768_encaps_key_bytes',
  'dta_mlkem768_decaps_key_bytes',
  'dta_mlkem768_ciphertext_bytes',
  'dta_xwing_seed_bytes',
  'dta_xwing_public_key_bytes',
  'dta_xwing_ciphertext_bytes',
  'dta_xwing_eseed_bytes',
  'dta_x25519',
  'dta_x25519_base',
  'dta_sha3_256',
  'dta_shake128',
  'dta_shake256',
  'dta_shake128_init',
  'dta_shake256_init',
  'dta_shake_absorb',
  'dta_shake_squeeze',
  'dta_mlkem768_keygen',
  'dta_mlkem768_encaps',
  'dta_mlkem768_decaps',
  'dta_xwing_keygen',
  'dta_xwing_encaps',
  'dta_xwing_decaps',
] as const);

export interface CoreExports extends KemExports {
  readonly memory: WebAssembly.Memory;
  /** First byte above the C stack and static data: the arena starts here. */
  readonly __heap_base: WebAssembly.Global;
  /** End of the static data: the C stack lies between it and __heap_base. */
  readonly __data_end: WebAssembly.Global;

  dta_fp_bytes(): number;
  dta_scalar_bytes(): number;
  dta_g1_compressed_bytes(): number;
  dta_g1_uncompressed_bytes(): number;
  dta_g2_compressed_bytes(): number;
  dta_g2_uncompressed_bytes(): number;
  dta_gt_bytes(): number;
  dta_secret_key_bytes(): number;

  dta_g1_validate(input: Ptr, inLen: number): Err;
  dta_g1_compress(out: Ptr, input: Ptr, inLen: number): Err;
  dta_g1_uncompress(out: Ptr, input: Ptr, inLen: number): Err;
  dta_g2_validate(input: Ptr, inLen: number): Err;
  dta_g2_compress(out: Ptr, input: Ptr, inLen: number): Err;
  dta_g2_uncompress(out: Ptr, input: Ptr, inLen: number): Err;

  dta_g1_generator(out: Ptr): Err;
  dta_g1_add(out: Ptr, a: Ptr, b: Ptr): Err;
  dta_g1_neg(out: Ptr, a: Ptr): Err;
  dta_g1_mult(out: Ptr, p: Ptr, scalar: Ptr): Err;
  dta_g1_mult_public(out: Ptr, p: Ptr, scalar: Ptr): Err;
  dta_g1_msm_public(out: Ptr, points: Ptr, scalars: Ptr, n: number): Err;
  dta_g2_generator(out: Ptr): Err;
  dta_g2_add(out: Ptr, a: Ptr, b: Ptr): Err;
  dta_g2_neg(out: Ptr, a: Ptr): Err;
  dta_g2_mult(out: Ptr, p: Ptr, scalar: Ptr): Err;
  dta_g2_mult_public(out: Ptr, p: Ptr, scalar: Ptr): Err;
  dta_g2_msm_public(out: Ptr, points: Ptr, scalars: Ptr, n: number): Err;

  dta_g1_hash_to_curve(out: Ptr, msg: Ptr, msgLen: number, dst: Ptr, dstLen: number): Err;
  dta_g1_encode_to_curve(out: Ptr, msg: Ptr, msgLen: number, dst: Ptr, dstLen: number): Err;
  dta_g2_hash_to_curve(out: Ptr, msg: Ptr, msgLen: number, dst: Ptr, dstLen: number): Err;
  dta_g2_encode_to_curve(out: Ptr, msg: Ptr, msgLen: number, dst: Ptr, dstLen: number): Err;

  dta_pairing(out: Ptr, p: Ptr, q: Ptr): Err;
  dta_multi_pairing(out: Ptr, ps: Ptr, qs: Ptr, n: number): Err;
  dta_pairing_check(ps: Ptr, qs: Ptr, n: number): Err;

  dta_sha256(out: Ptr, msg: Ptr, len: number): Err;
  dta_hmac_sha256(out: Ptr, key: Ptr, keyLen: number, msg: Ptr, len: number): Err;
  dta_hkdf_extract(prk: Ptr, salt: Ptr, saltLen: number, ikm: Ptr, ikmLen: number): Err;
  dta_hkdf_expand(out: Ptr, outLen: number, prk: Ptr, info: Ptr, infoLen: number): Err;
  dta_expand_message_xmd(out: Ptr, outLen: number, msg: Ptr, msgLen: number, dst: Ptr, dstLen: number): Err;

  dta_bls_dst(): Ptr;
  dta_bls_dst_len(): number;
  dta_bls_pop_dst(): Ptr;
  dta_bls_pop_dst_len(): number;
  dta_bls_keygen(sk: Ptr, ikm: Ptr, ikmLen: number, info: Ptr, infoLen: number): Err;
  dta_bls_keygen_salt(sk: Ptr, ikm: Ptr, ikmLen: number, salt: Ptr, saltLen: number, info: Ptr, infoLen: number): Err;
  dta_bls_sk_to_pk(pk: Ptr, sk: Ptr): Err;
  dta_bls_sign(sig: Ptr, sk: Ptr, msg: Ptr, msgLen: number, dst: Ptr, dstLen: number): Err;
  dta_bls_verify(pk: Ptr, msg: Ptr, msgLen: number, sig: Ptr, dst: Ptr, dstLen: number): Err;
  dta_bls_aggregate(out: Ptr, sigs: Ptr, n: number): Err;
  dta_bls_aggregate_verify(pks: Ptr, n: number, msgs: Ptr, msgLens: Ptr, sig: Ptr, dst: Ptr, dstLen: number): Err;
  dta_bls_fast_aggregate_verify(pks: Ptr, n: number, msg: Ptr, msgLen: number, sig: Ptr, dst: Ptr, dstLen: number): Err;
  dta_bls_pop_prove(proof: Ptr, sk: Ptr, dst: Ptr, dstLen: number): Err;
  dta_msg_stream_bytes(): number;
  dta_msg_stream_init(state: Ptr): Err;
  dta_msg_stream_update(state: Ptr, chunk: Ptr, len: number): Err;
  dta_bls_sign_stream(sig: Ptr, sk: Ptr, state: Ptr, dst: Ptr, dstLen: number): Err;
  dta_bls_verify_stream(pk: Ptr, state: Ptr, sig: Ptr, dst: Ptr, dstLen: number): Err;
  dta_bls_batch_scratch_bytes(n: number): number;
  dta_bls_verify_batch(
    valid: Ptr,
    pks: Ptr,
    msgs: Ptr,
    msgLens: Ptr,
    sigs: Ptr,
    n: number,
    randomness: Ptr,
    dst: Ptr,
    dstLen: number,
    scratch: Ptr,
    scratchLen: number,
  ): Err;
  dta_bls_verify_batch_validated(
    valid: Ptr,
    keys: Ptr,
    msgs: Ptr,
    msgLens: Ptr,
    sigs: Ptr,
    n: number,
    randomness: Ptr,
    dst: Ptr,
    dstLen: number,
    scratch: Ptr,
    scratchLen: number,
  ): Err;
  dta_bls_public_key_bytes(): number;
  dta_bls_public_key(out: Ptr, pk: Ptr, pkLen: number): Err;
  dta_bls_fast_aggregate_verify_validated(
    keys: Ptr,
    n: number,
    msg: Ptr,
    msgLen: number,
    sig: Ptr,
    dst: Ptr,
    dstLen: number,
  ): Err;
  dta_bls_pop_verify(pk: Ptr, proof: Ptr, dst: Ptr, dstLen: number): Err;

  dta_bls_minsig_sk_to_pk(pk: Ptr, sk: Ptr): Err;
  dta_bls_minsig_sign(sig: Ptr, sk: Ptr, msg: Ptr, msgLen: number, dst: Ptr, dstLen: number): Err;
  dta_bls_minsig_verify(pk: Ptr, msg: Ptr, msgLen: number, sig: Ptr, dst: Ptr, dstLen: number): Err;
  dta_bls_minsig_aggregate(out: Ptr, sigs: Ptr, n: number): Err;
  dta_bls_minsig_fast_aggregate_verify(
    pks: Ptr,
    n: number,
    msg: Ptr,
    msgLen: number,
    sig: Ptr,
    dst: Ptr,
    dstLen: number,
  ): Err;
  dta_bls_minsig_pop_prove(proof: Ptr, sk: Ptr, dst: Ptr, dstLen: number): Err;
  dta_bls_minsig_pop_verify(pk: Ptr, proof: Ptr, dst: Ptr, dstLen: number): Err;

  dta_shamir_split(shares: Ptr, secret: Ptr, t: number, n: number, random: Ptr): Err;
  dta_shamir_recover(secret: Ptr, indices: Ptr, shares: Ptr, k: number): Err;
  dta_shamir_recover_g1(out: Ptr, indices: Ptr, points: Ptr, k: number): Err;
  dta_shamir_recover_g2(out: Ptr, indices: Ptr, points: Ptr, k: number): Err;

  dta_vss_deal(shares: Ptr, commitments: Ptr, secret: Ptr, t: number, n: number, random: Ptr): Err;
  dta_vss_verify(index: number, share: Ptr, commitments: Ptr, t: number): Err;
  dta_vss_public_share(out: Ptr, index: number, commitments: Ptr, t: number): Err;
  dta_vss_sum(out: Ptr, scalars: Ptr, n: number): Err;
  dta_vss_random(out: Ptr, random: Ptr): Err;

  dta_p1_sizeof(): number;
  dta_p2_sizeof(): number;
  dta_gt_sizeof(): number;
  dta_p1_from_bytes(p: Ptr, input: Ptr, inLen: number): Err;
  dta_p1_to_bytes(out: Ptr, p: Ptr): Err;
  dta_p1_mult(out: Ptr, p: Ptr, scalar: Ptr): Err;
  dta_p1_mult_public(out: Ptr, p: Ptr, scalar: Ptr): Err;
  dta_p2_from_bytes(p: Ptr, input: Ptr, inLen: number): Err;
  dta_p2_to_bytes(out: Ptr, p: Ptr): Err;
  dta_p2_mult(out: Ptr, p: Ptr, scalar: Ptr): Err;
  dta_p2_mult_public(out: Ptr, p: Ptr, scalar: Ptr): Err;
  dta_gt_pairing(out: Ptr, p1: Ptr, p2: Ptr): Err;
  dta_gt_to_bytes(out: Ptr, gt: Ptr): Err;

  dta_self_test(): Err;
  dta_wipe_stack(): void;
}

/** Every function export the bindings need; the loader refuses a module that lacks one. */
export const REQUIRED_FUNCTIONS: readonly (keyof CoreExports)[] = Object.freeze([
  'dta_fp_bytes',
  'dta_scalar_bytes',
  'dta_g1_compressed_bytes',
  'dta_g1_uncompressed_bytes',
  'dta_g2_compressed_bytes',
  'dta_g2_uncompressed_bytes',
  'dta_gt_bytes',
  'dta_secret_key_bytes',
  'dta_g1_validate',
  'dta_g1_compress',
  'dta_g1_uncompress',
  'dta_g2_validate',
  'dta_g2_compress',
  'dta_g2_uncompress',
  'dta_g1_generator',
  'dta_g1_add',
  'dta_g1_neg',
  'dta_g1_mult',
  'dta_g1_mult_public',
  'dta_g1_msm_public',
  'dta_g2_generator',
  'dta_g2_add',
  'dta_g2_neg',
  'dta_g2_mult',
  'dta_g2_mult_public',
  'dta_g2_msm_public',
  'dta_g1_hash_to_curve',
  'dta_g1_encode_to_curve',
  'dta_g2_hash_to_curve',
  'dta_g2_encode_to_curve',
  'dta_pairing',
  'dta_multi_pairing',
  'dta_pairing_check',
  'dta_sha256',
  'dta_hmac_sha256',
  'dta_hkdf_extract',
  'dta_hkdf_expand',
  'dta_expand_message_xmd',
  'dta_bls_dst',
  'dta_bls_dst_len',
  'dta_bls_pop_dst',
  'dta_bls_pop_dst_len',
  'dta_bls_keygen',
  'dta_bls_keygen_salt',
  'dta_bls_sk_to_pk',
  'dta_bls_sign',
  'dta_bls_verify',
  'dta_bls_aggregate',
  'dta_bls_aggregate_verify',
  'dta_bls_fast_aggregate_verify',
  'dta_bls_pop_prove',
  'dta_bls_pop_verify',
  'dta_msg_stream_bytes',
  'dta_msg_stream_init',
  'dta_msg_stream_update',
  'dta_bls_sign_stream',
  'dta_bls_verify_stream',
  'dta_bls_batch_scratch_bytes',
  'dta_bls_verify_batch',
  'dta_bls_public_key_bytes',
  'dta_bls_public_key',
  'dta_bls_fast_aggregate_verify_validated',
  'dta_bls_verify_batch_validated',
  'dta_bls_minsig_sk_to_pk',
  'dta_bls_minsig_sign',
  'dta_bls_minsig_verify',
  'dta_bls_minsig_aggregate',
  'dta_bls_minsig_fast_aggregate_verify',
  'dta_bls_minsig_pop_prove',
  'dta_bls_minsig_pop_verify',
  'dta_shamir_split',
  'dta_shamir_recover',
  'dta_shamir_recover_g1',
  'dta_shamir_recover_g2',
  'dta_vss_deal',
  'dta_vss_verify',
  'dta_vss_public_share',
  'dta_vss_sum',
  'dta_vss_random',
  'dta_p1_sizeof',
  'dta_p2_sizeof',
  'dta_gt_sizeof',
  'dta_p1_from_bytes',
  'dta_p1_to_bytes',
  'dta_p1_mult',
  'dta_p1_mult_public',
  'dta_p2_from_bytes',
  'dta_p2_to_bytes',
  'dta_p2_mult',
  'dta_p2_mult_public',
  'dta_gt_pairing',
  'dta_gt_to_bytes',
  'dta_self_test',
  'dta_wipe_stack',
  ...KEM_FUNCTIONS,
] satisfies (keyof CoreExports)[]);

/** The raw M-Pin exports of wasm/dta.wasm (see the M-Pin section of include/dta.h). */
export interface MpinExports {
  dta_mpin_scalar_bytes(): number;
  dta_mpin_g1_bytes(): number;
  dta_mpin_g2_bytes(): number;
  dta_mpin_gt_bytes(): number;
  dta_mpin_hash_bytes(): number;
  dta_mpin_key_bytes(): number;
  dta_mpin_random_bytes(): number;
  dta_mpin_max_pin(): number;
  dta_mpin_random_scalar(out: Ptr, random: Ptr): Err;
  dta_mpin_hash_id(hid: Ptr, id: Ptr, idLen: number): Err;
  dta_mpin_map_to_g1(out: Ptr, hid: Ptr): Err;
  dta_mpin_server_secret(out: Ptr, s: Ptr): Err;
  dta_mpin_client_secret(out: Ptr, s: Ptr, hid: Ptr): Err;
  dta_mpin_client_permit(out: Ptr, date: number, s: Ptr, hid: Ptr): Err;
  dta_mpin_recombine_g1(out: Ptr, shares: Ptr, n: number): Err;
  dta_mpin_recombine_g2(out: Ptr, shares: Ptr, n: number): Err;
  dta_mpin_g1_mul(out: Ptr, k: Ptr, p: Ptr): Err;
  dta_mpin_extract_pin(out: Ptr, id: Ptr, idLen: number, pin: number, cs: Ptr): Err;
  dta_mpin_restore_pin(out: Ptr, id: Ptr, idLen: number, pin: number, token: Ptr): Err;
  dta_mpin_extract_factor(out: Ptr, id: Ptr, idLen: number, factor: number, bits: number, cs: Ptr): Err;
  dta_mpin_restore_factor(out: Ptr, id: Ptr, idLen: number, factor: number, bits: number, cs: Ptr): Err;
  dta_mpin_client_1(
    sec: Ptr,
    u: Ptr,
    ut: Ptr,
    id: Ptr,
    idLen: number,
    date: number,
    x: Ptr,
    pin: number,
    token: Ptr,
    permit: Ptr,
  ): Err;
  dta_mpin_client_2(v: Ptr, x: Ptr, y: Ptr, sec: Ptr): Err;
  dta_mpin_server_1(hid: Ptr, htid: Ptr, id: Ptr, idLen: number, date: number): Err;
  dta_mpin_server_2(date: number, hid: Ptr, htid: Ptr, y: Ptr, ss: Ptr, u: Ptr, ut: Ptr, v: Ptr, pa: Ptr): Err;
  dta_mpin_challenge(y: Ptr, t: number, u: Ptr, msg: Ptr, msgLen: number): Err;
  dta_mpin_client(
    v: Ptr,
    u: Ptr,
    ut: Ptr,
    y: Ptr,
    id: Ptr,
    idLen: number,
    date: number,
    x: Ptr,
    pin: number,
    token: Ptr,
    permit: Ptr,
    t: number,
    msg: Ptr,
    msgLen: number,
  ): Err;
  dta_mpin_server(
    id: Ptr,
    idLen: number,
    date: number,
    t: number,
    ss: Ptr,
    u: Ptr,
    ut: Ptr,
    v: Ptr,
    msg: Ptr,
    msgLen: number,
    pa: Ptr,
  ): Err;
  dta_mpin_dvs_keypair(pa: Ptr, z: Ptr): Err;
  dta_mpin_pin_error_values(
    e: Ptr,
    f: Ptr,
    date: number,
    hid: Ptr,
    htid: Ptr,
    y: Ptr,
    ss: Ptr,
    u: Ptr,
    ut: Ptr,
    v: Ptr,
  ): Err;
  dta_mpin_pin_error(err: Ptr, e: Ptr, f: Ptr): Err;
  dta_mpin_pairing(out: Ptr, p: Ptr, q: Ptr): Err;
  dta_mpin_precompute(g1pre: Ptr, g2pre: Ptr, token: Ptr, hid: Ptr, cp: Ptr): Err;
  dta_mpin_hash_all(h: Ptr, hid: Ptr, u: Ptr, ut: Ptr, v: Ptr, y: Ptr, z: Ptr, t: Ptr): Err;
  dta_mpin_client_key(key: Ptr, g1pre: Ptr, g2pre: Ptr, pin: number, r: Ptr, x: Ptr, h: Ptr, t: Ptr): Err;
  dta_mpin_server_key(key: Ptr, z: Ptr, ss: Ptr, w: Ptr, h: Ptr, hid: Ptr, u: Ptr, ut: Ptr): Err;
}

/** Every M-Pin export; a module without them still loads, with an M-Pin namespace that says why it cannot work. */
export const MPIN_FUNCTIONS: readonly (keyof MpinExports)[] = Object.freeze([
  'dta_mpin_scalar_bytes',
  'dta_mpin_g1_bytes',
  'dta_mpin_g2_bytes',
  'dta_mpin_gt_bytes',
  'dta_mpin_hash_bytes',
  'dta_mpin_key_bytes',
  'dta_mpin_random_bytes',
  'dta_mpin_max_pin',
  'dta_mpin_random_scalar',
  'dta_mpin_hash_id',
  'dta_mpin_map_to_g1',
  'dta_mpin_server_secret',
  'dta_mpin_client_secret',
  'dta_mpin_client_permit',
  'dta_mpin_recombine_g1',
  'dta_mpin_recombine_g2',
  'dta_mpin_g1_mul',
  'dta_mpin_extract_pin',
  'dta_mpin_restore_pin',
  'dta_mpin_extract_factor',
  'dta_mpin_restore_factor',
  'dta_mpin_client_1',
  'dta_mpin_client_2',
  'dta_mpin_server_1',
  'dta_mpin_server_2',
  'dta_mpin_challenge',
  'dta_mpin_client',
  'dta_mpin_server',
  'dta_mpin_dvs_keypair',
  'dta_mpin_pin_error_values',
  'dta_mpin_pin_error',
  'dta_mpin_pairing',
  'dta_mpin_precompute',
  'dta_mpin_hash_all',
  'dta_mpin_client_key',
  'dta_mpin_server_key',
] as const);
