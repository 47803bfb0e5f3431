/*
 * IETF BLS signatures, draft-irtf-cfrg-bls-signature-05, on BLS12-381.
 *
 * Two group assignments share this file:
 *  - min-pk (dta's ciphersuite BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_):
 *    public keys in G1, signatures in G2;
 *  - min-sig (the swapped variant in Milagro's vectors): public keys in G2,
 *    signatures in G1.
 * The DST is always an argument so that test suites can pass their own.
 * Secret keys are multiplied in constant time; everything verified is public.
 */
#include "bls.h"
#include "encoding.h"
#include "hash_to_curve.h"
#include "pair_batch.h"
#include "sha256.h"

static const uint8_t BLS_DST[] = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
static const uint8_t BLS_POP_DST[] = "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
static const uint8_t KEYGEN_SALT[] = "BLS-SIG-KEYGEN-SALT-";

const uint8_t *bls_dst(size_t *len) { *len = sizeof BLS_DST - 1; return BLS_DST; }
const uint8_t *bls_pop_dst(size_t *len) { *len = sizeof BLS_POP_DST - 1; return BLS_POP_DST; }

/* ---- KeyGen (draft-05 section 2.3) ------------------------------------------ */

/* HKDF-Expand (RFC 5869) whose info is the concatenation info1 || info2, so the
 * draft's key_info || I2OSP(L, 2) needs no buffer of unbounded size. */
static void hkdf_expand_two(uint8_t *out, size_t out_len, const uint8_t prk[32],
                            const uint8_t *info1, size_t len1, const uint8_t *info2, size_t len2)
{
    uint8_t t[32];
    hmac_sha256_ctx h;
    for (uint8_t i = 1; out_len > 0; i++) {
        size_t take = out_len < 32 ? out_len : 32;
        hmac_sha256_init(&h, prk, 32);
        if (i > 1) hmac_sha256_update(&h, t, 32);      /* T(i) = HMAC(PRK, T(i-1) || info || i) */
        hmac_sha256_update(&h, info1, len1);
        hmac_sha256_update(&h, info2, len2);
        hmac_sha256_update(&h, &i, 1);
        hmac_sha256_final(t, &h);
        memcpy(out, t, take);
        out += take;
        out_len -= take;
    }
    secure_zero(t, sizeof t);
}

/* One HKDF round: SK = OS2IP(HKDF-Expand(HKDF-Extract(salt, IKM || 0), info || I2OSP(48, 2), 48)) mod r. */
static void keygen_round(fr *sk, const uint8_t salt[32], size_t salt_len, const uint8_t *ikm,
                         size_t ikm_len, const uint8_t *info, size_t info_len)
{
    static const uint8_t zero = 0, l_be[2] = { 0, 48 };
    uint8_t prk[32], okm[48];
    hmac_sha256_ctx h;

    hmac_sha256_init(&h, salt, salt_len);          /* Extract over IKM || I2OSP(0, 1) */
    hmac_sha256_update(&h, ikm, ikm_len);
    hmac_sha256_update(&h, &zero, 1);
    hmac_sha256_final(prk, &h);
    hkdf_expand_two(okm, 48, prk, info, info_len, l_be, 2);
    fr_from_bytes_reduce(sk, okm, 48);
    secure_zero(prk, sizeof prk);
    secure_zero(okm, sizeof okm);
}

/* The first round uses salt as given; each retry (SK = 0, probability ~2^-255) hashes it. */
dta_error bls_keygen(uint8_t out[32], const uint8_t *ikm, size_t ikm_len, const uint8_t *salt,
                     size_t salt_len, const uint8_t *info, size_t info_len)
{
    uint8_t s[32];
    fr sk;

    if (ikm_len < 32) return DTA_BAD_LENGTH;
    keygen_round(&sk, salt, salt_len, ikm, ikm_len, info, info_len);
    while (fr_is_zero(&sk)) {
        sha256(s, salt, salt_len);
        salt = s;
        salt_len = 32;
        keygen_round(&sk, salt, salt_len, ikm, ikm_len, info, info_len);
    }
    fr_to_bytes(out, &sk);
    secure_zero(&sk, sizeof sk);
    return DTA_OK;
}

