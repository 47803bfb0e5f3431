/*
 * G2 = E'(Fp2)[r], E': y^2 = x^3 + 4(1 + u), in Jacobian coordinates.
 *
 * The same complete formulas as g1.c over Fp2 (E'(Fp2) has odd order, so
 * no point of order 2 either). Scalar multiplication uses GLS with the
 * endomorphism psi (untwist-Frobenius-twist), which acts on G2 as
 * multiplication by u, so a scalar splits into four 64-bit digits.
 */
#include "g2.h"
#include "recode.h"

#define G2_MONT_ONE {{ 0x03a9fb84, 0x0ba00690, 0x071288f1, 0x0f59bcc5, 0x126cb614, 0x0585bf36, 0x1b85ac3d, \
                       0x1cf856fa, 0x1891ecbd, 0x1a7eec05, 0x155a88f0, 0x0741ac6d, 0x1317c30f, 0x00000009 }}

/* The standard generator, Montgomery form (R = 2^406, fp.h) of
 * x = 0x024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8
 *   + 0x13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e u
 * y = 0x0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801
 *   + 0x0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be u */
const g2 G2_GENERATOR = {
    { {{ 0x085d7b9e, 0x0d352838, 0x124c5276, 0x1748cfe0, 0x10081802, 0x0bfc6540, 0x01ac1784,
         0x11aab37f, 0x08f338c1, 0x19443e06, 0x1cc29975, 0x0a0da681, 0x0a53e408, 0x00000004 }},
      {{ 0x0ba695cb, 0x1034485f, 0x124f6eb5, 0x0778336b, 0x1e170b2d, 0x12164b09, 0x1d34eb65,
         0x10a72ef2, 0x07b96a4e, 0x194de314, 0x0fd4fa4a, 0x0178f021, 0x10455591, 0x0000000b }} },
    { {{ 0x1ec793b8, 0x1780929b, 0x0cdd65c4, 0x126ca64f, 0x0f9f2f6b, 0x09485ce0, 0x0621fd94,
         0x1e0e7efd, 0x09ba1f86, 0x06d0a458, 0x1f790335, 0x0af83757, 0x00c11d05, 0x0000000c }},
      {{ 0x014e8093, 0x07f6c9aa, 0x19bd3883, 0x156ca3e1, 0x0e34898f, 0x0840b6fe, 0x0594f57d,
         0x149969ec, 0x12886b3e, 0x1cbcbe34, 0x1cae2f62, 0x08f5e851, 0x187a6c6c, 0x00000003 }} },
    { G2_MONT_ONE, {{ 0 }} }
};

const g2 G2_INFINITY = { { G2_MONT_ONE, {{ 0 }} }, { G2_MONT_ONE, {{ 0 }} }, { {{ 0 }}, {{ 0 }} } };

/* b' = 4 + 4u */
#define G2_MONT_FOUR {{ 0x0ea898ba, 0x0e901a40, 0x124a23e8, 0x0d66f84f, 0x0aee547c, 0x03760629, 0x181b776e, \
                        0x12a47aa6, 0x137ec460, 0x05c6f549, 0x0fdc4fe8, 0x1707174d, 0x0c3ccef5, 0x0000000c }}
static const fp2 G2_B = { G2_MONT_FOUR, G2_MONT_FOUR };

/*
 * psi(x, y) = (cx conj(x), cy conj(y)), RFC 9380 appendix G.3:
 * cx = 1 / (1 + u)^((p - 1) / 3) = 0 + PSI_CX1 u, with
 * PSI_CX1 = 0x1a0111ea397fe699ec02408663d4de85aa0d857d89759ad4897d29650fb85f9b409427eb4f49fffd8bfd00000000aaad
 * cy = 1 / (1 + u)^((p - 1) / 2) =
 *   0x135203e60180a68ee2e9c448d77a2cd91c3dedd930b1cf60ef396489f61eb45e304466cf3e67fa0af1ee7b04121bdea2
 * + 0x06af0e0437ff400b6831e36d6bd17ffe48395dabc2d3435e77f76e17009241c5ee67992f72ec05f4c81084fbede3cc09 u
 */
