/*
 * G1 = E(Fp)[r], E: y^2 = x^3 + 4, in Jacobian coordinates (X/Z^2, Y/Z^3).
 *
 * The additions are complete without branches (infinity, P == Q and
 * P == -Q are folded in with masks), so the constant-time multiplier can
 * use them on any table entry. Scalar multiplication uses the GLV
 * endomorphism phi(x, y) = (beta x, y), which acts on G1 as -u^2.
 */
#include "g1.h"
#include "limbs.h"
#include "recode.h"

/* Montgomery form (R = 2^406, fp.h) of the integers named in each comment. */
#define G1_MONT_ONE {{ 0x03a9fb84, 0x0ba00690, 0x071288f1, 0x0f59bcc5, 0x126cb614, 0x0585bf36, 0x1b85ac3d, \
                       0x1cf856fa, 0x1891ecbd, 0x1a7eec05, 0x155a88f0, 0x0741ac6d, 0x1317c30f, 0x00000009 }}

/* The standard generator (ZCash / IETF):
 * x = 0x17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb
 * y = 0x08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1 */
const g1 G1_GENERATOR = {
    {{ 0x0af58fd1, 0x1662a68e, 0x07d2c530, 0x08993c24, 0x1e4f4756, 0x0c5f7ae2, 0x0f589991,
       0x00dc570e, 0x121b54f5, 0x05242b28, 0x17442464, 0x0ee8a0cd, 0x1f591099, 0x00000009 }},
    {{ 0x1cd65f60, 0x1919ce91, 0x0da44145, 0x0810b2cc, 0x08f38c44, 0x00629241, 0x0f521d8c,
       0x0529cbad, 0x0506077f, 0x191b2712, 0x0c587ccb, 0x1017da2f, 0x1c72eafa, 0x0000000b }},
    G1_MONT_ONE
};

const g1 G1_INFINITY = { G1_MONT_ONE, G1_MONT_ONE, {{ 0 }} };

/* b = 4 */
static const fp G1_B = {{ 0x0ea898ba, 0x0e901a40, 0x124a23e8, 0x0d66f84f, 0x0aee547c, 0x03760629, 0x181b776e,
                          0x12a47aa6, 0x137ec460, 0x05c6f549, 0x0fdc4fe8, 0x1707174d, 0x0c3ccef5, 0x0000000c }};

/* beta = 0x5f19672fdf76ce51ba69c6076a0f77eaddb3a93be6f89688de17d813620a00022e01fffffffefffe,
 * the cube root of unity for which phi(x, y) = (beta x, y) is -u^2 on G1
 * (checked against the generator; the other root, beta^2, gives u^2 - 1). */
static const fp G1_BETA = {{ 0x0abf79e7, 0x194b14eb, 0x1ceb16a6, 0x1845cd5d, 0x0c814568, 0x199ca109, 0x13ee6ee1,
                             0x05d123e5, 0x0dfbdce2, 0x010ecb54, 0x0d9337ed, 0x1daaf4b0, 0x146806fb, 0x0000000c }};

/* ---- Point basics -------------------------------------------------------- */

limb_t g1_is_inf(const g1 *p) { return fp_is_zero(&p->z); }

void g1_cmov(g1 *r, const g1 *p, limb_t flag)
{
    fp_cmov(&r->x, &p->x, flag);
    fp_cmov(&r->y, &p->y, flag);
    fp_cmov(&r->z, &p->z, flag);
}

void g1_neg(g1 *r, const g1 *p)
{
    r->x = p->x;
    fp_neg(&r->y, &p->y);
    r->z = p->z;
}

void g1_from_affine(g1 *r, const g1_affine *p)
{
    limb_t inf = fp_is_zero(&p->x) & fp_is_zero(&p->y);
    r->x = p->x;
    r->y = p->y;
    r->z = FP_ONE;
    fp_cmov(&r->z, &FP_ZERO, inf);               /* (0, 0) is infinity */
}

