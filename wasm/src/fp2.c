/*
 * Fp2 = Fp[u]/(u^2 + 1). Products by Karatsuba on Montgomery products whose
 * input sums are left unreduced (fp.h: fp_mul takes them).
 */
#include "fp2.h"
#include "field_consts.h"

const fp2 FP2_ZERO = {{{0}}, {{0}}};
const fp2 FP2_ONE = {FP_ONE_INIT, {{0}}};

void fp2_add(fp2 *r, const fp2 *a, const fp2 *b)
{
    fp_add(&r->c0, &a->c0, &b->c0);
    fp_add(&r->c1, &a->c1, &b->c1);
}

void fp2_add_unreduced(fp2 *r, const fp2 *a, const fp2 *b)
{
    fp_add_unreduced(&r->c0, &a->c0, &b->c0);
    fp_add_unreduced(&r->c1, &a->c1, &b->c1);
}

void fp2_sub(fp2 *r, const fp2 *a, const fp2 *b)
{
    fp_sub(&r->c0, &a->c0, &b->c0);
    fp_sub(&r->c1, &a->c1, &b->c1);
}

void fp2_dbl(fp2 *r, const fp2 *a)
{
    fp_dbl(&r->c0, &a->c0);
    fp_dbl(&r->c1, &a->c1);
}

void fp2_neg(fp2 *r, const fp2 *a)
{
    fp_neg(&r->c0, &a->c0);
    fp_neg(&r->c1, &a->c1);
}

void fp2_conj(fp2 *r, const fp2 *a)
{
    r->c0 = a->c0;
    fp_neg(&r->c1, &a->c1);
}

/*
 * Karatsuba with three Montgomery products: a0 b0, a1 b1 and (a0 + a1)(b0 + b1)
 * with the sums left unreduced (below 16p for inputs below 8p, fp2.h).
 */
void fp2_mul(fp2 *r, const fp2 *a, const fp2 *b)
{
    fp t0, t1, sa, sb;
    fp_add_unreduced(&sa, &a->c0, &a->c1);
    fp_add_unreduced(&sb, &b->c0, &b->c1);
    fp_mul(&t0, &a->c0, &b->c0);
    fp_mul(&t1, &a->c1, &b->c1);
    fp_mul(&sa, &sa, &sb);
    fp_sub(&r->c0, &t0, &t1);                      /* a0 b0 - a1 b1 */
    fp_add(&t0, &t0, &t1);
    fp_sub(&r->c1, &sa, &t0);                      /* a0 b1 + a1 b0 */
}

/*
 * (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u, with the factors left
 * unreduced (< 4p), which fp_mul accepts.
 */
void fp2_sqr(fp2 *r, const fp2 *a)
{
    fp s, d, t;
    fp_add_unreduced(&s, &a->c0, &a->c1);          /* a0 + a1 */
    fp_sub_unreduced(&d, &a->c0, &a->c1);          /* a0 - a1 + 2p */
    fp_add_unreduced(&t, &a->c0, &a->c0);          /* 2 a0 */
    fp_mul(&r->c1, &t, &a->c1);
    fp_mul(&r->c0, &s, &d);
}

void fp2_mul_fp(fp2 *r, const fp2 *a, const fp *b)
{
    fp_mul(&r->c0, &a->c0, b);
    fp_mul(&r->c1, &a->c1, b);
}

void fp2_mul_small(fp2 *r, const fp2 *a, limb_t k)
{
    fp_mul_small(&r->c0, &a->c0, k);
    fp_mul_small(&r->c1, &a->c1, k);
}

/* (a0 + a1 u)(1 + u) = (a0 - a1) + (a0 + a1) u */
void fp2_mul_by_nonresidue(fp2 *r, const fp2 *a)
{
    fp t;
    fp_sub(&t, &a->c0, &a->c1);
    fp_add(&r->c1, &a->c0, &a->c1);
    r->c0 = t;
}

/* (a0 + a1 u) u = -a1 + a0 u */
void fp2_mul_by_u(fp2 *r, const fp2 *a)
{
    fp t;
    fp_neg(&t, &a->c1);
    r->c1 = a->c0;
    r->c0 = t;
}

/* 1/(a0 + a1 u) = (a0 - a1 u) / (a0^2 + a1^2); the norm is 0 only for 0. */
void fp2_inv(fp2 *r, const fp2 *a)
{
    fp n, t;
    fp_sqr(&n, &a->c0);
    fp_sqr(&t, &a->c1);
    fp_add(&n, &n, &t);                            /* norm a0^2 + a1^2 */
    fp_inv(&n, &n);
    fp_mul(&r->c0, &a->c0, &n);
    fp_mul(&t, &a->c1, &n);
    fp_neg(&r->c1, &t);
    secure_zero(&n, sizeof n);
    secure_zero(&t, sizeof t);
}

void fp2_half(fp2 *r, const fp2 *a)
{
    fp_half(&r->c0, &a->c0);
    fp_half(&r->c1, &a->c1);
}

limb_t fp2_is_zero(const fp2 *a) { return fp_is_zero(&a->c0) & fp_is_zero(&a->c1); }