static const fp G2_PSI_CX1 = {{ 0x154030c4, 0x16aceb14, 0x1814e947, 0x1fba3004, 0x02e0fc81, 0x0fb3da4f, 0x170f2de1,
                                0x0acd4cbc, 0x09689a69, 0x110b9212, 0x0533b200, 0x1554d884, 0x0ba917a7, 0x00000000 }};
static const fp2 G2_PSI_CY = {
    {{ 0x099d9fee, 0x1cfab983, 0x07e0b07e, 0x1f87f0f2, 0x0bc18573, 0x0cdbe130, 0x010ddd19,
       0x100cbeaf, 0x09169c21, 0x0f93673e, 0x11de55b3, 0x097ddc84, 0x11fce827, 0x0000000c }},
    {{ 0x16620abd, 0x12fd467c, 0x0d1f4f6f, 0x18780c70, 0x03a0bc76, 0x1c749a28, 0x09efbfa9,
       0x0091b1f3, 0x0e4ddb2a, 0x0286f628, 0x00e8943a, 0x0981f0b0, 0x0e14367c, 0x00000000 }}
};
/* psi^2(x, y) = (omega x, -y), omega = 1 / 2^((p - 1) / 3) =
 * 0x1a0111ea397fe699ec02408663d4de85aa0d857d89759ad4897d29650fb85f9b409427eb4f49fffd8bfd00000000aaac */
static const fp G2_PSI2_OMEGA = {{ 0x1195dfeb, 0x1b04e484, 0x06026044, 0x086070a2, 0x1fd68858, 0x137e9670,
                                   0x06871e67, 0x1e736664, 0x083b24f6, 0x08a70373, 0x02a012fd, 0x0112f94b,
                                   0x18a2733c, 0x00000003 }};

/* ---- Point basics -------------------------------------------------------- */

limb_t g2_is_inf(const g2 *p) { return fp2_is_zero(&p->z); }

void g2_cmov(g2 *r, const g2 *p, limb_t flag)
{
    fp2_cmov(&r->x, &p->x, flag);
    fp2_cmov(&r->y, &p->y, flag);
    fp2_cmov(&r->z, &p->z, flag);
}

void g2_neg(g2 *r, const g2 *p)
{
    r->x = p->x;
    fp2_neg(&r->y, &p->y);
    r->z = p->z;
}

void g2_from_affine(g2 *r, const g2_affine *p)
{
    limb_t inf = fp2_is_zero(&p->x) & fp2_is_zero(&p->y);
    r->x = p->x;
    r->y = p->y;
    r->z = FP2_ONE;
    fp2_cmov(&r->z, &FP2_ZERO, inf);              /* (0, 0) is infinity */
}

void g2_to_affine(g2_affine *r, const g2 *p)
{
    fp2 zi, zi2, zi3;
    fp2_inv(&zi, &p->z);                          /* inv(0) = 0: infinity -> (0, 0) */
    fp2_sqr(&zi2, &zi);
    fp2_mul(&zi3, &zi2, &zi);
    fp2_mul(&r->x, &p->x, &zi2);
    fp2_mul(&r->y, &p->y, &zi3);
}

/* X1 Z2^2 = X2 Z1^2 and Y1 Z2^3 = Y2 Z1^3, or both infinite. */
limb_t g2_eq(const g2 *p, const g2 *q)
{
    fp2 z1z1, z2z2, a, b, c, d;
    limb_t p_inf = g2_is_inf(p), q_inf = g2_is_inf(q);
    fp2_sqr(&z1z1, &p->z);
    fp2_sqr(&z2z2, &q->z);
    fp2_mul(&a, &p->x, &z2z2);                    /* U1 */
    fp2_mul(&b, &q->x, &z1z1);                    /* U2 */
    fp2_mul(&z2z2, &z2z2, &q->z);
    fp2_mul(&z1z1, &z1z1, &p->z);
    fp2_mul(&c, &p->y, &z2z2);                    /* S1 */
    fp2_mul(&d, &q->y, &z1z1);                    /* S2 */
    limb_t same = fp2_eq(&a, &b) & fp2_eq(&c, &d);
    return (same & (p_inf ^ 1) & (q_inf ^ 1)) | (p_inf & q_inf);
}

