/*
 * A start-up self-test of the core's algebra, in the spirit of FIPS 140
 * power-on tests: each layer is exercised once through a relation that
 * only holds when the layer is right (no stored answers needed).
 */
#include "bls.h"
#include "encoding.h"
#include "hash_to_curve.h"
#include "pairing.h"
#include "sha256.h"

/* A fixed scalar from a label: SHA-256(label) reduced mod r. */
static void label_scalar(fr *k, const char *label)
{
    uint8_t h[32];
    size_t n = 0;
    while (label[n]) n++;
    sha256(h, (const uint8_t *)label, n);
    fr_from_bytes_reduce(k, h, 32);
}

/* e(aP, bQ) == e(abP, Q) and e(P, Q) != 1. */
static limb_t bilinearity_holds(void)
{
    fr a, b, ab;
    scalar sa, sb, sab;
    g1 p1, p2;
    g2 q1;
    g1_affine ap[2];
    g2_affine aq[2];
    fp12 e;

    label_scalar(&a, "dta self-test a");
    label_scalar(&b, "dta self-test b");
    fr_mul(&ab, &a, &b);
    fr_to_scalar(&sa, &a);
    fr_to_scalar(&sb, &b);
    fr_to_scalar(&sab, &ab);
    g1_mult(&p1, &G1_GENERATOR, &sa);
    g2_mult(&q1, &G2_GENERATOR, &sb);
    g1_mult_vartime(&p2, &G1_GENERATOR, &sab);
    g1_neg(&p2, &p2);
    g1_to_affine(&ap[0], &p1);
    g2_to_affine(&aq[0], &q1);
    g1_to_affine(&ap[1], &p2);
    g2_to_affine(&aq[1], &G2_GENERATOR);
    pairing(&e, &ap[1], &aq[1]);
    return pairing_product_is_one(ap, aq, 2) & (fp12_is_one(&e) ^ 1);
}

/* Encodings round-trip and decoding revalidates the subgroup. */
static limb_t encodings_round_trip(void)
{
    uint8_t c1[48], c2[96];
    g1 p;
    g2 q;
    hash_to_g2(&q, (const uint8_t *)"dta", 3, (const uint8_t *)"dta-self-test", 13);
    g1_encode_compressed(c1, &G1_GENERATOR);
    g2_encode_compressed(c2, &q);
    if (g1_decode(&p, c1, 48) != DTA_OK || !g1_eq(&p, &G1_GENERATOR)) return 0;
    return g2_decode(&q, c2, 96) == DTA_OK && g2_in_subgroup(&q);
}

static limb_t bls_round_trip(void)
{
    static const uint8_t ikm[32] = "dta self-test key material 0001";
    uint8_t sk[32], pk[48], sig[96];
    size_t dst_len;
    const uint8_t *dst = bls_dst(&dst_len);
    limb_t ok = bls_keygen_default(sk, ikm, 32, 0, 0) == DTA_OK
        && bls_sk_to_pk(pk, sk) == DTA_OK
        && bls_sign(sig, sk, ikm, 32, dst, dst_len) == DTA_OK
        && bls_verify(pk, ikm, 32, sig, dst, dst_len) == DTA_OK
        && bls_verify(pk, ikm, 31, sig, dst, dst_len) == DTA_VERIFY_FAIL;
    secure_zero(sk, sizeof sk);
    return ok;
}

dta_error self_test(void)
{
    if (!g1_in_subgroup(&G1_GENERATOR) || !g2_in_subgroup(&G2_GENERATOR)) return DTA_NOT_IN_SUBGROUP;
    if (!encodings_round_trip()) return DTA_BAD_ENCODING;
    if (!bilinearity_holds()) return DTA_VERIFY_FAIL;
    if (!bls_round_trip()) return DTA_VERIFY_FAIL;
    return DTA_OK;
}