/* The standard procedure starts from H("BLS-SIG-KEYGEN-SALT-"). */
dta_error bls_keygen_default(uint8_t out[32], const uint8_t *ikm, size_t ikm_len,
                             const uint8_t *info, size_t info_len)
{
    uint8_t salt[32];
    sha256(salt, KEYGEN_SALT, sizeof KEYGEN_SALT - 1);
    return bls_keygen(out, ikm, ikm_len, salt, 32, info, info_len);
}

/* ---- Parsing at the boundary ---------------------------------------------------- */

/* RFC 9380 3.1: a DST must not be empty (it separates this use of the hash
 * from every other). Longer than 255 bytes is fine (5.3.3). */
#define REQUIRE_DST(len) do { if ((len) == 0) return DTA_BAD_ARGUMENT; } while (0)

/* A secret key is a canonical scalar in [1, r). */
dta_error bls_parse_sk(scalar *s, const uint8_t sk[32])
{
    fr k;
    limb_t ok = fr_from_bytes(&k, sk);
    limb_t bad = (ok ^ 1) | fr_is_zero(&k);
    fr_to_scalar(s, &k);
    secure_zero(&k, sizeof k);
    return bad ? DTA_BAD_SCALAR : DTA_OK;
}

/* KeyValidate: a valid encoding of a subgroup point that is not the identity. */
static dta_error parse_pk_g1(g1 *pk, const uint8_t *in, size_t len)
{
    dta_error e = g1_decode(pk, in, len);
    if (e != DTA_OK) return e;
    return g1_is_inf(pk) ? DTA_INFINITY : DTA_OK;
}

static dta_error parse_pk_g2(g2 *pk, const uint8_t *in, size_t len)
{
    dta_error e = g2_decode(pk, in, len);
    if (e != DTA_OK) return e;
    return g2_is_inf(pk) ? DTA_INFINITY : DTA_OK;
}

/* ---- min-pk: keys in G1, signatures in G2 ----------------------------------- */

dta_error bls_sk_to_pk(uint8_t pk[48], const uint8_t sk[32])
{
    scalar s;
    g1 p;
    dta_error e = bls_parse_sk(&s, sk);
    if (e != DTA_OK) return e;
    g1_mult(&p, &G1_GENERATOR, &s);
    g1_encode_compressed(pk, &p);
    secure_zero(&s, sizeof s);
    return DTA_OK;
}

/* CoreSign: sk * hash_to_G2(msg), the message absorbed (h2c_msg_begin). */
dta_error bls_sign_absorbed(uint8_t sig[96], const uint8_t sk[32], const sha256_ctx *m,
                            const uint8_t *dst, size_t dst_len)
{
    scalar s;
    g2 h;
    REQUIRE_DST(dst_len);
    dta_error e = bls_parse_sk(&s, sk);
    if (e != DTA_OK) return e;
    hash_to_g2_absorbed(&h, m, dst, dst_len);
    g2_mult(&h, &h, &s);
    g2_encode_compressed(sig, &h);
    secure_zero(&s, sizeof s);
    return DTA_OK;
}

/* Starts the absorbed form of a message given whole. */
static void absorb_msg(sha256_ctx *m, const uint8_t *msg, size_t msg_len)
{
    h2c_msg_begin(m);
    sha256_update(m, msg, msg_len);
}

dta_error bls_sign(uint8_t sig[96], const uint8_t sk[32], const uint8_t *msg, size_t msg_len,
                   const uint8_t *dst, size_t dst_len)
{
    sha256_ctx m;
    absorb_msg(&m, msg, msg_len);
    return bls_sign_absorbed(sig, sk, &m, dst, dst_len);
}

/* -G1 in affine form: the generator's Z is one, so that is (x, -y), no inversion. */
static void neg_generator_affine(g1_affine *r)
{
    r->x = G1_GENERATOR.x;
    fp_neg(&r->y, &G1_GENERATOR.y);
}