void g1_to_affine(g1_affine *r, const g1 *p)
{
    fp zi, zi2, zi3;
    fp_inv(&zi, &p->z);                           /* inv(0) = 0: infinity -> (0, 0) */
    fp_sqr(&zi2, &zi);                            /* 1/Z^2 */
    fp_mul(&zi3, &zi2, &zi);                      /* 1/Z^3 */
    fp_mul(&r->x, &p->x, &zi2);
    fp_mul(&r->y, &p->y, &zi3);
}

/* X1 Z2^2 = X2 Z1^2 and Y1 Z2^3 = Y2 Z1^3, or both infinite. */
limb_t g1_eq(const g1 *p, const g1 *q)
{
    fp z1z1, z2z2, a, b, c, d;
    limb_t p_inf = g1_is_inf(p), q_inf = g1_is_inf(q);
    fp_sqr(&z1z1, &p->z);
    fp_sqr(&z2z2, &q->z);
    fp_mul(&a, &p->x, &z2z2);                     /* U1 */
    fp_mul(&b, &q->x, &z1z1);                     /* U2 */
    fp_mul(&z2z2, &z2z2, &q->z);
    fp_mul(&z1z1, &z1z1, &p->z);
    fp_mul(&c, &p->y, &z2z2);                     /* S1 */
    fp_mul(&d, &q->y, &z1z1);                     /* S2 */
    limb_t same = fp_eq(&a, &b) & fp_eq(&c, &d);
    return (same & (p_inf ^ 1) & (q_inf ^ 1)) | (p_inf & q_inf);
}

/* y^2 = x^3 + 4, with (0, 0) (affine infinity) accepted. */
limb_t g1_affine_on_curve(const g1_affine *p)
{
    fp lhs, rhs;
    fp_sqr(&lhs, &p->y);
    fp_sqr(&rhs, &p->x);
    fp_mul(&rhs, &rhs, &p->x);
    fp_add(&rhs, &rhs, &G1_B);
    return fp_eq(&lhs, &rhs) | (fp_is_zero(&p->x) & fp_is_zero(&p->y));
}

/* ---- Doubling and complete addition --------------------------------------- */

/* r = a + b without reduction (below 4p): only ever an input of fp_mul or
 * fp_sqr, which accept values below 4p; saves the conditional subtraction. */
static void g1_add_unreduced(fp *r, const fp *a, const fp *b) { fp_add_unreduced(r, a, b); }

/*
 * EFD dbl-2009-l (a = 0):
 * https://hyperelliptic.org/EFD/g1p/auto-shortw-jacobian-0.html#doubling-dbl-2009-l
 * Complete as it stands: Z = 0 stays 0, and E(Fp) has no point of order 2.
 * Also hands out D = X1 (2 Y1)^2 and 8C = Y1 (2 Y1)^3: the input point
 * over the new Z3 = 2 Y1 Z1, for the co-Z tables below.
 */
static void g1_dbl_parts(g1 *r, fp *d, fp *c8, const g1 *p)
{
    fp a, b, c, e, f, t;
    fp_sqr(&a, &p->x);                            /* A = X1^2 */
    fp_sqr(&b, &p->y);                            /* B = Y1^2 */
    fp_sqr(&c, &b);                               /* C = B^2 */
    g1_add_unreduced(&t, &p->x, &b);
    fp_sqr(&t, &t);
    fp_sub(&t, &t, &a);
    fp_sub(&t, &t, &c);
    fp_dbl(d, &t);                                /* D = 2((X1+B)^2 - A - C) */
    fp_dbl(&e, &a);
    fp_add(&e, &e, &a);                           /* E = 3A */
    fp_sqr(&f, &e);                               /* F = E^2 */
    g1_add_unreduced(&t, &p->y, &p->y);
    fp_mul(&r->z, &t, &p->z);                     /* Z3 = 2 Y1 Z1 (p->x, p->y not read below) */
    fp_dbl(&t, d);
    fp_sub(&r->x, &f, &t);                        /* X3 = F - 2D */
    fp_sub(&t, d, &r->x);
    fp_mul(&t, &e, &t);
    fp_dbl(c8, &c);
    fp_dbl(c8, c8);
    fp_dbl(c8, c8);                               /* 8C */
    fp_sub(&r->y, &t, c8);                        /* Y3 = E(D - X3) - 8C */
}

