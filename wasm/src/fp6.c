/*
 * Fp6 = Fp2[v]/(v^3 - xi), xi = 1 + u. Multiplication and squaring follow
 * Devegili, O hEigeartaigh, Scott, Dahab, "Multiplication and Squaring on
 * Pairing-Friendly Fields", https://eprint.iacr.org/2006/471 (Karatsuba
 * section 4, Chung-Hasan SQ2 section 4).
 */
#include "fp6.h"
#include "field_consts.h"

const fp6 FP6_ZERO = {{{{0}}, {{0}}}, {{{0}}, {{0}}}, {{{0}}, {{0}}}};
const fp6 FP6_ONE = {{FP_ONE_INIT, {{0}}}, {{{0}}, {{0}}}, {{{0}}, {{0}}}};

void fp6_add(fp6 *r, const fp6 *a, const fp6 *b)
{
    fp2_add(&r->c0, &a->c0, &b->c0);
    fp2_add(&r->c1, &a->c1, &b->c1);
    fp2_add(&r->c2, &a->c2, &b->c2);
}

void fp6_add_unreduced(fp6 *r, const fp6 *a, const fp6 *b)
{
    fp2_add_unreduced(&r->c0, &a->c0, &b->c0);
    fp2_add_unreduced(&r->c1, &a->c1, &b->c1);
    fp2_add_unreduced(&r->c2, &a->c2, &b->c2);
}

void fp6_sub(fp6 *r, const fp6 *a, const fp6 *b)
{
    fp2_sub(&r->c0, &a->c0, &b->c0);
    fp2_sub(&r->c1, &a->c1, &b->c1);
    fp2_sub(&r->c2, &a->c2, &b->c2);
}

void fp6_neg(fp6 *r, const fp6 *a)
{
    fp2_neg(&r->c0, &a->c0);
    fp2_neg(&r->c1, &a->c1);
    fp2_neg(&r->c2, &a->c2);
}

/* Karatsuba, 6 Fp2 products (ePrint 2006/471 section 4). */
void fp6_mul(fp6 *r, const fp6 *a, const fp6 *b)
{
    fp2 v0, v1, v2, s, t, c0, c1, c2;
    fp2_mul(&v0, &a->c0, &b->c0);                  /* v0 = a0 b0 */
    fp2_mul(&v1, &a->c1, &b->c1);                  /* v1 = a1 b1 */
    fp2_mul(&v2, &a->c2, &b->c2);                  /* v2 = a2 b2 */
    fp2_add_unreduced(&s, &a->c1, &a->c2);
    fp2_add_unreduced(&t, &b->c1, &b->c2);
    fp2_mul(&c0, &s, &t);
    fp2_sub(&c0, &c0, &v1);
    fp2_sub(&c0, &c0, &v2);                        /* a1 b2 + a2 b1 */
    fp2_mul_by_nonresidue(&c0, &c0);
    fp2_add(&c0, &c0, &v0);                        /* c0 = v0 + xi (a1 b2 + a2 b1) */
    fp2_add_unreduced(&s, &a->c0, &a->c1);
    fp2_add_unreduced(&t, &b->c0, &b->c1);
    fp2_mul(&c1, &s, &t);
    fp2_sub(&c1, &c1, &v0);
    fp2_sub(&c1, &c1, &v1);                        /* a0 b1 + a1 b0 */
    fp2_mul_by_nonresidue(&s, &v2);
    fp2_add(&c1, &c1, &s);                         /* c1 = a0 b1 + a1 b0 + xi v2 */
    fp2_add_unreduced(&s, &a->c0, &a->c2);
    fp2_add_unreduced(&t, &b->c0, &b->c2);
    fp2_mul(&c2, &s, &t);
    fp2_sub(&c2, &c2, &v0);
    fp2_sub(&c2, &c2, &v2);
    fp2_add(&r->c2, &c2, &v1);                     /* c2 = a0 b2 + a2 b0 + v1 */
    r->c0 = c0;
    r->c1 = c1;
}

/* Chung-Hasan SQ2, 3 Fp2 squarings and 2 products (ePrint 2006/471 section 4). */
void fp6_sqr(fp6 *r, const fp6 *a)
{
    fp2 s0, s1, s2, s3, s4, t;
    fp2_sqr(&s0, &a->c0);                          /* s0 = a0^2 */
    fp2_mul(&s1, &a->c0, &a->c1);
    fp2_dbl(&s1, &s1);                             /* s1 = 2 a0 a1 */
    fp2_sub(&t, &a->c0, &a->c1);
    fp2_add(&t, &t, &a->c2);
    fp2_sqr(&s2, &t);                              /* s2 = (a0 - a1 + a2)^2 */
    fp2_mul(&s3, &a->c1, &a->c2);
    fp2_dbl(&s3, &s3);                             /* s3 = 2 a1 a2 */
    fp2_sqr(&s4, &a->c2);                          /* s4 = a2^2 */
    fp2_mul_by_nonresidue(&t, &s3);
    fp2_add(&r->c0, &s0, &t);                      /* c0 = s0 + xi s3 */
    fp2_add(&t, &s1, &s2);
    fp2_add(&t, &t, &s3);
    fp2_sub(&t, &t, &s0);
    fp2_sub(&r->c2, &t, &s4);                      /* c2 = s1 + s2 + s3 - s0 - s4 */
    fp2_mul_by_nonresidue(&t, &s4);
    fp2_add(&r->c1, &s1, &t);                      /* c1 = s1 + xi s4 */
}

/* (a0 + a1 v + a2 v^2) v = xi a2 + a0 v + a1 v^2 */
void fp6_mul_by_nonresidue(fp6 *r, const fp6 *a)
{
    fp2 t;
    fp2_mul_by_nonresidue(&t, &a->c2);
    r->c2 = a->c1;
    r->c1 = a->c0;
    r->c0 = t;
}

