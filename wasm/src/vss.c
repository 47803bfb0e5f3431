/*
 * Feldman verifiable secret sharing (Feldman 1987, "A practical scheme for
 * non-interactive verifiable secret sharing"): Shamir shares of a secret
 * over Fr, plus commitments C_j = a_j G1 to the coefficients of the
 * polynomial f(x) = a_0 + a_1 x + ... + a_{t-1} x^{t-1}, a_0 the secret.
 * Anyone holding the commitments checks share i as f(i) G1 == X_i, the
 * public share X_i = sum_j C_j i^j, without learning f(i).
 *
 * The coefficients and shares are secret: they only meet constant-time
 * code (fr_*, g1_mult). The commitments and indices are public, so X_i is
 * computed in variable time (Horner in the exponent by the small index).
 */
#include "vss.h"
#include "encoding.h"
#include "shamir.h"

#define VSS_MAX_SHARES 255U

/* The dealer's coefficients from the same random bytes as shamir_split: a_0 = secret, a_j from 64 bytes each. */
static dta_error vss_coefficients(fr *a, const uint8_t secret[32], uint32_t t, const uint8_t *random)
{
    if (!fr_from_bytes(&a[0], secret) || fr_is_zero(&a[0])) return DTA_BAD_SCALAR;
    for (uint32_t j = 1; j < t; j++)
        fr_from_bytes_reduce(&a[j], random + 64 * (j - 1), 64);
    return DTA_OK;
}

/* C_j = a_j G1, constant time in a_j. */
static void vss_commit(uint8_t out[48], const fr *a)
{
    scalar s;
    g1 c;
    fr_to_scalar(&s, a);
    g1_mult(&c, &G1_GENERATOR, &s);
    g1_encode_compressed(out, &c);
    secure_zero(&s, sizeof s);
    secure_zero(&c, sizeof c);
}

/*
 * A zero secret is refused: its C_0 would be the point at infinity, which
 * every verifier refuses (a group key must not be the identity).
 */
dta_error vss_deal(uint8_t *shares, uint8_t *commitments, const uint8_t secret[32], uint32_t t, uint32_t n,
                   const uint8_t *random)
{
    fr a[VSS_MAX_SHARES];
    dta_error e;

    if (t < 1 || t > n || n > VSS_MAX_SHARES) return DTA_BAD_ARGUMENT;
    e = vss_coefficients(a, secret, t, random);
    if (e == DTA_OK) e = shamir_split(shares, secret, t, n, random);
    if (e == DTA_OK)
        for (uint32_t j = 0; j < t; j++) vss_commit(commitments + 48 * j, &a[j]);
    secure_zero(a, sizeof(fr) * t);
    return e;
}

/*
 * X_index = sum_j C_j index^j by Horner: ((C_{t-1} index + C_{t-2}) index + ...) + C_0.
 * Every commitment is fully decoded (canonical, on the curve, in G1); C_0,
 * the commitment to the secret, must not be infinity. The others may be
 * (a zero coefficient is legitimate).
 */
static dta_error vss_public_point(g1 *x, uint32_t index, const uint8_t *commitments, size_t t)
{
    g1 c;
    dta_error e;

    if (index < 1 || index > VSS_MAX_SHARES || t < 1 || t > VSS_MAX_SHARES) return DTA_BAD_ARGUMENT;
    *x = G1_INFINITY;
    for (size_t j = t; j-- > 0;) {
        if ((e = g1_decode(&c, commitments + 48 * j, 48)) != DTA_OK) return e;
        if (j == 0 && g1_is_inf(&c)) return DTA_INFINITY;
        g1_mult_by_u64_vartime(x, x, index);
        g1_add(x, x, &c);
    }
    return DTA_OK;
}

dta_error vss_public_share(uint8_t out[48], uint32_t index, const uint8_t *commitments, size_t t)
{
    g1 x;
    dta_error e = vss_public_point(&x, index, commitments, t);
    if (e == DTA_OK) g1_encode_compressed(out, &x);
    return e;
}

/* share G1 == X_index; the share (secret to its holder) is multiplied in constant time. */
dta_error vss_verify(uint32_t index, const uint8_t share[32], const uint8_t *commitments, size_t t)
{
    g1 x, y;
    scalar s;
    dta_error e = vss_public_point(&x, index, commitments, t);
    if (e != DTA_OK) return e;
    if (!scalar_from_bytes(&s, share)) return DTA_BAD_SCALAR;
    g1_mult(&y, &G1_GENERATOR, &s);
    e = g1_eq(&x, &y) ? DTA_OK : DTA_VERIFY_FAIL;
    secure_zero(&s, sizeof s);
    secure_zero(&y, sizeof y);
    return e;
}

/*
 * sum of n scalars mod r (e.g. a DKG share x_j = sum_i f_i(j)). Every
 * value is read, whatever it holds, and added with constant-time fr_add; a
 * value >= r is reported only after the loop, so the time depends on n alone.
 */
dta_error vss_sum(uint8_t out[32], const uint8_t *scalars, size_t n)
{
    fr acc = FR_ZERO, v;
    limb_t canonical = 1;
    for (size_t i = 0; i < n; i++) {
        canonical &= fr_from_bytes(&v, scalars + 32 * i);
        fr_add(&acc, &acc, &v);
    }
    fr_to_bytes(out, &acc);
    secure_zero(&acc, sizeof acc);
    secure_zero(&v, sizeof v);
    return canonical ? DTA_OK : DTA_BAD_SCALAR;
}

/*
 * 64 random bytes reduced mod r: uniform up to a bias below 2^-256. Zero
 * (probability about 2^-255) is reported so the caller draws again.
 */
dta_error vss_random(uint8_t out[32], const uint8_t random[64])
{
    fr a;
    fr_from_bytes_reduce(&a, random, 64);
    dta_error e = fr_is_zero(&a) ? DTA_BAD_SCALAR : DTA_OK;
    fr_to_bytes(out, &a);
    secure_zero(&a, sizeof a);
    return e;
}