/* The rare pairs with infinity (the infinity signature, or H(msg) = O): the
 * plain subgroup check of the signature, then the product. */
static dta_error verify_pairs_plain(const g1_affine ps[2], const g2_affine qs[2])
{
    g2 s;
    g2_from_affine(&s, &qs[1]);
    if (!g2_in_subgroup(&s)) return DTA_NOT_IN_SUBGROUP;
    return pairing_product_is_one(ps, qs, 2) ? DTA_OK : DTA_VERIFY_FAIL;
}

/*
 * CoreVerify from the signature's bytes: e(pk, H(msg)) == e(G1, sig), checked
 * as e(pk, H) * e(-G1, sig) == 1. The signature is decoded on the curve, and
 * its subgroup check rides on the Miller loop, which builds |u| sig anyway
 * (g2_in_subgroup_given_multiple): a few products instead of a 64-bit
 * multiplication. A signature outside G2 still fails DTA_NOT_IN_SUBGROUP,
 * before the final exponentiation. Everything here is public.
 */
static dta_error core_verify_g2_absorbed(const g1 *pk, const sha256_ctx *m, const uint8_t sig[96],
                                         const uint8_t *dst, size_t dst_len)
{
    g1_affine ps[2];
    g2_affine qs[2];
    g2 h, multiples[2];
    fp12 f;
    dta_error e = g2_decode_on_curve(&qs[1], sig, 96);
    if (e != DTA_OK) return e;
    hash_to_g2_absorbed(&h, m, dst, dst_len);
    if (fp_eq(&pk->z, &FP_ONE)) {                 /* a decoded key or a single validated one: no inversion */
        ps[0].x = pk->x;
        ps[0].y = pk->y;
    } else {
        g1_to_affine(&ps[0], pk);
    }
    g2_to_affine(&qs[0], &h);
    neg_generator_affine(&ps[1]);
    if (g2_is_inf(&h) | (fp2_is_zero(&qs[1].x) & fp2_is_zero(&qs[1].y))) return verify_pairs_plain(ps, qs);
    miller_loop_with_multiples(&f, ps, qs, 2, multiples);
    if (!g2_in_subgroup_given_multiple(&qs[1], &multiples[1])) return DTA_NOT_IN_SUBGROUP;
    final_exponentiation(&f, &f);
    return fp12_is_one(&f) ? DTA_OK : DTA_VERIFY_FAIL;
}

static dta_error core_verify_g2(const g1 *pk, const uint8_t *msg, size_t msg_len, const uint8_t sig[96],
                                const uint8_t *dst, size_t dst_len)
{
    sha256_ctx m;
    absorb_msg(&m, msg, msg_len);
    return core_verify_g2_absorbed(pk, &m, sig, dst, dst_len);
}

dta_error bls_verify_absorbed(const uint8_t pk[48], const sha256_ctx *m, const uint8_t sig[96],
                              const uint8_t *dst, size_t dst_len)
{
    g1 p;
    REQUIRE_DST(dst_len);
    dta_error e = parse_pk_g1(&p, pk, 48);
    if (e != DTA_OK) return e;
    return core_verify_g2_absorbed(&p, m, sig, dst, dst_len);
}

dta_error bls_verify(const uint8_t pk[48], const uint8_t *msg, size_t msg_len, const uint8_t sig[96],
                     const uint8_t *dst, size_t dst_len)
{
    sha256_ctx m;
    absorb_msg(&m, msg, msg_len);
    return bls_verify_absorbed(pk, &m, sig, dst, dst_len);
}

dta_error bls_aggregate(uint8_t out[96], const uint8_t *sigs, size_t n)
{
    g2 acc = G2_INFINITY, s;
    if (n == 0) return DTA_BAD_ARGUMENT;
    for (size_t i = 0; i < n; i++) {
        dta_error e = g2_decode(&s, sigs + 96 * i, 96);
        if (e != DTA_OK) return e;
        g2_add(&acc, &acc, &s);
    }
    g2_encode_compressed(out, &acc);
    return DTA_OK;
}

