/*
 * The module's exports: thin wrappers that give include/dta.h its
 * boundary rules. Every point is decoded with full validation, every
 * scalar is checked against r, and every output is zeroed on failure, so a
 * caller can never read a half-computed result.
 */
#include "../include/dta.h"
#include "bls.h"
#include "encoding.h"
#include "hash_to_curve.h"
#include "pairing.h"
#include "sha256.h"
#include "shamir.h"

/* Zero the output when e is an error, then pass e on. */
static dta_error finish(dta_error e, void *out, size_t out_len)
{
    if (e != DTA_OK) secure_zero(out, out_len);
    return e;
}

/* ---- sizes ---------------------------------------------------------------- */
DTA_EXPORT(dta_fp_bytes) size_t dta_fp_bytes(void) { return DTA_FP_BYTES; }
DTA_EXPORT(dta_scalar_bytes) size_t dta_scalar_bytes(void) { return DTA_SCALAR_BYTES; }
DTA_EXPORT(dta_g1_compressed_bytes) size_t dta_g1_compressed_bytes(void) { return DTA_G1_COMPRESSED_BYTES; }
DTA_EXPORT(dta_g1_uncompressed_bytes) size_t dta_g1_uncompressed_bytes(void) { return DTA_G1_UNCOMPRESSED_BYTES; }
DTA_EXPORT(dta_g2_compressed_bytes) size_t dta_g2_compressed_bytes(void) { return DTA_G2_COMPRESSED_BYTES; }
DTA_EXPORT(dta_g2_uncompressed_bytes) size_t dta_g2_uncompressed_bytes(void) { return DTA_G2_UNCOMPRESSED_BYTES; }
DTA_EXPORT(dta_gt_bytes) size_t dta_gt_bytes(void) { return DTA_GT_BYTES; }
DTA_EXPORT(dta_secret_key_bytes) size_t dta_secret_key_bytes(void) { return DTA_SECRET_KEY_BYTES; }

/* ---- G1 ----------------------------------------------------------------------- */
DTA_EXPORT(dta_g1_validate) dta_error dta_g1_validate(const uint8_t *in, size_t in_len)
{
    g1 p;
    return g1_decode(&p, in, in_len);
}

DTA_EXPORT(dta_g1_compress) dta_error dta_g1_compress(uint8_t out[48], const uint8_t *in, size_t in_len)
{
    g1 p;
    dta_error e = g1_decode(&p, in, in_len);
    if (e == DTA_OK) g1_encode_compressed(out, &p);
    return finish(e, out, 48);
}

DTA_EXPORT(dta_g1_uncompress) dta_error dta_g1_uncompress(uint8_t out[96], const uint8_t *in, size_t in_len)
{
    g1 p;
    dta_error e = g1_decode(&p, in, in_len);
    if (e == DTA_OK) g1_encode_uncompressed(out, &p);
    return finish(e, out, 96);
}

DTA_EXPORT(dta_g1_generator) dta_error dta_g1_generator(uint8_t out[96])
{
    g1_encode_uncompressed(out, &G1_GENERATOR);
    return DTA_OK;
}

DTA_EXPORT(dta_g1_add) dta_error dta_g1_add(uint8_t out[96], const uint8_t a[96], const uint8_t b[96])
{
    g1 p, q;
    dta_error e = g1_decode(&p, a, 96);
    if (e == DTA_OK) e = g1_decode(&q, b, 96);
    if (e == DTA_OK) {
        g1_add(&p, &p, &q);
        g1_encode_uncompressed(out, &p);
    }
    return finish(e, out, 96);
}

DTA_EXPORT(dta_g1_neg) dta_error dta_g1_neg(uint8_t out[96], const uint8_t a[96])
{
    g1 p;
    dta_error e = g1_decode(&p, a, 96);
    if (e == DTA_OK) {
        g1_neg(&p, &p);
        g1_encode_uncompressed(out, &p);
    }
    return finish(e, out, 96);
}