void g1_dbl(g1 *r, const g1 *p)
{
    fp d, c8;
    g1_dbl_parts(r, &d, &c8, p);
}

/*
 * When the two inputs are the same point, replace the chord (H, R) =
 * (U2 - U1, S2 - S1) = (0, 0) by the tangent scaled the same way:
 * R/H must equal the slope times Z1 Z2, i.e. (3 U1^2) / (2 S1).
 */
static void g1_tangent(fp *h, fp *rr, const fp *u1, const fp *s1, limb_t dbl)
{
    fp t, t2;
    fp_sqr(&t, u1);
    fp_dbl(&t2, &t);
    fp_add(&t, &t2, &t);                          /* 3 U1^2 */
    fp_cmov(rr, &t, dbl);
    fp_dbl(&t2, s1);                              /* 2 S1 */
    fp_cmov(h, &t2, dbl);
}

/*
 * The common end of g1_add and g1_add_affine, EFD add-2007-bl from H and
 * R = S2 - S1 on: https://hyperelliptic.org/EFD/g1p/auto-shortw-jacobian-0.html#addition-add-2007-bl
 * zz = Z1 Z2. X3 = r^2 - J - 2V uses U2 - U1 = H; for a doubling
 * U2 - U1 = 0, so J drops out of X3 (it stays in Y3 as 2 S1 J = S1 (2H)^3).
 */
static void g1_add_tail(g1 *r, const fp *u1, const fp *s1, const fp *h, const fp *rr0,
                        const fp *zz, limb_t dbl)
{
    fp i, j, v, rr, t, h2;
    g1_add_unreduced(&h2, h, h);                  /* 2H, unreduced */
    fp_sqr(&i, &h2);                              /* I = (2H)^2 */
    fp_mul(&j, h, &i);                            /* J = H I */
    g1_add_unreduced(&rr, rr0, rr0);              /* r = 2 (S2 - S1), unreduced: only squared and multiplied */
    fp_mul(&v, u1, &i);                           /* V = U1 I */
    fp_mul(&r->z, zz, &h2);                       /* Z3 = 2 Z1 Z2 H */
    fp_sqr(&r->x, &rr);
    fp_dbl(&t, &v);
    fp_sub(&r->x, &r->x, &t);                     /* X3 = r^2 - 2V */
    t = j;
    fp_cmov(&t, &FP_ZERO, dbl);
    fp_sub(&r->x, &r->x, &t);                     /*      - J, unless doubling */
    fp_sub(&t, &v, &r->x);
    fp_mul(&t, &rr, &t);
    g1_add_unreduced(&h2, s1, s1);
    fp_mul(&j, &h2, &j);                          /* 2 S1 J */
    fp_sub(&r->y, &t, &j);                        /* Y3 = r (V - X3) - 2 S1 J */
}