/* b = b0 + b1 v: Karatsuba with b2 = 0, 5 Fp2 products. */
void fp6_mul_by_01(fp6 *r, const fp6 *a, const fp2 *b0, const fp2 *b1)
{
    fp2 v0, v1, s, t, c0, c1;
    fp2_mul(&v0, &a->c0, b0);                      /* v0 = a0 b0 */
    fp2_mul(&v1, &a->c1, b1);                      /* v1 = a1 b1 */
    fp2_mul(&c0, &a->c2, b1);
    fp2_mul_by_nonresidue(&c0, &c0);
    fp2_add(&c0, &c0, &v0);                        /* c0 = v0 + xi a2 b1 */
    fp2_add_unreduced(&s, &a->c0, &a->c1);
    fp2_add_unreduced(&t, b0, b1);
    fp2_mul(&c1, &s, &t);
    fp2_sub(&c1, &c1, &v0);
    fp2_sub(&c1, &c1, &v1);                        /* c1 = a0 b1 + a1 b0 */
    fp2_mul(&t, &a->c2, b0);
    fp2_add(&r->c2, &t, &v1);                      /* c2 = a2 b0 + a1 b1 */
    r->c0 = c0;
    r->c1 = c1;
}

/* b = b1 v: (a0 + a1 v + a2 v^2) b1 v = xi a2 b1 + a0 b1 v + a1 b1 v^2 */
void fp6_mul_by_1(fp6 *r, const fp6 *a, const fp2 *b1)
{
    fp2 t;
    fp2_mul(&t, &a->c2, b1);
    fp2_mul_by_nonresidue(&t, &t);
    fp2_mul(&r->c2, &a->c1, b1);
    fp2_mul(&r->c1, &a->c0, b1);
    r->c0 = t;
}

void fp6_mul_fp2(fp6 *r, const fp6 *a, const fp2 *b)
{
    fp2_mul(&r->c0, &a->c0, b);
    fp2_mul(&r->c1, &a->c1, b);
    fp2_mul(&r->c2, &a->c2, b);
}

/*
 * Inverse through the adjugate: with t0 = a0^2 - xi a1 a2,
 * t1 = xi a2^2 - a0 a1, t2 = a1^2 - a0 a2, the norm to Fp2 is
 * a0 t0 + xi (a2 t1 + a1 t2) and a^-1 = (t0 + t1 v + t2 v^2) / norm.
 */
void fp6_inv(fp6 *r, const fp6 *a)
{
    fp2 t0, t1, t2, s, d;
    fp2_sqr(&t0, &a->c0);
    fp2_mul(&s, &a->c1, &a->c2);
    fp2_mul_by_nonresidue(&s, &s);
    fp2_sub(&t0, &t0, &s);                         /* t0 = a0^2 - xi a1 a2 */
    fp2_sqr(&t1, &a->c2);
    fp2_mul_by_nonresidue(&t1, &t1);
    fp2_mul(&s, &a->c0, &a->c1);
    fp2_sub(&t1, &t1, &s);                         /* t1 = xi a2^2 - a0 a1 */
    fp2_sqr(&t2, &a->c1);
    fp2_mul(&s, &a->c0, &a->c2);
    fp2_sub(&t2, &t2, &s);                         /* t2 = a1^2 - a0 a2 */
    fp2_mul(&d, &a->c2, &t1);
    fp2_mul(&s, &a->c1, &t2);
    fp2_add(&d, &d, &s);
    fp2_mul_by_nonresidue(&d, &d);
    fp2_mul(&s, &a->c0, &t0);
    fp2_add(&d, &d, &s);                           /* d = a0 t0 + xi (a2 t1 + a1 t2) */
    fp2_inv(&d, &d);
    fp2_mul(&r->c0, &t0, &d);
    fp2_mul(&r->c1, &t1, &d);
    fp2_mul(&r->c2, &t2, &d);
    secure_zero(&d, sizeof d);
}

/*
 * a^(p^k) = F(a0) + F(a1) xi^((p^k-1)/3) v + F(a2) xi^(2(p^k-1)/3) v^2,
 * F being conjugation for odd k and the identity for even k.
 */
void fp6_frobenius(fp6 *r, const fp6 *a, int power)
{
    fp2 c0 = a->c0, c1 = a->c1, c2 = a->c2;
    limb_t odd = (limb_t)power & 1;
    fp2 t;
    fp2_conj(&t, &c0);
    fp2_cmov(&c0, &t, odd);
    fp2_conj(&t, &c1);
    fp2_cmov(&c1, &t, odd);
    fp2_conj(&t, &c2);
    fp2_cmov(&c2, &t, odd);
    r->c0 = c0;
    fp2_mul(&r->c1, &c1, &FROB_V[power - 1]);
    fp2_mul(&r->c2, &c2, &FROB_V2[power - 1]);
}

limb_t fp6_is_zero(const fp6 *a)
{
    return fp2_is_zero(&a->c0) & fp2_is_zero(&a->c1) & fp2_is_zero(&a->c2);
}

limb_t fp6_eq(const fp6 *a, const fp6 *b)
{
    return fp2_eq(&a->c0, &b->c0) & fp2_eq(&a->c1, &b->c1) & fp2_eq(&a->c2, &b->c2);
}

void fp6_cmov(fp6 *r, const fp6 *a, limb_t flag)
{
    fp2_cmov(&r->c0, &a->c0, flag);
    fp2_cmov(&r->c1, &a->c1, flag);
    fp2_cmov(&r->c2, &a->c2, flag);
}