/* Scalar and point parsed once for the constant-time and the public multiplier. */
static dta_error g1_mult_any(uint8_t out[96], const uint8_t p96[96], const uint8_t k[32], int secret)
{
    g1 p;
    scalar s;
    dta_error e = g1_decode(&p, p96, 96);
    if (e == DTA_OK && !scalar_from_bytes(&s, k)) e = DTA_BAD_SCALAR;
    if (e == DTA_OK) {
        if (secret) g1_mult(&p, &p, &s);
        else g1_mult_vartime(&p, &p, &s);
        g1_encode_uncompressed(out, &p);
    }
    secure_zero(&s, sizeof s);
    return finish(e, out, 96);
}

DTA_EXPORT(dta_g1_mult) dta_error dta_g1_mult(uint8_t out[96], const uint8_t p[96], const uint8_t k[32])
{
    return g1_mult_any(out, p, k, 1);
}

DTA_EXPORT(dta_g1_mult_public)
dta_error dta_g1_mult_public(uint8_t out[96], const uint8_t p[96], const uint8_t k[32])
{
    return g1_mult_any(out, p, k, 0);
}

/* ---- G2 ----------------------------------------------------------------------- */
DTA_EXPORT(dta_g2_validate) dta_error dta_g2_validate(const uint8_t *in, size_t in_len)
{
    g2 p;
    return g2_decode(&p, in, in_len);
}

DTA_EXPORT(dta_g2_compress) dta_error dta_g2_compress(uint8_t out[96], const uint8_t *in, size_t in_len)
{
    g2 p;
    dta_error e = g2_decode(&p, in, in_len);
    if (e == DTA_OK) g2_encode_compressed(out, &p);
    return finish(e, out, 96);
}

DTA_EXPORT(dta_g2_uncompress) dta_error dta_g2_uncompress(uint8_t out[192], const uint8_t *in, size_t in_len)
{
    g2 p;
    dta_error e = g2_decode(&p, in, in_len);
    if (e == DTA_OK) g2_encode_uncompressed(out, &p);
    return finish(e, out, 192);
}

DTA_EXPORT(dta_g2_generator) dta_error dta_g2_generator(uint8_t out[192])
{
    g2_encode_uncompressed(out, &G2_GENERATOR);
    return DTA_OK;
}

DTA_EXPORT(dta_g2_add) dta_error dta_g2_add(uint8_t out[192], const uint8_t a[192], const uint8_t b[192])
{
    g2 p, q;
    dta_error e = g2_decode(&p, a, 192);
    if (e == DTA_OK) e = g2_decode(&q, b, 192);
    if (e == DTA_OK) {
        g2_add(&p, &p, &q);
        g2_encode_uncompressed(out, &p);
    }
    return finish(e, out, 192);
}

DTA_EXPORT(dta_g2_neg) dta_error dta_g2_neg(uint8_t out[192], const uint8_t a[192])
{
    g2 p;
    dta_error e = g2_decode(&p, a, 192);
    if (e == DTA_OK) {
        g2_neg(&p, &p);
        g2_encode_uncompressed(out, &p);
    }
    return finish(e, out, 192);
}

static dta_error g2_mult_any(uint8_t out[192], const uint8_t p192[192], const uint8_t k[32], int secret)
{
    g2 p;
    scalar s;
    dta_error e = g2_decode(&p, p192, 192);
    if (e == DTA_OK && !scalar_from_bytes(&s, k)) e = DTA_BAD_SCALAR;
    if (e == DTA_OK) {
        if (secret) g2_mult(&p, &p, &s);
        else g2_mult_vartime(&p, &p, &s);
        g2_encode_uncompressed(out, &p);
    }
    secure_zero(&s, sizeof s);
    return finish(e, out, 192);
}

DTA_EXPORT(dta_g2_mult) dta_error dta_g2_mult(uint8_t out[192], const uint8_t p[192], const uint8_t k[32])
{
    return g2_mult_any(out, p, k, 1);
}

DTA_EXPORT(dta_g2_mult_public)
dta_error dta_g2_mult_public(uint8_t out[192], const uint8_t p[192], const uint8_t k[32])
{
    return g2_mult_any(out, p, k, 0);
}