/* Complete Jacobian addition (add-2007-bl + tangent + masks, see above). */
void g1_add(g1 *r, const g1 *p, const g1 *q)
{
    fp z1z1, z2z2, u1, u2, s1, s2, h, rr, zz;
    g1 out;
    limb_t p_inf = g1_is_inf(p), q_inf = g1_is_inf(q), dbl;
    fp_sqr(&z1z1, &p->z);                         /* Z1Z1 = Z1^2 */
    fp_sqr(&z2z2, &q->z);                         /* Z2Z2 = Z2^2 */
    fp_mul(&u1, &p->x, &z2z2);                    /* U1 = X1 Z2Z2 */
    fp_mul(&u2, &q->x, &z1z1);                    /* U2 = X2 Z1Z1 */
    fp_mul(&s1, &p->y, &q->z);
    fp_mul(&s1, &s1, &z2z2);                      /* S1 = Y1 Z2 Z2Z2 */
    fp_mul(&s2, &q->y, &p->z);
    fp_mul(&s2, &s2, &z1z1);                      /* S2 = Y2 Z1 Z1Z1 */
    fp_mul(&zz, &p->z, &q->z);
    fp_sub(&h, &u2, &u1);                         /* H = U2 - U1 */
    fp_sub(&rr, &s2, &s1);                        /* R = S2 - S1; H = 0, R != 0: P = -Q, Z3 = 0 */
    dbl = fp_is_zero(&h) & fp_is_zero(&rr);
    g1_tangent(&h, &rr, &u1, &s1, dbl);
    g1_add_tail(&out, &u1, &s1, &h, &rr, &zz, dbl);
    g1_cmov(&out, q, p_inf);
    g1_cmov(&out, p, q_inf);
    *r = out;
}

/*
 * Mixed addition, EFD madd-2007-bl shape (Z2 = 1); q = (0, 0) is infinity.
 * With tangent set it is complete; without, P == Q (both finite) gives a
 * wrong result, for callers that prove the case unreachable (g1_mult).
 */
static void g1_madd_ct(g1 *r, const g1 *p, const g1_affine *q, int tangent)
{
    fp z1z1, u2, s2, h, rr;
    g1 out;
    limb_t p_inf = g1_is_inf(p), q_inf = fp_is_zero(&q->x) & fp_is_zero(&q->y), dbl = 0;
    fp_sqr(&z1z1, &p->z);                         /* Z1Z1 = Z1^2 */
    fp_mul(&u2, &q->x, &z1z1);                    /* U2 = X2 Z1Z1 */
    fp_mul(&s2, &q->y, &p->z);
    fp_mul(&s2, &s2, &z1z1);                      /* S2 = Y2 Z1 Z1Z1 */
    fp_sub(&h, &u2, &p->x);                       /* H = U2 - X1 */
    fp_sub(&rr, &s2, &p->y);                      /* R = S2 - Y1 */
    if (tangent) {                                /* public flag, fixed per call site */
        dbl = fp_is_zero(&h) & fp_is_zero(&rr);
        g1_tangent(&h, &rr, &p->x, &p->y, dbl);
    }
    g1_add_tail(&out, &p->x, &p->y, &h, &rr, &p->z, dbl);
    fp_cmov(&out.x, &q->x, p_inf);                /* P infinite: (X2, Y2, 1) */
    fp_cmov(&out.y, &q->y, p_inf);
    fp_cmov(&out.z, &FP_ONE, p_inf);
    g1_cmov(&out, p, q_inf);                      /* Q infinite (both: P) */
    *r = out;
}

/* Complete mixed addition (see g1_madd_ct). */
void g1_add_affine(g1 *r, const g1 *p, const g1_affine *q) { g1_madd_ct(r, p, q, 1); }

/*
 * Mixed addition for public points, madd-2007-bl with branches for the
 * special cases: P infinite, P == Q (doubling), P == -Q (infinity). q must
 * be a finite point (of E or of an isomorphic y^2 = x^3 + b').
 */
static void g1_madd_vartime(g1 *r, const g1 *p, const g1_affine *q)
{
    fp z1z1, u2, s2, h, rr;
    if (g1_is_inf(p)) {
        r->x = q->x;
        r->y = q->y;
        r->z = FP_ONE;
        return;
    }
    fp_sqr(&z1z1, &p->z);                         /* Z1Z1 = Z1^2 */
    fp_mul(&u2, &q->x, &z1z1);                    /* U2 = X2 Z1Z1 */
    fp_mul(&s2, &q->y, &p->z);
    fp_mul(&s2, &s2, &z1z1);                      /* S2 = Y2 Z1 Z1Z1 */
    fp_sub(&h, &u2, &p->x);                       /* H = U2 - X1 */
    fp_sub(&rr, &s2, &p->y);                      /* R = S2 - Y1 */
    if (fp_is_zero(&h)) {
        if (fp_is_zero(&rr)) g1_dbl(r, p);        /* P == Q */
        else *r = G1_INFINITY;                    /* P == -Q */
        return;
    }
    g1_add_tail(r, &p->x, &p->y, &h, &rr, &p->z, 0);
}