/* y^2 = x^3 + 4(1 + u), with (0, 0) (affine infinity) accepted. */
limb_t g2_affine_on_curve(const g2_affine *p)
{
    fp2 lhs, rhs;
    fp2_sqr(&lhs, &p->y);
    fp2_sqr(&rhs, &p->x);
    fp2_mul(&rhs, &rhs, &p->x);
    fp2_add(&rhs, &rhs, &G2_B);
    return fp2_eq(&lhs, &rhs) | (fp2_is_zero(&p->x) & fp2_is_zero(&p->y));
}

/* ---- Doubling and complete addition (see g1.c for the derivation) ---------- */

/* EFD dbl-2009-l (a = 0), also handing out P over the new Z (see g1.c):
 * https://hyperelliptic.org/EFD/g1p/auto-shortw-jacobian-0.html#doubling-dbl-2009-l */
static void g2_dbl_parts(g2 *r, fp2 *d, fp2 *c8, const g2 *p)
{
    fp2 a, b, c, e, f, t;
    fp2_sqr(&a, &p->x);                           /* A = X1^2 */
    fp2_sqr(&b, &p->y);                           /* B = Y1^2 */
    fp2_sqr(&c, &b);                              /* C = B^2 */
    fp2_add(&t, &p->x, &b);
    fp2_sqr(&t, &t);
    fp2_sub(&t, &t, &a);
    fp2_sub(&t, &t, &c);
    fp2_dbl(d, &t);                               /* D = 2((X1+B)^2 - A - C) */
    fp2_dbl(&e, &a);
    fp2_add(&e, &e, &a);                          /* E = 3A */
    fp2_sqr(&f, &e);                              /* F = E^2 */
    fp2_mul(&r->z, &p->y, &p->z);
    fp2_dbl(&r->z, &r->z);                        /* Z3 = 2 Y1 Z1 */
    fp2_dbl(&t, d);
    fp2_sub(&r->x, &f, &t);                       /* X3 = F - 2D */
    fp2_sub(&t, d, &r->x);
    fp2_mul(&t, &e, &t);
    fp2_dbl(c8, &c);
    fp2_dbl(c8, c8);
    fp2_dbl(c8, c8);                              /* 8C */
    fp2_sub(&r->y, &t, c8);                       /* Y3 = E(D - X3) - 8C */
}

void g2_dbl(g2 *r, const g2 *p)
{
    fp2 d, c8;
    g2_dbl_parts(r, &d, &c8, p);
}

/* (H, R) = (2 S1, 3 U1^2) for a doubling: the tangent in the chord's scale. */
static void g2_tangent(fp2 *h, fp2 *rr, const fp2 *u1, const fp2 *s1, limb_t dbl)
{
    fp2 t, t2;
    fp2_sqr(&t, u1);
    fp2_dbl(&t2, &t);
    fp2_add(&t, &t2, &t);                         /* 3 U1^2 */
    fp2_cmov(rr, &t, dbl);
    fp2_dbl(&t2, s1);                             /* 2 S1 */
    fp2_cmov(h, &t2, dbl);
}