limb_t fp2_eq(const fp2 *a, const fp2 *b) { return fp_eq(&a->c0, &b->c0) & fp_eq(&a->c1, &b->c1); }

/* a is a square in Fp2 iff its norm a0^2 + a1^2 is a square in Fp. */
limb_t fp2_is_square(const fp2 *a)
{
    fp n, t;
    fp_sqr(&n, &a->c0);
    fp_sqr(&t, &a->c1);
    fp_add(&n, &n, &t);
    return fp_is_square(&n);
}

/*
 * Constant-time square root through the norm, for p = 3 mod 4, given a root
 * s of the norm n = a0^2 + a1^2 (one Fp exponentiation, no inversion). With
 * t = (a0 + s)/2, t' = (a0 - s)/2 we have t + t' = a0 and t t' = -a1^2/4,
 * so (as -1 is a non-square) exactly one of t, t' is a square when a1 != 0.
 * c = t^((p-3)/4) gives x0 = c t with x0^2 = t or -t, and x0 c = +-1 is
 * 1/x0 up to that sign, so a1/(2 x0) = +-a1 c/2 needs no inversion:
 *   t square:     sqrt(a) = x0 + (a1 c/2) u
 *   t non-square: sqrt(a) = -(a1 c/2) + x0 u.
 * t = 0 only when a1 = 0 and s = -a0; then t' = a0 is used instead.
 */
void fp2_sqrt_from_norm_root(fp2 *r, const fp2 *a, const fp *s)
{
    fp t, t2, c, leg, minus_one;
    fp2 x, alt;
    fp_add(&t, &a->c0, s);
    fp_half(&t, &t);                               /* t = (a0 + s)/2 */
    fp_sub(&t2, &a->c0, s);
    fp_half(&t2, &t2);                             /* t' = (a0 - s)/2 */
    fp_cmov(&t, &t2, fp_is_zero(&t));
    fp_pow_p_minus_3_over_4(&c, &t);               /* c = t^((p-3)/4) */
    fp_mul(&x.c0, &c, &t);                         /* x0 = t^((p+1)/4) */
    fp_mul(&leg, &x.c0, &c);                       /* t^((p-1)/2) */
    fp_mul(&x.c1, &a->c1, &c);
    fp_half(&x.c1, &x.c1);                         /* a1 c/2 */
    fp_neg(&alt.c0, &x.c1);
    alt.c1 = x.c0;
    fp_neg(&minus_one, &FP_ONE);
    fp2_cmov(&x, &alt, fp_eq(&leg, &minus_one));
    *r = x;
    secure_zero(&x, sizeof x);
    secure_zero(&alt, sizeof alt);
    secure_zero(&c, sizeof c);
    secure_zero(&t, sizeof t);
    secure_zero(&t2, sizeof t2);
}

/* The norm's root first (the other Fp exponentiation); whether a was a square
 * is decided by squaring the result. */
limb_t fp2_sqrt(fp2 *r, const fp2 *a)
{
    fp n, s, t;
    fp2 x, chk;
    fp_sqr(&n, &a->c0);
    fp_sqr(&t, &a->c1);
    fp_add(&n, &n, &t);                            /* n = a0^2 + a1^2 */
    fp_sqrt(&s, &n);                               /* garbage if a is not a square */
    fp2_sqrt_from_norm_root(&x, a, &s);
    fp2_sqr(&chk, &x);
    *r = x;
    secure_zero(&x, sizeof x);
    secure_zero(&s, sizeof s);
    return fp2_eq(&chk, a);
}

/* RFC 9380 section 4.1, m = 2: sgn0(a0) OR (a0 == 0 AND sgn0(a1)). */
limb_t fp2_sgn0(const fp2 *a)
{
    return fp_sgn0(&a->c0) | (fp_is_zero(&a->c0) & fp_sgn0(&a->c1));
}

limb_t fp2_is_lexicographically_largest(const fp2 *a)
{
    limb_t z = fp_is_zero(&a->c1);
    return (fp_is_lexicographically_largest(&a->c1) & (z ^ 1)) |
           (fp_is_lexicographically_largest(&a->c0) & z);
}

void fp2_cmov(fp2 *r, const fp2 *a, limb_t flag)
{
    fp_cmov(&r->c0, &a->c0, flag);
    fp_cmov(&r->c1, &a->c1, flag);
}

void fp2_cswap(fp2 *a, fp2 *b, limb_t flag)
{
    fp_cswap(&a->c0, &b->c0, flag);
    fp_cswap(&a->c1, &b->c1, flag);
}

/* ZCash order: c1 first. On failure r is zero. */
limb_t fp2_from_bytes(fp2 *r, const uint8_t in[96])
{
    limb_t ok = fp_from_bytes(&r->c1, in) & fp_from_bytes(&r->c0, in + 48);
    fp2_cmov(r, &FP2_ZERO, ok ^ 1);
    return ok;
}

void fp2_to_bytes(uint8_t out[96], const fp2 *a)
{
    fp_to_bytes(out, &a->c1);
    fp_to_bytes(out + 48, &a->c0);
}