/* Sum of validated public keys; every key must pass KeyValidate. */
static dta_error sum_pks_g1(g1 *acc, const uint8_t *pks, size_t n)
{
    g1 p;
    *acc = G1_INFINITY;
    for (size_t i = 0; i < n; i++) {
        dta_error e = parse_pk_g1(&p, pks + 48 * i, 48);
        if (e != DTA_OK) return e;
        g1_add(acc, acc, &p);
    }
    return DTA_OK;
}

dta_error bls_fast_aggregate_verify(const uint8_t *pks, size_t n, const uint8_t *msg, size_t msg_len,
                                    const uint8_t sig[96], const uint8_t *dst, size_t dst_len)
{
    g1 apk;
    dta_error e;
    REQUIRE_DST(dst_len);
    if (n == 0) return DTA_BAD_ARGUMENT;
    if ((e = sum_pks_g1(&apk, pks, n)) != DTA_OK) return e;
    /* Keys summing to the identity (pk, -pk) would accept the infinity
     * signature for any message: the aggregate key must pass KeyValidate too. */
    if (g1_is_inf(&apk)) return DTA_INFINITY;
    return core_verify_g2(&apk, msg, msg_len, sig, dst, dst_len);
}

/* CoreAggregateVerify: prod e(pk_i, H(m_i)) * e(-G1, sig) == 1. The POP
 * scheme needs no distinct-message rule. */
dta_error bls_aggregate_verify(const uint8_t *pks, size_t n, const uint8_t *msgs,
                               const uint32_t *msg_lens, const uint8_t sig[96],
                               const uint8_t *dst, size_t dst_len)
{
    pair_batch b;
    g1 p, neg_g;
    g2 s, h;
    dta_error e;
    REQUIRE_DST(dst_len);

    if (n == 0) return DTA_BAD_ARGUMENT;
    if ((e = g2_decode(&s, sig, 96)) != DTA_OK) return e;
    pair_batch_init(&b);
    for (size_t i = 0; i < n; i++) {
        if ((e = parse_pk_g1(&p, pks + 48 * i, 48)) != DTA_OK) return e;
        hash_to_g2(&h, msgs, msg_lens[i], dst, dst_len);
        msgs += msg_lens[i];
        pair_batch_add(&b, &p, &h);
    }
    g1_neg(&neg_g, &G1_GENERATOR);
    pair_batch_add(&b, &neg_g, &s);
    return pair_batch_is_one(&b) ? DTA_OK : DTA_VERIFY_FAIL;
}

/* PopProve: a signature over the compressed public key under the POP DST. */
dta_error bls_pop_prove(uint8_t proof[96], const uint8_t sk[32], const uint8_t *dst, size_t dst_len)
{
    uint8_t pk[48];
    REQUIRE_DST(dst_len);
    dta_error e = bls_sk_to_pk(pk, sk);
    if (e != DTA_OK) return e;
    return bls_sign(proof, sk, pk, 48, dst, dst_len);
}

dta_error bls_pop_verify(const uint8_t pk[48], const uint8_t proof[96], const uint8_t *dst, size_t dst_len)
{
    REQUIRE_DST(dst_len);
    return bls_verify(pk, pk, 48, proof, dst, dst_len);
}

/* ---- min-sig: keys in G2, signatures in G1 ---------------------------------- */

dta_error bls_minsig_sk_to_pk(uint8_t pk[96], const uint8_t sk[32])
{
    scalar s;
    g2 p;
    dta_error e = bls_parse_sk(&s, sk);
    if (e != DTA_OK) return e;
    g2_mult(&p, &G2_GENERATOR, &s);
    g2_encode_compressed(pk, &p);
    secure_zero(&s, sizeof s);
    return DTA_OK;
}