/* EFD add-2007-bl from H, R on; J drops out of X3 for a doubling. */
static void g2_add_tail(g2 *r, const fp2 *u1, const fp2 *s1, const fp2 *h, const fp2 *rr0,
                        const fp2 *zz, limb_t dbl)
{
    fp2 i, j, v, rr, t;
    fp2_dbl(&t, h);
    fp2_sqr(&i, &t);                              /* I = (2H)^2 */
    fp2_mul(&j, h, &i);                           /* J = H I */
    fp2_dbl(&rr, rr0);                            /* r = 2 (S2 - S1) */
    fp2_mul(&v, u1, &i);                          /* V = U1 I */
    fp2_mul(&r->z, zz, h);
    fp2_dbl(&r->z, &r->z);                        /* Z3 = 2 Z1 Z2 H */
    fp2_sqr(&r->x, &rr);
    fp2_dbl(&t, &v);
    fp2_sub(&r->x, &r->x, &t);                    /* X3 = r^2 - 2V */
    t = j;
    fp2_cmov(&t, &FP2_ZERO, dbl);
    fp2_sub(&r->x, &r->x, &t);                    /*      - J, unless doubling */
    fp2_sub(&t, &v, &r->x);
    fp2_mul(&t, &rr, &t);
    fp2_mul(&j, s1, &j);
    fp2_dbl(&j, &j);
    fp2_sub(&r->y, &t, &j);                       /* Y3 = r (V - X3) - 2 S1 J */
}

/* Complete Jacobian addition:
 * https://hyperelliptic.org/EFD/g1p/auto-shortw-jacobian-0.html#addition-add-2007-bl */
void g2_add(g2 *r, const g2 *p, const g2 *q)
{
    fp2 z1z1, z2z2, u1, u2, s1, s2, h, rr, zz;
    g2 out;
    limb_t p_inf = g2_is_inf(p), q_inf = g2_is_inf(q), dbl;
    fp2_sqr(&z1z1, &p->z);                        /* Z1Z1 = Z1^2 */
    fp2_sqr(&z2z2, &q->z);                        /* Z2Z2 = Z2^2 */
    fp2_mul(&u1, &p->x, &z2z2);                   /* U1 = X1 Z2Z2 */
    fp2_mul(&u2, &q->x, &z1z1);                   /* U2 = X2 Z1Z1 */
    fp2_mul(&s1, &p->y, &q->z);
    fp2_mul(&s1, &s1, &z2z2);                     /* S1 = Y1 Z2 Z2Z2 */
    fp2_mul(&s2, &q->y, &p->z);
    fp2_mul(&s2, &s2, &z1z1);                     /* S2 = Y2 Z1 Z1Z1 */
    fp2_mul(&zz, &p->z, &q->z);
    fp2_sub(&h, &u2, &u1);                        /* H = U2 - U1 */
    fp2_sub(&rr, &s2, &s1);                       /* R = S2 - S1 */
    dbl = fp2_is_zero(&h) & fp2_is_zero(&rr);
    g2_tangent(&h, &rr, &u1, &s1, dbl);
    g2_add_tail(&out, &u1, &s1, &h, &rr, &zz, dbl);
    g2_cmov(&out, q, p_inf);
    g2_cmov(&out, p, q_inf);
    *r = out;
}

/* Complete mixed addition (madd-2007-bl shape); q = (0, 0) is infinity. */
void g2_add_affine(g2 *r, const g2 *p, const g2_affine *q)
{
    fp2 z1z1, u2, s2, h, rr;
    g2 out;
    limb_t p_inf = g2_is_inf(p), q_inf = fp2_is_zero(&q->x) & fp2_is_zero(&q->y), dbl;
    fp2_sqr(&z1z1, &p->z);                        /* Z1Z1 = Z1^2 */
    fp2_mul(&u2, &q->x, &z1z1);                   /* U2 = X2 Z1Z1 */
    fp2_mul(&s2, &q->y, &p->z);
    fp2_mul(&s2, &s2, &z1z1);                     /* S2 = Y2 Z1 Z1Z1 */
    fp2_sub(&h, &u2, &p->x);                      /* H = U2 - X1 */
    fp2_sub(&rr, &s2, &p->y);                     /* R = S2 - Y1 */
    dbl = fp2_is_zero(&h) & fp2_is_zero(&rr);
    g2_tangent(&h, &rr, &p->x, &p->y, dbl);
    g2_add_tail(&out, &p->x, &p->y, &h, &rr, &p->z, dbl);
    fp2_cmov(&out.x, &q->x, p_inf);               /* P infinite: (X2, Y2, 1) */
    fp2_cmov(&out.y, &q->y, p_inf);
    fp2_cmov(&out.z, &FP2_ONE, p_inf);
    g2_cmov(&out, p, q_inf);                      /* Q infinite (both: P) */
    *r = out;
}