/* u^2 P for P in G1: -phi(P) = (beta X, -Y, Z). */
static void g1_mul_by_u2_endo(g1 *r, const g1 *p)
{
    fp_mul(&r->x, &p->x, &G1_BETA);
    fp_neg(&r->y, &p->y);
    r->z = p->z;
}

/* ---- Tables of multiples ------------------------------------------------- */

/*
 * The tables hold points over one common Z, as pairs (X, Y): affine points
 * of the isomorphic curve y^2 = x^3 + 4 Z^6, (x, y) -> (x Z^2, y Z^3). The
 * a = 0 formulas never read b, so a multiplier runs on that curve with
 * mixed additions and multiplies its final Z by Z to come back (phi
 * commutes with the map). Infinity as input gives Z = 0 and so infinity
 * as output. Building them takes no inversion: co-Z additions
 * (Meloni, WAIFI 2007; for tables, Longa-Miri https://eprint.iacr.org/2008/051).
 */

/* (X, Y) -> (X c^2, Y c^3): the same point over Z c. */
static void g1_coz_scale(g1_affine *p, const fp *c)
{
    fp c2;
    fp_sqr(&c2, c);
    fp_mul(&p->x, &p->x, &c2);
    fp_mul(&c2, &c2, c);
    fp_mul(&p->y, &p->y, &c2);
}

/*
 * Co-Z addition with update: P, Q over one Z. r = P + Q over Z H with
 * H = X1 - X2, and P is rewritten over Z H as well. 4M + 2S. Not
 * complete: P = +-Q gives H = 0 (never met by the tables: small multiples
 * of a point of order r).
 */
static void g1_coz_addu(g1_affine *r, g1_affine *p, const g1_affine *q, fp *h)
{
    fp c, w1, w2, d, a1, t;
    fp_sub(h, &p->x, &q->x);                      /* H = X1 - X2 */
    fp_sqr(&c, h);                                /* C = H^2 */
    fp_mul(&w1, &p->x, &c);                       /* W1 = X1 C */
    fp_mul(&w2, &q->x, &c);                       /* W2 = X2 C */
    fp_sub(&t, &p->y, &q->y);                     /* Y1 - Y2 */
    fp_sqr(&d, &t);                               /* D = (Y1 - Y2)^2 */
    fp_sub(&a1, &w1, &w2);
    fp_mul(&a1, &p->y, &a1);                      /* A1 = Y1 (W1 - W2) = Y1 H^3 */
    fp_sub(&r->x, &d, &w1);
    fp_sub(&r->x, &r->x, &w2);                    /* X3 = D - W1 - W2 */
    fp_sub(&w2, &w1, &r->x);
    fp_mul(&r->y, &t, &w2);
    fp_sub(&r->y, &r->y, &a1);                    /* Y3 = (Y1 - Y2)(W1 - X3) - A1 */
    p->x = w1;                                    /* P over Z H */
    p->y = a1;
}

/* 2P and P over one Z (returned in z). */
static void g1_dbl_coz(g1_affine *p2, g1_affine *p1, fp *z, const g1 *p)
{
    g1 d;
    g1_dbl_parts(&d, &p1->x, &p1->y, p);
    p2->x = d.x;
    p2->y = d.y;
    *z = d.z;
}

/*
 * t[k] = first + k step for k < n, first and step over z0; on return
 * every t[k] and step are over the final Z, returned in z.
 */