dta_error bls_minsig_sign(uint8_t sig[48], const uint8_t sk[32], const uint8_t *msg, size_t msg_len,
                          const uint8_t *dst, size_t dst_len)
{
    scalar s;
    g1 h;
    REQUIRE_DST(dst_len);
    dta_error e = bls_parse_sk(&s, sk);
    if (e != DTA_OK) return e;
    hash_to_g1(&h, msg, msg_len, dst, dst_len);
    g1_mult(&h, &h, &s);
    g1_encode_compressed(sig, &h);
    secure_zero(&s, sizeof s);
    return DTA_OK;
}

/* e(H(msg), pk) == e(sig, G2), checked as e(H, pk) * e(sig, -G2) == 1. */
static dta_error core_verify_g1(const g2 *pk, const uint8_t *msg, size_t msg_len, const g1 *sig,
                                const uint8_t *dst, size_t dst_len)
{
    g1_affine ps[2];
    g2_affine qs[2];
    g2 neg_g;
    g1 h;

    hash_to_g1(&h, msg, msg_len, dst, dst_len);
    g2_neg(&neg_g, &G2_GENERATOR);
    g1_to_affine(&ps[0], &h);
    g2_to_affine(&qs[0], pk);
    g1_to_affine(&ps[1], sig);
    g2_to_affine(&qs[1], &neg_g);
    return pairing_product_is_one(ps, qs, 2) ? DTA_OK : DTA_VERIFY_FAIL;
}

dta_error bls_minsig_verify(const uint8_t pk[96], const uint8_t *msg, size_t msg_len,
                            const uint8_t sig[48], const uint8_t *dst, size_t dst_len)
{
    g2 p;
    g1 s;
    REQUIRE_DST(dst_len);
    dta_error e = parse_pk_g2(&p, pk, 96);
    if (e != DTA_OK) return e;
    if ((e = g1_decode(&s, sig, 48)) != DTA_OK) return e;
    return core_verify_g1(&p, msg, msg_len, &s, dst, dst_len);
}

dta_error bls_minsig_aggregate(uint8_t out[48], const uint8_t *sigs, size_t n)
{
    g1 acc = G1_INFINITY, s;
    if (n == 0) return DTA_BAD_ARGUMENT;
    for (size_t i = 0; i < n; i++) {
        dta_error e = g1_decode(&s, sigs + 48 * i, 48);
        if (e != DTA_OK) return e;
        g1_add(&acc, &acc, &s);
    }
    g1_encode_compressed(out, &acc);
    return DTA_OK;
}

dta_error bls_minsig_fast_aggregate_verify(const uint8_t *pks, size_t n, const uint8_t *msg,
                                           size_t msg_len, const uint8_t sig[48],
                                           const uint8_t *dst, size_t dst_len)
{
    g2 apk = G2_INFINITY, p;
    g1 s;
    dta_error e;
    REQUIRE_DST(dst_len);
    if (n == 0) return DTA_BAD_ARGUMENT;
    for (size_t i = 0; i < n; i++) {
        if ((e = parse_pk_g2(&p, pks + 96 * i, 96)) != DTA_OK) return e;
        g2_add(&apk, &apk, &p);
    }
    if (g2_is_inf(&apk)) return DTA_INFINITY;       /* as in min-pk */
    if ((e = g1_decode(&s, sig, 48)) != DTA_OK) return e;
    return core_verify_g1(&apk, msg, msg_len, &s, dst, dst_len);
}

dta_error bls_minsig_pop_prove(uint8_t proof[48], const uint8_t sk[32], const uint8_t *dst, size_t dst_len)
{
    uint8_t pk[96];
    REQUIRE_DST(dst_len);
    dta_error e = bls_minsig_sk_to_pk(pk, sk);
    if (e != DTA_OK) return e;
    return bls_minsig_sign(proof, sk, pk, 96, dst, dst_len);
}

dta_error bls_minsig_pop_verify(const uint8_t pk[96], const uint8_t proof[48], const uint8_t *dst,
                                size_t dst_len)
{
    REQUIRE_DST(dst_len);
    return bls_minsig_verify(pk, pk, 96, proof, dst, dst_len);
}