/* ---- The endomorphism psi -------------------------------------------------- */

/*
 * psi on Jacobian coordinates: conj is a field automorphism, so
 * (X : Y : Z) -> (cx conj(X) : cy conj(Y) : conj(Z)). cx = PSI_CX1 u, and
 * PSI_CX1 u (x0 - x1 u) = PSI_CX1 x1 + PSI_CX1 x0 u: two Fp products.
 */
void g2_psi(g2 *r, const g2 *p)
{
    fp x0 = p->x.c0;
    fp_mul(&r->x.c0, &p->x.c1, &G2_PSI_CX1);
    fp_mul(&r->x.c1, &x0, &G2_PSI_CX1);
    fp2_conj(&r->y, &p->y);
    fp2_mul(&r->y, &r->y, &G2_PSI_CY);
    fp2_conj(&r->z, &p->z);
}

/* psi^2 (X : Y : Z) = (omega X : -Y : Z), omega in Fp. */
static void g2_psi2(g2 *r, const g2 *p)
{
    fp2_mul_fp(&r->x, &p->x, &G2_PSI2_OMEGA);
    fp2_neg(&r->y, &p->y);
    r->z = p->z;
}

/* ---- Tables of multiples ------------------------------------------------- */

/*
 * As in g1.c: tables hold (X, Y) over one common Z, built by co-Z additions
 * (Meloni; Longa-Miri https://eprint.iacr.org/2008/051). Here the common
 * Z is moreover brought into Fp (multiplying by its conjugate), because
 * psi involves conj: with conj(Z) = Z, psi commutes with the isomorphism
 * (x, y) -> (x Z^2, y Z^3) and can be applied to table entries directly.
 */

static void g2_coz_scale(g2_affine *p, const fp2 *c)
{
    fp2 c2;
    fp2_sqr(&c2, c);
    fp2_mul(&p->x, &p->x, &c2);
    fp2_mul(&c2, &c2, c);
    fp2_mul(&p->y, &p->y, &c2);
}

/* Co-Z addition with update (see g1_coz_addu): r = P + Q, P rewritten, both over Z H. */
static void g2_coz_addu(g2_affine *r, g2_affine *p, const g2_affine *q, fp2 *h)
{
    fp2 c, w1, w2, d, a1, t;
    fp2_sub(h, &p->x, &q->x);                     /* H = X1 - X2 */
    fp2_sqr(&c, h);                               /* C = H^2 */
    fp2_mul(&w1, &p->x, &c);                      /* W1 = X1 C */
    fp2_mul(&w2, &q->x, &c);                      /* W2 = X2 C */
    fp2_sub(&t, &p->y, &q->y);                    /* Y1 - Y2 */
    fp2_sqr(&d, &t);                              /* D = (Y1 - Y2)^2 */
    fp2_sub(&a1, &w1, &w2);
    fp2_mul(&a1, &p->y, &a1);                     /* A1 = Y1 H^3 */
    fp2_sub(&r->x, &d, &w1);
    fp2_sub(&r->x, &r->x, &w2);                   /* X3 = D - W1 - W2 */
    fp2_sub(&w2, &w1, &r->x);
    fp2_mul(&r->y, &t, &w2);
    fp2_sub(&r->y, &r->y, &a1);                   /* Y3 = (Y1 - Y2)(W1 - X3) - A1 */
    p->x = w1;
    p->y = a1;
}

/* 2P and P over one Z (returned in z). */
static void g2_dbl_coz(g2_affine *p2, g2_affine *p1, fp2 *z, const g2 *p)
{
    g2 d;
    g2_dbl_parts(&d, &p1->x, &p1->y, p);
    p2->x = d.x;
    p2->y = d.y;
    *z = d.z;
}

/*
 * t[k] = first + k step for k < n, first and step over z0; on return every
 * t[k] and step are over the common Z = Zf conj(Zf) in Fp, returned in z.
 */
