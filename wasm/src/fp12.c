/*
 * Fp12 = Fp6[w]/(w^2 - v), where the pairing values (GT) live.
 */
#include "fp12.h"
#include "field_consts.h"

const fp12 FP12_ONE = {{{FP_ONE_INIT, {{0}}}, {{{0}}, {{0}}}, {{{0}}, {{0}}}},
                       {{{{0}}, {{0}}}, {{{0}}, {{0}}}, {{{0}}, {{0}}}}};

/* Karatsuba over Fp6: 3 Fp6 products. */
void fp12_mul(fp12 *r, const fp12 *a, const fp12 *b)
{
    fp6 v0, v1, s, t;
    fp6_mul(&v0, &a->c0, &b->c0);                  /* v0 = a0 b0 */
    fp6_mul(&v1, &a->c1, &b->c1);                  /* v1 = a1 b1 */
    fp6_add_unreduced(&s, &a->c0, &a->c1);
    fp6_add_unreduced(&t, &b->c0, &b->c1);
    fp6_mul(&s, &s, &t);
    fp6_sub(&s, &s, &v0);
    fp6_sub(&r->c1, &s, &v1);                      /* c1 = a0 b1 + a1 b0 */
    fp6_mul_by_nonresidue(&v1, &v1);
    fp6_add(&r->c0, &v0, &v1);                     /* c0 = v0 + v v1 */
}

/*
 * Complex squaring, 2 Fp6 products (ePrint 2006/471 section 3):
 *   c0 = (a0 + a1)(a0 + v a1) - m - v m,  c1 = 2 m,  m = a0 a1.
 */
void fp12_sqr(fp12 *r, const fp12 *a)
{
    fp6 m, s, t;
    fp6_mul(&m, &a->c0, &a->c1);                   /* m = a0 a1 */
    fp6_add_unreduced(&s, &a->c0, &a->c1);
    fp6_mul_by_nonresidue(&t, &a->c1);
    fp6_add_unreduced(&t, &t, &a->c0);
    fp6_mul(&s, &s, &t);                           /* (a0 + a1)(a0 + v a1) */
    fp6_sub(&s, &s, &m);
    fp6_mul_by_nonresidue(&t, &m);
    fp6_sub(&r->c0, &s, &t);
    fp6_add(&r->c1, &m, &m);
}

/*
 * (x + y s)^2 in Fp4 = Fp2[s]/(s^2 - xi) by the complex method: with
 * m = x y, x^2 + xi y^2 = (x + y)(x + xi y) - m - xi m and 2 x y = 2 m.
 * Two Fp2 products cost less than the three squarings of the schoolbook.
 */
static void fp4_sqr(fp2 *r0, fp2 *r1, const fp2 *x, const fp2 *y)
{
    fp2 m, s, t;
    fp2_mul(&m, x, y);                             /* m = x y */
    fp2_add_unreduced(&s, x, y);
    fp2_mul_by_nonresidue(&t, y);
    fp2_add_unreduced(&t, &t, x);
    fp2_mul(&t, &s, &t);                           /* (x + y)(x + xi y) */
    fp2_sub(&t, &t, &m);
    fp2_mul_by_nonresidue(&s, &m);
    fp2_sub(r0, &t, &s);                           /* x^2 + xi y^2 */
    fp2_dbl(r1, &m);                               /* 2 x y */
}

/* r = 3 t - 2 c (sign -1) or 3 t + 2 c (sign +1), the Granger-Scott update. */
static void fp12_gs_combine(fp2 *r, const fp2 *t, const fp2 *c, int plus)
{
    fp2 d;
    if (plus) fp2_add(&d, t, c);
    else fp2_sub(&d, t, c);
    fp2_dbl(&d, &d);
    fp2_add(r, &d, t);
}

/*
 * Granger-Scott squaring in the cyclotomic subgroup,
 * https://eprint.iacr.org/2009/565 section 3.2. Over Fp4 with s = w^3,
 * a = A0 + A1 w + A2 w^2 where A0 = g0 + h1 s, A1 = h0 + g2 s,
 * A2 = g1 + h2 s (g = a.c0, h = a.c1), and
 *   A0' = 3 A0^2 - 2 conj(A0), A1' = 3 s A2^2 + 2 conj(A1),
 *   A2' = 3 A1^2 - 2 conj(A2).
 */