/* ---- Multi-scalar multiplication -------------------------------------------------
 * No allocator: points are taken in chunks through a static work area and
 * the chunk results added. */
#define MSM_CHUNK 64
#define MSM_SCRATCH_BYTES (96 * 1024)
static union { g1_affine g1[MSM_CHUNK]; g2_affine g2[MSM_CHUNK]; } msm_points;
static scalar msm_scalars[MSM_CHUNK];
static uint8_t msm_scratch[MSM_SCRATCH_BYTES] __attribute__((aligned(16)));

static dta_error g1_msm_chunk(g1 *r, const uint8_t *points, const uint8_t *scalars, size_t n)
{
    g1 p;
    for (size_t i = 0; i < n; i++) {
        dta_error e = g1_decode(&p, points + 96 * i, 96);
        if (e != DTA_OK) return e;
        if (!scalar_from_bytes(&msm_scalars[i], scalars + 32 * i)) return DTA_BAD_SCALAR;
        g1_to_affine(&msm_points.g1[i], &p);
    }
    if (g1_msm_scratch_size(n) > MSM_SCRATCH_BYTES) return DTA_BAD_ARGUMENT;
    g1_msm_vartime(r, msm_points.g1, msm_scalars, n, msm_scratch);
    return DTA_OK;
}

DTA_EXPORT(dta_g1_msm_public)
dta_error dta_g1_msm_public(uint8_t out[96], const uint8_t *points, const uint8_t *scalars, size_t n)
{
    g1 acc = G1_INFINITY, part;
    dta_error e = n == 0 ? DTA_BAD_ARGUMENT : DTA_OK;
    for (size_t i = 0; e == DTA_OK && i < n; i += MSM_CHUNK) {
        size_t m = n - i < MSM_CHUNK ? n - i : MSM_CHUNK;
        e = g1_msm_chunk(&part, points + 96 * i, scalars + 32 * i, m);
        if (e == DTA_OK) g1_add(&acc, &acc, &part);
    }
    if (e == DTA_OK) g1_encode_uncompressed(out, &acc);
    return finish(e, out, 96);
}

static dta_error g2_msm_chunk(g2 *r, const uint8_t *points, const uint8_t *scalars, size_t n)
{
    g2 p;
    for (size_t i = 0; i < n; i++) {
        dta_error e = g2_decode(&p, points + 192 * i, 192);
        if (e != DTA_OK) return e;
        if (!scalar_from_bytes(&msm_scalars[i], scalars + 32 * i)) return DTA_BAD_SCALAR;
        g2_to_affine(&msm_points.g2[i], &p);
    }
    if (g2_msm_scratch_size(n) > MSM_SCRATCH_BYTES) return DTA_BAD_ARGUMENT;
    g2_msm_vartime(r, msm_points.g2, msm_scalars, n, msm_scratch);
    return DTA_OK;
}

DTA_EXPORT(dta_g2_msm_public)
dta_error dta_g2_msm_public(uint8_t out[192], const uint8_t *points, const uint8_t *scalars, size_t n)
{
    g2 acc = G2_INFINITY, part;
    dta_error e = n == 0 ? DTA_BAD_ARGUMENT : DTA_OK;
    for (size_t i = 0; e == DTA_OK && i < n; i += MSM_CHUNK) {
        size_t m = n - i < MSM_CHUNK ? n - i : MSM_CHUNK;
        e = g2_msm_chunk(&part, points + 192 * i, scalars + 32 * i, m);
        if (e == DTA_OK) g2_add(&acc, &acc, &part);
    }
    if (e == DTA_OK) g2_encode_uncompressed(out, &acc);
    return finish(e, out, 192);
}

/* ---- Hash to curve ------------------------------------------------------------ */
DTA_EXPORT(dta_g1_hash_to_curve)
dta_error dta_g1_hash_to_curve(uint8_t out[96], const uint8_t *msg, size_t msg_len,
                               const uint8_t *dst, size_t dst_len)
{
    g1 p;
    if (dst_len == 0) return finish(DTA_BAD_ARGUMENT, out, 96);    /* RFC 9380 3.1 */
    hash_to_g1(&p, msg, msg_len, dst, dst_len);
    g1_encode_uncompressed(out, &p);
    return DTA_OK;
}