static void g2_coz_chain(g2_affine *t, int n, g2_affine *step, const g2_affine *first,
                         const fp2 *z0, fp *z)
{
    fp2 h[16], zf = *z0, acc, nz;
    t[0] = *first;
    for (int k = 1; k < n; k++) {
        g2_coz_addu(&t[k], step, &t[k - 1], &h[k]);
        fp2_mul(&zf, &zf, &h[k]);                 /* Zf, the Z of t[k] and step */
    }
    fp2_conj(&acc, &zf);
    g2_coz_scale(&t[n - 1], &acc);
    g2_coz_scale(step, &acc);
    for (int k = n - 2; k >= 0; k--) {
        fp2_mul(&acc, &acc, &h[k + 1]);           /* conj(Zf) Zf / Z of t[k] */
        g2_coz_scale(&t[k], &acc);
    }
    fp2_conj(&acc, &zf);
    fp2_mul(&nz, &zf, &acc);
    *z = nz.c0;                                   /* a norm: nz.c1 = 0 */
}

/* psi and psi^2 on affine points (of E' or of a common-Z isomorphic curve). */
static void g2_affine_psi(g2_affine *r, const g2_affine *p)
{
    fp x0 = p->x.c0;
    fp_mul(&r->x.c0, &p->x.c1, &G2_PSI_CX1);      /* PSI_CX1 u (x0 - x1 u) */
    fp_mul(&r->x.c1, &x0, &G2_PSI_CX1);
    fp2_conj(&r->y, &p->y);
    fp2_mul(&r->y, &r->y, &G2_PSI_CY);
}

static void g2_affine_psi2(g2_affine *r, const g2_affine *p)
{
    fp2_mul_fp(&r->x, &p->x, &G2_PSI2_OMEGA);
    fp2_neg(&r->y, &p->y);
}

/* |u|^i P for P in G2, from psi = u = -|u|: i = 0..3 gives P, -psi P, psi^2 P, -psi^3 P. */
static void g2_affine_mul_by_u_pow_endo(g2_affine *r, const g2_affine *p, int i)
{
    g2_affine t = *p;
    if (i >= 2) g2_affine_psi2(&t, &t);           /* i is public */
    if (i % 2 == 1) {
        g2_affine_psi(&t, &t);
        fp2_neg(&t.y, &t.y);
    }
    *r = t;
}

/* ---- Constant-time scalar multiplication (GLS, 4 dimensions) --------------- */

#define G2_WINDOW 5
#define G2_TABLE (1 << (G2_WINDOW - 1))          /* P, 2P, ..., 16P */
#define G2_GLS_LIMBS 3                            /* a 64-bit digit, one spare limb */
#define G2_GLS_WINDOWS 13                         /* 13 * 5 - 1 >= 64: the top Booth bit is 0 */

/* t = (P, 2P, ..., 16P) over a common Z in Fp. */
static void g2_table_build(g2_affine t[G2_TABLE], fp *z, const g2 *p)
{
    g2_affine p1, p2;
    fp2 z2;
    g2_dbl_coz(&p2, &p1, &z2, p);
    g2_coz_chain(t + 1, G2_TABLE - 1, &p1, &p2, &z2, z);    /* 2P, 3P, ..., 16P */
    t[0] = p1;                                               /* P, carried along */
}

/* r = (neg ? -1 : 1) * d * P from the table, d = 0 giving (0, 0); reads every entry. */
static void g2_table_select(g2_affine *r, const g2_affine t[G2_TABLE], limb_t d, limb_t neg)
{
    fp2 y;
    r->x = FP2_ZERO;
    r->y = FP2_ZERO;
    for (int i = 0; i < G2_TABLE; i++) {
        limb_t hit = ct_is_zero(d ^ (limb_t)(i + 1));
        fp2_cmov(&r->x, &t[i].x, hit);
        fp2_cmov(&r->y, &t[i].y, hit);
    }
    fp2_neg(&y, &r->y);
    fp2_cmov(&r->y, &y, neg);
}