void fp12_cyclotomic_sqr(fp12 *r, const fp12 *a)
{
    fp2 t0, t1, u0, u1, w0, w1;
    fp4_sqr(&t0, &t1, &a->c0.c0, &a->c1.c1);       /* A0^2 */
    fp4_sqr(&u0, &u1, &a->c1.c0, &a->c0.c2);       /* A1^2 */
    fp4_sqr(&w0, &w1, &a->c0.c1, &a->c1.c2);       /* A2^2 */
    fp2_mul_by_nonresidue(&w1, &w1);               /* s A2^2 = xi w1 + w0 s */
    fp12_gs_combine(&r->c0.c0, &t0, &a->c0.c0, 0);      /* g0' = 3 t0 - 2 g0 */
    fp12_gs_combine(&r->c1.c1, &t1, &a->c1.c1, 1);      /* h1' = 3 t1 + 2 h1 */
    fp12_gs_combine(&r->c1.c0, &w1, &a->c1.c0, 1);      /* h0' = 3 xi w1 + 2 h0 */
    fp12_gs_combine(&r->c0.c2, &w0, &a->c0.c2, 0);      /* g2' = 3 w0 - 2 g2 */
    fp12_gs_combine(&r->c0.c1, &u0, &a->c0.c1, 0);      /* g1' = 3 u0 - 2 g1 */
    fp12_gs_combine(&r->c1.c2, &u1, &a->c1.c2, 1);      /* h2' = 3 u1 + 2 h2 */
}

void fp12_conj(fp12 *r, const fp12 *a)
{
    r->c0 = a->c0;
    fp6_neg(&r->c1, &a->c1);
}

/* 1/(a0 + a1 w) = (a0 - a1 w) / (a0^2 - v a1^2) */
void fp12_inv(fp12 *r, const fp12 *a)
{
    fp6 n, t;
    fp6_sqr(&n, &a->c0);
    fp6_sqr(&t, &a->c1);
    fp6_mul_by_nonresidue(&t, &t);
    fp6_sub(&n, &n, &t);                           /* norm to Fp6 */
    fp6_inv(&n, &n);
    fp6_mul(&r->c0, &a->c0, &n);
    fp6_mul(&t, &a->c1, &n);
    fp6_neg(&r->c1, &t);
    secure_zero(&n, sizeof n);
    secure_zero(&t, sizeof t);
}

/* (a0 + a1 w)^(p^k) = F(a0) + F(a1) xi^((p^k-1)/6) w, F the Fp6 Frobenius. */
void fp12_frobenius(fp12 *r, const fp12 *a, int power)
{
    fp6_frobenius(&r->c0, &a->c0, power);
    fp6_frobenius(&r->c1, &a->c1, power);
    fp6_mul_fp2(&r->c1, &r->c1, &FROB_W[power - 1]);
}

limb_t fp12_is_one(const fp12 *a) { return fp12_eq(a, &FP12_ONE); }

limb_t fp12_eq(const fp12 *a, const fp12 *b) { return fp6_eq(&a->c0, &b->c0) & fp6_eq(&a->c1, &b->c1); }

void fp12_cmov(fp12 *r, const fp12 *a, limb_t flag)
{
    fp6_cmov(&r->c0, &a->c0, flag);
    fp6_cmov(&r->c1, &a->c1, flag);
}

/* The twelve Fp coefficients in memory order: c0.c0.c0, c0.c0.c1, ..., c1.c2.c1. */
static fp *fp12_coeff(fp12 *a, int i)
{
    fp6 *h = i < 6 ? &a->c0 : &a->c1;
    fp2 *q = (i % 6) < 2 ? &h->c0 : (i % 6) < 4 ? &h->c1 : &h->c2;
    return (i & 1) ? &q->c1 : &q->c0;
}

void fp12_to_bytes(uint8_t out[576], const fp12 *a)
{
    for (int i = 0; i < 12; i++) fp_to_bytes(out + 48 * i, fp12_coeff((fp12 *)a, i));
}

/* Every coefficient must be canonical; on failure r is zero. */
limb_t fp12_from_bytes(fp12 *r, const uint8_t in[576])
{
    static const fp12 zero;
    limb_t ok = 1;
    for (int i = 0; i < 12; i++) ok &= fp_from_bytes(fp12_coeff(r, i), in + 48 * i);
    fp12_cmov(r, &zero, ok ^ 1);
    return ok;
}