DTA_EXPORT(dta_g1_encode_to_curve)
dta_error dta_g1_encode_to_curve(uint8_t out[96], const uint8_t *msg, size_t msg_len,
                                 const uint8_t *dst, size_t dst_len)
{
    g1 p;
    if (dst_len == 0) return finish(DTA_BAD_ARGUMENT, out, 96);    /* RFC 9380 3.1 */
    encode_to_g1(&p, msg, msg_len, dst, dst_len);
    g1_encode_uncompressed(out, &p);
    return DTA_OK;
}

DTA_EXPORT(dta_g2_hash_to_curve)
dta_error dta_g2_hash_to_curve(uint8_t out[192], const uint8_t *msg, size_t msg_len,
                               const uint8_t *dst, size_t dst_len)
{
    g2 p;
    if (dst_len == 0) return finish(DTA_BAD_ARGUMENT, out, 192);    /* RFC 9380 3.1 */
    hash_to_g2(&p, msg, msg_len, dst, dst_len);
    g2_encode_uncompressed(out, &p);
    return DTA_OK;
}

DTA_EXPORT(dta_g2_encode_to_curve)
dta_error dta_g2_encode_to_curve(uint8_t out[192], const uint8_t *msg, size_t msg_len,
                                 const uint8_t *dst, size_t dst_len)
{
    g2 p;
    if (dst_len == 0) return finish(DTA_BAD_ARGUMENT, out, 192);    /* RFC 9380 3.1 */
    encode_to_g2(&p, msg, msg_len, dst, dst_len);
    g2_encode_uncompressed(out, &p);
    return DTA_OK;
}

/* ---- Pairing -------------------------------------------------------------------- */
static dta_error pairing_product(fp12 *r, const uint8_t *ps, const uint8_t *qs, size_t n)
{
    pair_batch b;
    g1 p;
    g2 q;
    if (n == 0) return DTA_BAD_ARGUMENT;
    pair_batch_init(&b);
    for (size_t i = 0; i < n; i++) {
        dta_error e = g1_decode(&p, ps + 96 * i, 96);
        if (e == DTA_OK) e = g2_decode(&q, qs + 192 * i, 192);
        if (e != DTA_OK) return e;
        pair_batch_add(&b, &p, &q);
    }
    pair_batch_result(r, &b);
    return DTA_OK;
}

DTA_EXPORT(dta_pairing) dta_error dta_pairing(uint8_t out[576], const uint8_t p[96], const uint8_t q[192])
{
    return dta_multi_pairing(out, p, q, 1);
}

DTA_EXPORT(dta_multi_pairing)
dta_error dta_multi_pairing(uint8_t out[576], const uint8_t *ps, const uint8_t *qs, size_t n)
{
    fp12 r;
    dta_error e = pairing_product(&r, ps, qs, n);
    if (e == DTA_OK) fp12_to_bytes(out, &r);
    return finish(e, out, 576);
}

DTA_EXPORT(dta_pairing_check) dta_error dta_pairing_check(const uint8_t *ps, const uint8_t *qs, size_t n)
{
    fp12 r;
    dta_error e = pairing_product(&r, ps, qs, n);
    if (e != DTA_OK) return e;
    return fp12_is_one(&r) ? DTA_OK : DTA_VERIFY_FAIL;
}

/* ---- Hashes and KDFs -------------------------------------------------------------- */
DTA_EXPORT(dta_sha256) dta_error dta_sha256(uint8_t out[32], const uint8_t *msg, size_t len)
{
    sha256(out, msg, len);
    return DTA_OK;
}

DTA_EXPORT(dta_hmac_sha256)
dta_error dta_hmac_sha256(uint8_t out[32], const uint8_t *key, size_t key_len, const uint8_t *msg, size_t len)
{
    hmac_sha256(out, key, key_len, msg, len);
    return DTA_OK;
}

DTA_EXPORT(dta_hkdf_extract)
dta_error dta_hkdf_extract(uint8_t prk[32], const uint8_t *salt, size_t salt_len, const uint8_t *ikm,
                           size_t ikm_len)
{
    hkdf_extract(prk, salt, salt_len, ikm, ikm_len);
    return DTA_OK;
}