/*
 * k P in constant time, P in G2. GLS (Galbraith-Lin-Scott,
 * https://eprint.iacr.org/2008/194): k = sum d_i |u|^i (recode_split_u),
 * |u|^i P from psi, so 64 shared doublings and, per 5-bit Booth window,
 * four table scans and four complete mixed additions. The endomorphism is
 * applied to the selected entry rather than to four tables.
 */
void g2_mult(g2 *r, const g2 *p, const scalar *s)
{
    uint64_t d[4];
    limb_t k[4][G2_GLS_LIMBS], neg, abs;
    g2_affine t[G2_TABLE], e;
    g2 acc = G2_INFINITY;
    fp z;
    recode_split_u(d, s);
    for (int i = 0; i < 4; i++) {
        k[i][0] = (limb_t)d[i];
        k[i][1] = (limb_t)(d[i] >> 32);
        k[i][2] = 0;
    }
    g2_table_build(t, &z, p);
    for (int j = G2_GLS_WINDOWS - 1; j >= 0; j--) {
        for (int i = 0; i < G2_WINDOW && j != G2_GLS_WINDOWS - 1; i++) g2_dbl(&acc, &acc);
        for (int i = 0; i < 4; i++) {
            abs = recode_booth(&neg, k[i], G2_GLS_LIMBS, j, G2_WINDOW);
            g2_table_select(&e, t, abs, neg);
            g2_affine_mul_by_u_pow_endo(&e, &e, i);
            g2_add_affine(&acc, &acc, &e);
        }
    }
    fp2_mul_fp(&r->z, &acc.z, &z);                /* back from the common-Z curve */
    r->x = acc.x;
    r->y = acc.y;
    secure_zero(d, sizeof d);
    secure_zero(k, sizeof k);
    secure_zero(&e, sizeof e);
}

/* ---- Variable-time multiplication (public scalars) ------------------------ */

#define G2_WNAF 5                                 /* odd multiples P, 3P, ..., 15P */
#define G2_WNAF_TABLE (1 << (G2_WNAF - 2))
#define G2_WNAF_DIGITS (32 * G2_GLS_LIMBS + 1)

static void g2_add_digit_vartime(g2 *acc, const g2_affine t[G2_WNAF_TABLE], int digit)
{
    g2_affine e;
    if (digit > 0) g2_add_affine(acc, acc, &t[digit / 2]);
    if (digit < 0) {
        e.x = t[-digit / 2].x;
        fp2_neg(&e.y, &t[-digit / 2].y);
        g2_add_affine(acc, acc, &e);
    }
}

/* Odd multiples P, 3P, ..., 15P in common-Z form, and their |u|^i images. */
static void g2_wnaf_tables(g2_affine t[4][G2_WNAF_TABLE], fp *z, const g2 *p)
{
    g2_affine p1, p2;
    fp2 z2;
    g2_dbl_coz(&p2, &p1, &z2, p);
    g2_coz_chain(t[0], G2_WNAF_TABLE, &p2, &p1, &z2, z);   /* P, 3P, ..., 15P */
    for (int i = 1; i < 4; i++)
        for (int m = 0; m < G2_WNAF_TABLE; m++) g2_affine_mul_by_u_pow_endo(&t[i][m], &t[0][m], i);
}

/* k P for public k, P in G2: the GLS split of g2_mult, width-5 NAF per digit. */
void g2_mult_vartime(g2 *r, const g2 *p, const scalar *s)
{
    uint64_t d[4];
    limb_t k[G2_GLS_LIMBS] = { 0 };
    signed char naf[4][G2_WNAF_DIGITS];
    g2_affine t[4][G2_WNAF_TABLE];
    g2 acc = G2_INFINITY;
    fp z;
    int len = 0;
    recode_split_u(d, s);
    for (int i = 0; i < 4; i++) {
        k[0] = (limb_t)d[i];
        k[1] = (limb_t)(d[i] >> 32);
        int l = recode_wnaf_vartime(naf[i], k, G2_GLS_LIMBS, G2_WNAF);
        if (l > len) len = l;
    }
    g2_wnaf_tables(t, &z, p);
    for (int b = len - 1; b >= 0; b--) {
        g2_dbl(&acc, &acc);
        for (int i = 0; i < 4; i++) g2_add_digit_vartime(&acc, t[i], naf[i][b]);
    }
    fp2_mul_fp(&r->z, &acc.z, &z);
    r->x = acc.x;
    r->y = acc.y;
}