static void g1_coz_chain(g1_affine *t, int n, g1_affine *step, const g1_affine *first,
                         const fp *z0, fp *z)
{
    fp h[16], acc = FP_ONE;
    t[0] = *first;
    for (int k = 1; k < n; k++) g1_coz_addu(&t[k], step, &t[k - 1], &h[k]);
    for (int k = n - 2; k >= 0; k--) {
        fp_mul(&acc, &acc, &h[k + 1]);            /* final Z / Z of t[k] */
        g1_coz_scale(&t[k], &acc);
    }
    fp_mul(z, z0, &acc);
}

/* u^2 P for P in G1 (on any curve y^2 = x^3 + b'): -phi(x, y) = (beta x, -y). */
static void g1_affine_mul_by_u2_endo(g1_affine *r, const g1_affine *p)
{
    fp_mul(&r->x, &p->x, &G1_BETA);
    fp_neg(&r->y, &p->y);
}

/* ---- Constant-time scalar multiplication (GLV) ---------------------------- */

#define G1_WINDOW 5
#define G1_TABLE (1 << (G1_WINDOW - 1))          /* P, 2P, ..., 16P */
#define G1_GLV_LIMBS 5                            /* a 128-bit half, one spare limb */
#define G1_GLV_WINDOWS 26                         /* 26 * 5 - 1 >= 128: the top Booth bit is 0 */

/* t = (P, 2P, ..., 16P) over a common Z. */
static void g1_table_build(g1_affine t[G1_TABLE], fp *z, const g1 *p)
{
    g1_affine p1, p2;
    fp z2;
    g1_dbl_coz(&p2, &p1, &z2, p);
    g1_coz_chain(t + 1, G1_TABLE - 1, &p1, &p2, &z2, z);    /* 2P, 3P, ..., 16P */
    t[0] = p1;                                               /* P, carried along */
}

/* r = mask ? a : r over the 48 bytes of an fp, as six 64-bit words. */
static void g1_cmov64(fp *r, const fp *a, uint64_t mask)
{
    for (int w = 0; w < FP_LIMBS / 2; w++) {
        uint64_t x, y;
        __builtin_memcpy(&x, &r->l[2 * w], 8);
        __builtin_memcpy(&y, &a->l[2 * w], 8);
        x ^= (x ^ y) & mask;
        __builtin_memcpy(&r->l[2 * w], &x, 8);
    }
}

/* r = (neg ? -1 : 1) * d * P from the table, d in [0, 16], d = 0 giving
 * affine infinity (0, 0); reads every entry (64-bit words: half the work). */
static void g1_table_select(g1_affine *r, const g1_affine t[G1_TABLE], limb_t d, limb_t neg)
{
    fp y;
    r->x = FP_ZERO;
    r->y = FP_ZERO;
    for (int i = 0; i < G1_TABLE; i++) {
        uint64_t hit = (uint64_t)0 - (uint64_t)ct_is_zero(d ^ (limb_t)(i + 1));
        g1_cmov64(&r->x, &t[i].x, hit);
        g1_cmov64(&r->y, &t[i].y, hit);
    }
    fp_neg(&y, &r->y);
    fp_cmov(&r->y, &y, neg);
}