DTA_EXPORT(dta_hkdf_expand)
dta_error dta_hkdf_expand(uint8_t *out, size_t out_len, const uint8_t prk[32], const uint8_t *info,
                          size_t info_len)
{
    if (!hkdf_expand(out, out_len, prk, info, info_len)) return DTA_BAD_LENGTH;
    return DTA_OK;
}

DTA_EXPORT(dta_expand_message_xmd)
dta_error dta_expand_message_xmd(uint8_t *out, size_t out_len, const uint8_t *msg, size_t msg_len,
                                 const uint8_t *dst, size_t dst_len)
{
    if (dst_len == 0) return DTA_BAD_ARGUMENT;                      /* RFC 9380 3.1 */
    if (!expand_message_xmd(out, out_len, msg, msg_len, dst, dst_len)) return DTA_BAD_LENGTH;
    return DTA_OK;
}

/* ---- BLS signatures ----------------------------------------------------------------- */
DTA_EXPORT(dta_bls_dst) const uint8_t *dta_bls_dst(void) { size_t n; return bls_dst(&n); }
DTA_EXPORT(dta_bls_dst_len) size_t dta_bls_dst_len(void) { size_t n; bls_dst(&n); return n; }
DTA_EXPORT(dta_bls_pop_dst) const uint8_t *dta_bls_pop_dst(void) { size_t n; return bls_pop_dst(&n); }
DTA_EXPORT(dta_bls_pop_dst_len) size_t dta_bls_pop_dst_len(void) { size_t n; bls_pop_dst(&n); return n; }

DTA_EXPORT(dta_bls_keygen)
dta_error dta_bls_keygen(uint8_t sk[32], const uint8_t *ikm, size_t ikm_len, const uint8_t *info,
                         size_t info_len)
{
    return finish(bls_keygen_default(sk, ikm, ikm_len, info, info_len), sk, 32);
}

DTA_EXPORT(dta_bls_keygen_salt)
dta_error dta_bls_keygen_salt(uint8_t sk[32], const uint8_t *ikm, size_t ikm_len, const uint8_t *salt,
                              size_t salt_len, const uint8_t *info, size_t info_len)
{
    return finish(bls_keygen(sk, ikm, ikm_len, salt, salt_len, info, info_len), sk, 32);
}

DTA_EXPORT(dta_bls_sk_to_pk) dta_error dta_bls_sk_to_pk(uint8_t pk[48], const uint8_t sk[32])
{
    return finish(bls_sk_to_pk(pk, sk), pk, 48);
}

DTA_EXPORT(dta_bls_sign)
dta_error dta_bls_sign(uint8_t sig[96], const uint8_t sk[32], const uint8_t *msg, size_t msg_len,
                       const uint8_t *dst, size_t dst_len)
{
    return finish(bls_sign(sig, sk, msg, msg_len, dst, dst_len), sig, 96);
}

DTA_EXPORT(dta_bls_verify)
dta_error dta_bls_verify(const uint8_t pk[48], const uint8_t *msg, size_t msg_len, const uint8_t sig[96],
                         const uint8_t *dst, size_t dst_len)
{
    return bls_verify(pk, msg, msg_len, sig, dst, dst_len);
}

DTA_EXPORT(dta_bls_aggregate) dta_error dta_bls_aggregate(uint8_t out[96], const uint8_t *sigs, size_t n)
{
    return finish(bls_aggregate(out, sigs, n), out, 96);
}

DTA_EXPORT(dta_bls_aggregate_verify)
dta_error dta_bls_aggregate_verify(const uint8_t *pks, size_t n, const uint8_t *msgs, const uint32_t *msg_lens,
                                   const uint8_t sig[96], const uint8_t *dst, size_t dst_len)
{
    return bls_aggregate_verify(pks, n, msgs, msg_lens, sig, dst, dst_len);
}

