/*
 * GT arithmetic for M-Pin (docs/mpin.md#gt): membership of a value from
 * outside, a constant-time power for secret exponents (the PIN, r + h),
 * and Milagro's e(P, Q), which is the cube of the textbook reduced pairing
 * just as ours is.
 */
#include "mpin.h"
#include "pairing.h"

#define MPIN_GT_WINDOW 4            /* bits per window of the GT power */

/* r = a^|u| conjugated = a^u, for a in the cyclotomic subgroup. */
static void mpin_gt_exp_u(fp12 *r, const fp12 *a)
{
    const uint64_t u_abs = 0xd201000000010000ULL;
    fp12 acc = *a;
    for (int bit = 62; bit >= 0; bit--) {
        fp12_cyclotomic_sqr(&acc, &acc);
        if ((u_abs >> bit) & 1) fp12_mul(&acc, &acc, a);
    }
    fp12_conj(r, &acc);
}

/*
 * g in GT, the order-r subgroup of Fp12*: g is unitary (g conj(g) = 1,
 * which also excludes 0), in the cyclotomic subgroup (g^(p^4 - p^2 + 1)
 * = 1) and g^p = g^u. The last test is Scott's for BLS12 curves, where
 * p = u mod r: https://eprint.iacr.org/2021/1130 section 6.
 */
static limb_t mpin_gt_is_member(const fp12 *g)
{
    fp12 a, b;
    fp12_conj(&a, g);
    fp12_mul(&a, &a, g);
    limb_t ok = fp12_is_one(&a);
    fp12_frobenius(&a, g, 2);           /* g^(p^2) */
    fp12_frobenius(&b, &a, 2);          /* g^(p^4) */
    fp12_mul(&b, &b, g);
    ok &= fp12_eq(&a, &b);
    mpin_gt_exp_u(&a, g);
    fp12_frobenius(&b, g, 1);
    return ok & fp12_eq(&a, &b);
}

/*
 * r = g^k for g in GT and k given as `windows` 4-bit windows of the
 * little-endian limbs k: fixed-window exponentiation whose table lookups
 * scan all sixteen entries, so neither branches nor addresses depend on k.
 */
static void mpin_gt_pow(fp12 *r, const fp12 *g, const limb_t *k, int windows)
{
    fp12 table[1 << MPIN_GT_WINDOW], t, acc = FP12_ONE;
    table[0] = FP12_ONE;
    table[1] = *g;
    for (int i = 2; i < (1 << MPIN_GT_WINDOW); i++) fp12_mul(&table[i], &table[i - 1], g);
    for (int w = windows - 1; w >= 0; w--) {
        for (int j = 0; j < MPIN_GT_WINDOW; j++) fp12_cyclotomic_sqr(&acc, &acc);
        limb_t d = (k[w / 8] >> (MPIN_GT_WINDOW * (w % 8))) & 15;
        t = table[0];
        for (int i = 1; i < (1 << MPIN_GT_WINDOW); i++) fp12_cmov(&t, &table[i], ct_is_zero(d ^ (limb_t)i));
        fp12_mul(&acc, &acc, &t);
    }
    *r = acc;
    secure_zero(table, sizeof table);
    secure_zero(&t, sizeof t);
    secure_zero(&acc, sizeof acc);
}

/* Milagro's GT value e(P, Q): the same bytes as PAIR_ate + PAIR_fexp,
 * whose exponent carries the same factor 3 as final_exponentiation. */
static void mpin_pair(fp12 *r, const g1 *p, const g2 *q)
{
    g1_affine pa;
    g2_affine qa;
    g1_to_affine(&pa, p);
    g2_to_affine(&qa, q);
    pairing(r, &pa, &qa);
}