/*
 * k P in constant time, P in G1. GLV (https://www.iacr.org/archive/crypto2001/21390189.pdf):
 * k = k0 + k1 u^2 with k0, k1 < 2^128 (recode_split_u), u^2 P = -phi(P), so
 * k P = k0 P + k1 (-phi(P)): 128 shared doublings, Booth digits of 5 bits,
 * per window two table scans and two mixed additions.
 *
 * The additions skip the tangent case (acc == e, both finite), which never
 * occurs. Let l = u^2, so r = l^2 - l + 1, and L = {(x, y) : x + y l = 0 mod r},
 * with basis (l, -1), (1, l - 1) (determinant r). A nonzero (x, y) =
 * c (l, -1) + e (1, l - 1) has max(|x|, |y|) >= l - 1 (|c| >= |e| bounds x,
 * |e| > |c| bounds y). With K0_j, K1_j the Booth partial sums of windows >= j
 * (so K_j = floor(k / 32^j) + bit 5j-1 of k, >= 0) and d0, d1 the digits of
 * window j, acc == e means (x, y) in L with, for the first addition,
 * (x, y) = (K0_j - 2 d0, K1_j - d1) and, for the second, (K0_j, K1_j - 2 d1);
 * (0, 0) only arises with e infinite (d = 0), which the masks handle.
 * For j >= 1 both coordinates are below l / 32 + 33. For j = 0, k0, k1 <= l - 1
 * (digits below |u|) and l = 0 mod 32 confine x, y to [-30, l + 16], leaving
 * only c, e in {-1, 0, 1}: of those, only (1, l - 1) (first addition: y is a
 * multiple of 32, l - 1 is not; second: d1 = 1 would need k1 = l + 1) and
 * (l + 1, l - 2) (y not a multiple of 32; x > l - 1 for the second) have both
 * coordinates in range, and both are excluded as noted.
 */
void g1_mult(g1 *r, const g1 *p, const scalar *s)
{
    uint64_t d[4];
    limb_t k0[G1_GLV_LIMBS], k1[G1_GLV_LIMBS], neg, abs;
    g1_affine t[G1_TABLE], e;
    g1 acc = G1_INFINITY;
    fp z;
    recode_split_u(d, s);
    recode_join_u(k0, d[0], d[1]);
    recode_join_u(k1, d[2], d[3]);
    g1_table_build(t, &z, p);
    for (int j = G1_GLV_WINDOWS - 1; j >= 0; j--) {
        for (int i = 0; i < G1_WINDOW && j != G1_GLV_WINDOWS - 1; i++) g1_dbl(&acc, &acc);
        abs = recode_booth(&neg, k0, G1_GLV_LIMBS, j, G1_WINDOW);
        g1_table_select(&e, t, abs, neg);
        g1_madd_ct(&acc, &acc, &e, 0);            /* no tangent case: see above */
        abs = recode_booth(&neg, k1, G1_GLV_LIMBS, j, G1_WINDOW);
        g1_table_select(&e, t, abs, neg);
        g1_affine_mul_by_u2_endo(&e, &e);
        g1_madd_ct(&acc, &acc, &e, 0);
    }
    fp_mul(&r->z, &acc.z, &z);                    /* back from the common-Z curve */
    r->x = acc.x;
    r->y = acc.y;
    secure_zero(d, sizeof d);
    secure_zero(k0, sizeof k0);
    secure_zero(k1, sizeof k1);
    secure_zero(&e, sizeof e);
}

/* ---- Variable-time multiplication (public scalars) ------------------------ */

#define G1_WNAF 5                                 /* odd multiples P, 3P, ..., 15P */
#define G1_WNAF_TABLE (1 << (G1_WNAF - 2))
#define G1_WNAF_DIGITS (32 * G1_GLV_LIMBS + 1)

/* acc += digit * (table entry), digit odd or 0. */
static void g1_add_digit_vartime(g1 *acc, const g1_affine t[G1_WNAF_TABLE], int digit)
{
    g1_affine e;
    if (digit > 0) g1_madd_vartime(acc, acc, &t[digit / 2]);
    if (digit < 0) {
        e.x = t[-digit / 2].x;
        fp_neg(&e.y, &t[-digit / 2].y);
        g1_madd_vartime(acc, acc, &e);
    }
}