DTA_EXPORT(dta_bls_fast_aggregate_verify)
dta_error dta_bls_fast_aggregate_verify(const uint8_t *pks, size_t n, const uint8_t *msg, size_t msg_len,
                                        const uint8_t sig[96], const uint8_t *dst, size_t dst_len)
{
    return bls_fast_aggregate_verify(pks, n, msg, msg_len, sig, dst, dst_len);
}

/* Long messages in chunks: the state is the SHA-256 state of b_0's
 * message part, public data; any bytes there are a valid state (the
 * buffer index is len mod 64), so a corrupted one only changes the hash. */
DTA_EXPORT(dta_msg_stream_bytes) size_t dta_msg_stream_bytes(void) { return sizeof(sha256_ctx); }

DTA_EXPORT(dta_msg_stream_init) dta_error dta_msg_stream_init(void *state)
{
    sha256_ctx m;
    h2c_msg_begin(&m);
    memcpy(state, &m, sizeof m);
    return DTA_OK;
}

DTA_EXPORT(dta_msg_stream_update) dta_error dta_msg_stream_update(void *state, const uint8_t *chunk, size_t len)
{
    sha256_ctx m;
    memcpy(&m, state, sizeof m);
    sha256_update(&m, chunk, len);
    memcpy(state, &m, sizeof m);
    return DTA_OK;
}

DTA_EXPORT(dta_bls_sign_stream)
dta_error dta_bls_sign_stream(uint8_t sig[96], const uint8_t sk[32], const void *state, const uint8_t *dst,
                              size_t dst_len)
{
    sha256_ctx m;
    memcpy(&m, state, sizeof m);
    return finish(bls_sign_absorbed(sig, sk, &m, dst, dst_len), sig, 96);
}

DTA_EXPORT(dta_bls_verify_stream)
dta_error dta_bls_verify_stream(const uint8_t pk[48], const void *state, const uint8_t sig[96], const uint8_t *dst,
                                size_t dst_len)
{
    sha256_ctx m;
    memcpy(&m, state, sizeof m);
    return bls_verify_absorbed(pk, &m, sig, dst, dst_len);
}

DTA_EXPORT(dta_bls_batch_scratch_bytes) size_t dta_bls_batch_scratch_bytes(size_t n)
{
    return bls_batch_scratch_bytes(n);
}

DTA_EXPORT(dta_bls_verify_batch)
dta_error dta_bls_verify_batch(uint8_t *valid, const uint8_t *pks, const uint8_t *msgs, const uint32_t *msg_lens,
                               const uint8_t *sigs, size_t n, const uint8_t *randomness, const uint8_t *dst,
                               size_t dst_len, void *scratch, size_t scratch_len)
{
    dta_error e = bls_verify_batch(valid, pks, 0, msgs, msg_lens, sigs, n, randomness, dst, dst_len, scratch,
                                   scratch_len);
    if (e != DTA_OK && e != DTA_VERIFY_FAIL) secure_zero(valid, n <= BLS_BATCH_MAX ? n : 0);
    return e;
}

DTA_EXPORT(dta_bls_verify_batch_validated)
dta_error dta_bls_verify_batch_validated(uint8_t *valid, const uint8_t *keys, const uint8_t *msgs,
                                         const uint32_t *msg_lens, const uint8_t *sigs, size_t n,
                                         const uint8_t *randomness, const uint8_t *dst, size_t dst_len,
                                         void *scratch, size_t scratch_len)
{
    dta_error e = bls_verify_batch(valid, keys, 1, msgs, msg_lens, sigs, n, randomness, dst, dst_len, scratch,
                                   scratch_len);
    if (e != DTA_OK && e != DTA_VERIFY_FAIL) secure_zero(valid, n <= BLS_BATCH_MAX ? n : 0);
    return e;
}

DTA_EXPORT(dta_bls_public_key_bytes) size_t dta_bls_public_key_bytes(void) { return sizeof(g1_affine); }

DTA_EXPORT(dta_bls_public_key)
dta_error dta_bls_public_key(uint8_t out[96], const uint8_t *pk, size_t pk_len)
{
    return finish(bls_public_key(out, pk, pk_len), out, sizeof(g1_affine));
}