/* k P by left-to-right double-and-add; time depends on k only (public). */
void g2_mult_by_u64_vartime(g2 *r, const g2 *p, uint64_t k)
{
    g2 base = *p, acc = G2_INFINITY;
    int top = 63;
    while (top >= 0 && !((k >> top) & 1)) top--;
    if (top >= 0) acc = base;
    for (int i = top - 1; i >= 0; i--) {
        g2_dbl(&acc, &acc);
        if ((k >> i) & 1) g2_add(&acc, &acc, &base);
    }
    *r = acc;
}

/* u P = -(|u| P), u < 0 for BLS12-381. */
static void g2_mult_by_u(g2 *r, const g2 *p)
{
    g2_mult_by_u64_vartime(r, p, BLS_U_ABS);
    g2_neg(r, r);
}

/* ---- Subgroup check and cofactor clearing ---------------------------------- */

/* Scott, https://eprint.iacr.org/2021/1130 section 4: P in E'(Fp2) is in
 * G2 iff psi(P) = u P. */
limb_t g2_in_subgroup(const g2 *p)
{
    g2 lhs, rhs;
    g2_psi(&lhs, p);
    g2_mult_by_u(&rhs, p);
    return g2_eq(&lhs, &rhs);
}

/*
 * The same check when |u| P is already known, as T = (X : Y : Z) in
 * homogeneous projective coordinates (the Miller loop's, pairing.h):
 * psi(P) = u P = -T, i.e. psi(P).x Z = X and psi(P).y Z = -Y, with Z != 0
 * (Z = 0 means the loop met O or +-P: P has a small order). P affine, not O.
 */
limb_t g2_in_subgroup_given_multiple(const g2_affine *p, const g2 *t)
{
    g2_affine s;
    fp2 x, y, ny;
    g2_affine_psi(&s, p);
    fp2_mul(&x, &s.x, &t->z);
    fp2_mul(&y, &s.y, &t->z);
    fp2_neg(&ny, &t->y);
    return fp2_eq(&x, &t->x) & fp2_eq(&y, &ny) & (fp2_is_zero(&t->z) ^ 1);
}

/*
 * RFC 9380 appendix G.3 (Budroni-Pintore, https://eprint.iacr.org/2017/419):
 * h_eff P = (u^2 - u - 1) P + (u - 1) psi(P) + 2 psi^2(P), evaluated as
 * t1 = uP, t2 = psi P, t3 = psi^2(2P) - t2, t2 = u (t1 + t2),
 * result = t3 + t2 - t1 - P.
 */
void g2_clear_cofactor(g2 *r, const g2 *p)
{
    g2 t1, t2, t3, n;
    g2_mult_by_u(&t1, p);                         /* t1 = c1 P */
    g2_psi(&t2, p);                               /* t2 = psi(P) */
    g2_dbl(&t3, p);                               /* t3 = 2 P */
    g2_psi2(&t3, &t3);                            /* t3 = psi2(t3) */
    g2_neg(&n, &t2);
    g2_add(&t3, &t3, &n);                         /* t3 = t3 - t2 */
    g2_add(&t2, &t1, &t2);                        /* t2 = t1 + t2 */
    g2_mult_by_u(&t2, &t2);                       /* t2 = c1 t2 */
    g2_add(&t3, &t3, &t2);                        /* t3 = t3 + t2 */
    g2_neg(&n, &t1);
    g2_add(&t3, &t3, &n);                         /* t3 = t3 - t1 */
    g2_neg(&n, p);
    g2_add(r, &t3, &n);                           /* Q = t3 - P */
}
