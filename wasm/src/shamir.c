/*
 * Shamir secret sharing over Fr, and Lagrange recovery of a secret, of a
 * G1 point (e.g. a public key) or of a G2 point (e.g. a BLS signature) from
 * t shares. Share indices are public; polynomial coefficients and share
 * values of the secret are not, so the field arithmetic on them is
 * constant time.
 */
#include "shamir.h"
#include "encoding.h"

#define SHAMIR_MAX_SHARES 255U

/* Horner evaluation of c[0] + c[1] x + ... + c[t-1] x^(t-1) at a public x. */
static void poly_eval(fr *y, const fr *c, uint32_t t, uint32_t x)
{
    fr fx;
    fr_from_u32(&fx, x);
    *y = c[t - 1];
    for (uint32_t j = t - 1; j-- > 0;) {
        fr_mul(y, y, &fx);
        fr_add(y, y, &c[j]);
    }
}

dta_error shamir_split(uint8_t *shares, const uint8_t secret[32], uint32_t t, uint32_t n,
                       const uint8_t *random)
{
    fr c[SHAMIR_MAX_SHARES], y;

    if (t < 1 || t > n || n > SHAMIR_MAX_SHARES) return DTA_BAD_ARGUMENT;
    if (!fr_from_bytes(&c[0], secret)) return DTA_BAD_SCALAR;
    for (uint32_t j = 1; j < t; j++)          /* 64 random bytes per coefficient: negligible bias */
        fr_from_bytes_reduce(&c[j], random + 64 * (j - 1), 64);
    for (uint32_t i = 1; i <= n; i++) {
        poly_eval(&y, c, t, i);
        fr_to_bytes(shares + 32 * (i - 1), &y);
    }
    secure_zero(c, sizeof(fr) * t);
    secure_zero(&y, sizeof y);
    return DTA_OK;
}

/* Indices must be nonzero and pairwise distinct, or interpolation is undefined. */
static DTA_MUST_CHECK dta_error check_indices(const uint32_t *idx, size_t k)
{
    if (k == 0 || k > SHAMIR_MAX_SHARES) return DTA_BAD_ARGUMENT;
    for (size_t i = 0; i < k; i++) {
        if (idx[i] == 0) return DTA_BAD_ARGUMENT;
        for (size_t j = 0; j < i; j++)
            if (idx[i] == idx[j]) return DTA_BAD_ARGUMENT;
    }
    return DTA_OK;
}

/* lambda_i(0) = prod_{j != i} x_j / (x_j - x_i). */
static void lagrange_at_zero(fr *lambda, const uint32_t *idx, size_t k, size_t i)
{
    fr num = FR_ONE, den = FR_ONE, xi, xj, d;
    fr_from_u32(&xi, idx[i]);
    for (size_t j = 0; j < k; j++) {
        if (j == i) continue;
        fr_from_u32(&xj, idx[j]);
        fr_mul(&num, &num, &xj);
        fr_sub(&d, &xj, &xi);
        fr_mul(&den, &den, &d);
    }
    fr_inv(&den, &den);
    fr_mul(lambda, &num, &den);
}

dta_error shamir_recover(uint8_t secret[32], const uint32_t *idx, const uint8_t *shares, size_t k)
{
    fr acc = FR_ZERO, lambda, y;
    dta_error e = check_indices(idx, k);
    if (e != DTA_OK) return e;
    for (size_t i = 0; i < k; i++) {
        if (!fr_from_bytes(&y, shares + 32 * i)) {
            secure_zero(&acc, sizeof acc);
            return DTA_BAD_SCALAR;
        }
        lagrange_at_zero(&lambda, idx, k, i);
        fr_mul(&y, &y, &lambda);
        fr_add(&acc, &acc, &y);
    }
    fr_to_bytes(secret, &acc);
    secure_zero(&acc, sizeof acc);
    secure_zero(&y, sizeof y);
    return DTA_OK;
}

/* Shares in the exponent are public (key or signature shares): variable-time multiples. */
dta_error shamir_recover_g1(uint8_t out[48], const uint32_t *idx, const uint8_t *points, size_t k)
{
    g1 acc = G1_INFINITY, p;
    fr lambda;
    scalar s;
    dta_error e = check_indices(idx, k);
    if (e != DTA_OK) return e;
    for (size_t i = 0; i < k; i++) {
        if ((e = g1_decode(&p, points + 48 * i, 48)) != DTA_OK) return e;
        lagrange_at_zero(&lambda, idx, k, i);
        fr_to_scalar(&s, &lambda);
        g1_mult_vartime(&p, &p, &s);
        g1_add(&acc, &acc, &p);
    }
    g1_encode_compressed(out, &acc);
    return DTA_OK;
}

dta_error shamir_recover_g2(uint8_t out[96], const uint32_t *idx, const uint8_t *points, size_t k)
{
    g2 acc = G2_INFINITY, p;
    fr lambda;
    scalar s;
    dta_error e = check_indices(idx, k);
    if (e != DTA_OK) return e;
    for (size_t i = 0; i < k; i++) {
        if ((e = g2_decode(&p, points + 96 * i, 96)) != DTA_OK) return e;
        lagrange_at_zero(&lambda, idx, k, i);
        fr_to_scalar(&s, &lambda);
        g2_mult_vartime(&p, &p, &s);
        g2_add(&acc, &acc, &p);
    }
    g2_encode_compressed(out, &acc);
    return DTA_OK;
}