DTA_EXPORT(dta_bls_fast_aggregate_verify_validated)
dta_error dta_bls_fast_aggregate_verify_validated(const uint8_t *keys, size_t n, const uint8_t *msg, size_t msg_len,
                                                  const uint8_t sig[96], const uint8_t *dst, size_t dst_len)
{
    return bls_fast_aggregate_verify_validated(keys, n, msg, msg_len, sig, dst, dst_len);
}

DTA_EXPORT(dta_bls_pop_prove)
dta_error dta_bls_pop_prove(uint8_t proof[96], const uint8_t sk[32], const uint8_t *dst, size_t dst_len)
{
    return finish(bls_pop_prove(proof, sk, dst, dst_len), proof, 96);
}

DTA_EXPORT(dta_bls_pop_verify)
dta_error dta_bls_pop_verify(const uint8_t pk[48], const uint8_t proof[96], const uint8_t *dst, size_t dst_len)
{
    return bls_pop_verify(pk, proof, dst, dst_len);
}

DTA_EXPORT(dta_bls_minsig_sk_to_pk) dta_error dta_bls_minsig_sk_to_pk(uint8_t pk[96], const uint8_t sk[32])
{
    return finish(bls_minsig_sk_to_pk(pk, sk), pk, 96);
}

DTA_EXPORT(dta_bls_minsig_sign)
dta_error dta_bls_minsig_sign(uint8_t sig[48], const uint8_t sk[32], const uint8_t *msg, size_t msg_len,
                              const uint8_t *dst, size_t dst_len)
{
    return finish(bls_minsig_sign(sig, sk, msg, msg_len, dst, dst_len), sig, 48);
}

DTA_EXPORT(dta_bls_minsig_verify)
dta_error dta_bls_minsig_verify(const uint8_t pk[96], const uint8_t *msg, size_t msg_len, const uint8_t sig[48],
                                const uint8_t *dst, size_t dst_len)
{
    return bls_minsig_verify(pk, msg, msg_len, sig, dst, dst_len);
}

DTA_EXPORT(dta_bls_minsig_aggregate)
dta_error dta_bls_minsig_aggregate(uint8_t out[48], const uint8_t *sigs, size_t n)
{
    return finish(bls_minsig_aggregate(out, sigs, n), out, 48);
}

DTA_EXPORT(dta_bls_minsig_fast_aggregate_verify)
dta_error dta_bls_minsig_fast_aggregate_verify(const uint8_t *pks, size_t n, const uint8_t *msg,
                                               size_t msg_len, const uint8_t sig[48],
                                               const uint8_t *dst, size_t dst_len)
{
    return bls_minsig_fast_aggregate_verify(pks, n, msg, msg_len, sig, dst, dst_len);
}

DTA_EXPORT(dta_bls_minsig_pop_prove)
dta_error dta_bls_minsig_pop_prove(uint8_t proof[48], const uint8_t sk[32], const uint8_t *dst, size_t dst_len)
{
    return finish(bls_minsig_pop_prove(proof, sk, dst, dst_len), proof, 48);
}

DTA_EXPORT(dta_bls_minsig_pop_verify)
dta_error dta_bls_minsig_pop_verify(const uint8_t pk[96], const uint8_t proof[48], const uint8_t *dst,
                                    size_t dst_len)
{
    return bls_minsig_pop_verify(pk, proof, dst, dst_len);
}

/* ---- Shamir ------------------------------------------------------------------------- */
DTA_EXPORT(dta_shamir_split)
dta_error dta_shamir_split(uint8_t *shares, const uint8_t secret[32], uint32_t t, uint32_t n,
                           const uint8_t *random)
{
    dta_error e = shamir_split(shares, secret, t, n, random);
    return finish(e, shares, e == DTA_BAD_ARGUMENT ? 0 : 32 * (size_t)n);
}

DTA_EXPORT(dta_shamir_recover)
dta_error dta_shamir_recover(uint8_t secret[32], const uint32_t *indices, const uint8_t *shares, size_t k)
{
    return finish(shamir_recover(secret, indices, shares, k), secret, 32);
}