/* k P for public k, P in G1: GLV as in g1_mult, width-5 NAF of each half. */
void g1_mult_vartime(g1 *r, const g1 *p, const scalar *s)
{
    uint64_t d[4];
    limb_t k0[G1_GLV_LIMBS], k1[G1_GLV_LIMBS];
    signed char n0[G1_WNAF_DIGITS], n1[G1_WNAF_DIGITS];
    g1 acc = G1_INFINITY;
    g1_affine t[G1_WNAF_TABLE], tu[G1_WNAF_TABLE], p1, p2;
    fp z, z2;
    recode_split_u(d, s);
    recode_join_u(k0, d[0], d[1]);
    recode_join_u(k1, d[2], d[3]);
    int len0 = recode_wnaf_vartime(n0, k0, G1_GLV_LIMBS, G1_WNAF);
    int len1 = recode_wnaf_vartime(n1, k1, G1_GLV_LIMBS, G1_WNAF);
    g1_dbl_coz(&p2, &p1, &z2, p);
    g1_coz_chain(t, G1_WNAF_TABLE, &p2, &p1, &z2, &z);      /* P, 3P, ..., 15P */
    for (int i = 0; i < G1_WNAF_TABLE; i++) g1_affine_mul_by_u2_endo(&tu[i], &t[i]);
    for (int i = (len0 > len1 ? len0 : len1) - 1; i >= 0; i--) {
        if (!g1_is_inf(&acc)) g1_dbl(&acc, &acc);
        g1_add_digit_vartime(&acc, t, n0[i]);
        g1_add_digit_vartime(&acc, tu, n1[i]);
    }
    fp_mul(&r->z, &acc.z, &z);
    r->x = acc.x;
    r->y = acc.y;
}

/*
 * k Q for Q = (X, Y) on the co-Z curve y^2 = x^3 + 4 Z^6 of a point
 * (X, Y, Z) (see the tables above), by left-to-right double-and-add with
 * mixed additions; the result stays on that curve. Time depends on k only.
 */
static void g1_mult_u64_coz_vartime(g1 *r, const g1_affine *q, uint64_t k)
{
    g1 acc = G1_INFINITY;
    int top = 63;
    while (top >= 0 && !((k >> top) & 1)) top--;
    if (top >= 0) g1_madd_vartime(&acc, &acc, q);
    for (int i = top - 1; i >= 0; i--) {
        g1_dbl(&acc, &acc);
        if ((k >> i) & 1) g1_madd_vartime(&acc, &acc, q);
    }
    *r = acc;
}

/* k P for a public k; any P of E(Fp). */
void g1_mult_by_u64_vartime(g1 *r, const g1 *p, uint64_t k)
{
    g1_affine q = { p->x, p->y };                 /* P on its co-Z curve (Z = 0: all infinity) */
    fp z = p->z;
    g1_mult_u64_coz_vartime(r, &q, k);
    fp_mul(&r->z, &r->z, &z);                     /* back to E */
}

/* ---- Subgroup check and cofactor clearing ---------------------------------- */

/*
 * Scott, "A note on group membership tests for G1, G2 and GT on BLS
 * pairing-friendly curves", https://eprint.iacr.org/2021/1130 section 6:
 * a point of E(Fp) is in G1 iff phi(P) = -u^2 P. With G1_BETA that is
 * -phi(P) = u^2 P, checked as g1_mul_by_u2_endo(P) == |u| (|u| P).
 */
limb_t g1_in_subgroup(const g1 *p)
{
    g1 lhs, rhs;
    g1_mul_by_u2_endo(&lhs, p);
    g1_mult_by_u64_vartime(&rhs, p, BLS_U_ABS);
    g1_mult_by_u64_vartime(&rhs, &rhs, BLS_U_ABS);
    return g1_eq(&lhs, &rhs);
}

/*
 * RFC 9380 section 8.8.1: multiply by h_eff = 1 - u = |u| + 1 (a public
 * constant): |u| P (Hamming weight 6: five additions), plus P, all with
 * mixed additions on the co-Z curve of P.
 */
void g1_clear_cofactor(g1 *r, const g1 *p)
{
    g1_affine q = { p->x, p->y };
    fp z = p->z;
    g1_mult_u64_coz_vartime(r, &q, BLS_U_ABS);
    g1_madd_vartime(r, r, &q);
    fp_mul(&r->z, &r->z, &z);                     /* back to E; Z = 0 (P infinite) stays 0 */
}