DTA_EXPORT(dta_shamir_recover_g1)
dta_error dta_shamir_recover_g1(uint8_t out[48], const uint32_t *indices, const uint8_t *points, size_t k)
{
    return finish(shamir_recover_g1(out, indices, points, k), out, 48);
}

DTA_EXPORT(dta_shamir_recover_g2)
dta_error dta_shamir_recover_g2(uint8_t out[96], const uint32_t *indices, const uint8_t *points, size_t k)
{
    return finish(shamir_recover_g2(out, indices, points, k), out, 96);
}

/* ---- Raw handles ---------------------------------------------------------------------- */
DTA_EXPORT(dta_p1_sizeof) size_t dta_p1_sizeof(void) { return sizeof(g1); }
DTA_EXPORT(dta_p2_sizeof) size_t dta_p2_sizeof(void) { return sizeof(g2); }
DTA_EXPORT(dta_gt_sizeof) size_t dta_gt_sizeof(void) { return sizeof(fp12); }

DTA_EXPORT(dta_p1_from_bytes) dta_error dta_p1_from_bytes(void *p, const uint8_t *in, size_t in_len)
{
    return finish(g1_decode(p, in, in_len), p, sizeof(g1));
}

DTA_EXPORT(dta_p1_to_bytes) dta_error dta_p1_to_bytes(uint8_t out[96], const void *p)
{
    g1_encode_uncompressed(out, p);
    return DTA_OK;
}

DTA_EXPORT(dta_p1_mult) dta_error dta_p1_mult(void *out, const void *p, const uint8_t k[32])
{
    scalar s;
    if (!scalar_from_bytes(&s, k)) return finish(DTA_BAD_SCALAR, out, sizeof(g1));
    g1_mult(out, p, &s);
    secure_zero(&s, sizeof s);
    return DTA_OK;
}

DTA_EXPORT(dta_p1_mult_public) dta_error dta_p1_mult_public(void *out, const void *p, const uint8_t k[32])
{
    scalar s;
    if (!scalar_from_bytes(&s, k)) return finish(DTA_BAD_SCALAR, out, sizeof(g1));
    g1_mult_vartime(out, p, &s);
    return DTA_OK;
}

DTA_EXPORT(dta_p2_from_bytes) dta_error dta_p2_from_bytes(void *p, const uint8_t *in, size_t in_len)
{
    return finish(g2_decode(p, in, in_len), p, sizeof(g2));
}

DTA_EXPORT(dta_p2_to_bytes) dta_error dta_p2_to_bytes(uint8_t out[192], const void *p)
{
    g2_encode_uncompressed(out, p);
    return DTA_OK;
}

DTA_EXPORT(dta_p2_mult) dta_error dta_p2_mult(void *out, const void *p, const uint8_t k[32])
{
    scalar s;
    if (!scalar_from_bytes(&s, k)) return finish(DTA_BAD_SCALAR, out, sizeof(g2));
    g2_mult(out, p, &s);
    secure_zero(&s, sizeof s);
    return DTA_OK;
}

DTA_EXPORT(dta_p2_mult_public) dta_error dta_p2_mult_public(void *out, const void *p, const uint8_t k[32])
{
    scalar s;
    if (!scalar_from_bytes(&s, k)) return finish(DTA_BAD_SCALAR, out, sizeof(g2));
    g2_mult_vartime(out, p, &s);
    return DTA_OK;
}

DTA_EXPORT(dta_gt_pairing) dta_error dta_gt_pairing(void *out, const void *p1, const void *p2)
{
    g1_affine a;
    g2_affine b;
    g1_to_affine(&a, p1);
    g2_to_affine(&b, p2);
    pairing(out, &a, &b);
    return DTA_OK;
}

DTA_EXPORT(dta_gt_to_bytes) dta_error dta_gt_to_bytes(uint8_t out[576], const void *gt)
{
    fp12_to_bytes(out, gt);
    return DTA_OK;
}

DTA_EXPORT(dta_wipe_stack) void dta_wipe_stack(void)
{
    wipe_stack();
}

DTA_EXPORT(dta_self_test) dta_error dta_self_test(void)
{
    return self_test();
}
