/*
 * map_to_curve for BLS12381G2_XMD:SHA-256_SSWU_*: the simplified SWU map
 * onto E2': y^2 = x^3 + 240 I x + 1012 (1 + I) with Z = -(2 + I)
 * (RFC 9380 6.6.2, 8.8.2), then the 3-isogeny E2' -> E2 (appendix E.3).
 *
 * Constant time in u. sqrt_ratio goes through Fp (two exponentiations and
 * one inversion, see below) instead of the generic Tonelli-Shanks form of
 * F.2.1.1; it returns the same isQR and a root of the same value.
 */
#include "hash_to_curve.h"
#include "iso_g2_consts.h"

/*
 * sqrt_ratio(u, v) through Fp (p = 3 mod 4): w = u / v by one constant-time
 * inversion (fp.c's safegcd, a few microseconds), then the norm method of
 * fp2_sqrt, whose first step is shared by the two candidates w and Z w:
 *   n = N(w) = w0^2 + w1^2, c = n^((p-3)/4), s = n c, so s^2 = n when n is
 *   a square in Fp and s^2 = -n when it is not (n c^2 = n^((p-1)/2) = +-1);
 *   w is a square in Fp2 iff n is one in Fp (or 0).
 * Otherwise the root taken is that of Z w, whose norm N(Z) n = 5 n has the
 * root sqrt(-5) s (SQRT_RATIO2_NORM_Z_ROOT; (sqrt(-5) s)^2 = -5 (-n)).
 * Two Fp exponentiations, against one over Fp2 (twice the squarings, each
 * three times dearer) in the q = 9 (mod 16) form of RFC 9380 F.2.1.1. Any
 * root will do: map_to_curve fixes the sign of y afterwards (sgn0), so the
 * map's output is the RFC's, point for point.
 * Returns 1 and y = sqrt(u / v), or 0 and y = sqrt(Z u / v). v != 0.
 */
static limb_t sqrt_ratio_g2(fp2 *y, const fp2 *u, const fp2 *v)
{
    fp2 w, zw;
    fp n, t, c, s, sz, leg, minus_one;
    limb_t is_qr;
    fp2_inv(&w, v);
    fp2_mul(&w, &w, u);                           /* w = u / v */
    fp_sqr(&n, &w.c0);
    fp_sqr(&t, &w.c1);
    fp_add(&n, &n, &t);                           /* n = N(w) */
    fp_pow_p_minus_3_over_4(&c, &n);
    fp_mul(&s, &n, &c);                           /* s = n^((p+1)/4) */
    fp_mul(&leg, &s, &c);                         /* n^((p-1)/2): 1, 0 or -1 */
    fp_neg(&minus_one, &FP_ONE);
    is_qr = fp_eq(&leg, &minus_one) ^ 1;
    fp2_mul(&zw, &w, &SSWU2_Z);
    fp_mul(&sz, &s, &SQRT_RATIO2_NORM_Z_ROOT);    /* the root of N(Z w) = 5 n */
    fp2_cmov(&w, &zw, is_qr ^ 1);
    fp_cmov(&s, &sz, is_qr ^ 1);
    fp2_sqrt_from_norm_root(y, &w, &s);
    secure_zero(&w, sizeof w);
    secure_zero(&zw, sizeof zw);
    secure_zero(&s, sizeof s);
    secure_zero(&sz, sizeof sz);
    secure_zero(&c, sizeof c);
    return is_qr;
}

/* RFC 9380 6.6.2 straight-line SSWU over Fp2; the point of E2' is (xn / xd, y). */
static void sswu_g2(fp2 *xn, fp2 *xd, fp2 *y, const fp2 *u)
{
    fp2 tv1, tv2, tv3, tv4, tv5, tv6, y1;
    limb_t is_gx1_square, e1;
    fp2_sqr(&tv1, u);                             /* 1. tv1 = u^2 */
    fp2_mul(&tv1, &tv1, &SSWU2_Z);                /* 2. tv1 = Z u^2 */
    fp2_sqr(&tv2, &tv1);                          /* 3. tv2 = tv1^2 */
    fp2_add(&tv2, &tv2, &tv1);                    /* 4. tv2 = tv2 + tv1 */
    fp2_add(&tv3, &tv2, &FP2_ONE);                /* 5. tv3 = tv2 + 1 */
    fp2_mul(&tv3, &tv3, &SSWU2_B);                /* 6. tv3 = B tv3 */
    fp2_neg(&tv4, &tv2);                          /* 7. tv4 = CMOV(Z, -tv2, tv2 != 0) */
    fp2_cmov(&tv4, &SSWU2_Z, fp2_is_zero(&tv2));
    fp2_mul(&tv4, &tv4, &SSWU2_A);                /* 8. tv4 = A tv4 */
    fp2_sqr(&tv2, &tv3);                          /* 9. tv2 = tv3^2 */
    fp2_sqr(&tv6, &tv4);                          /* 10. tv6 = tv4^2 */
    fp2_mul(&tv5, &tv6, &SSWU2_A);                /* 11. tv5 = A tv6 */
    fp2_add(&tv2, &tv2, &tv5);                    /* 12. tv2 = tv2 + tv5 */
    fp2_mul(&tv2, &tv2, &tv3);                    /* 13. tv2 = tv2 tv3 */
    fp2_mul(&tv6, &tv6, &tv4);                    /* 14. tv6 = tv6 tv4 */
    fp2_mul(&tv5, &tv6, &SSWU2_B);                /* 15. tv5 = B tv6 */
    fp2_add(&tv2, &tv2, &tv5);                    /* 16. tv2 = tv2 + tv5: g(x1) tv6 */
    fp2_mul(xn, &tv1, &tv3);                      /* 17. x = tv1 tv3 */
    is_gx1_square = sqrt_ratio_g2(&y1, &tv2, &tv6); /* 18. */
    fp2_mul(y, &tv1, u);                          /* 19. y = tv1 u */
    fp2_mul(y, y, &y1);                           /* 20. y = y y1 */
    fp2_cmov(xn, &tv3, is_gx1_square);            /* 21. x = CMOV(x, tv3, is_gx1_square) */
    fp2_cmov(y, &y1, is_gx1_square);              /* 22. y = CMOV(y, y1, is_gx1_square) */
    e1 = 1 ^ fp2_sgn0(u) ^ fp2_sgn0(y);           /* 23. e1 = sgn0(u) == sgn0(y) */
    fp2_neg(&tv5, y);                             /* 24. y = CMOV(-y, y, e1) */
    fp2_cmov(y, &tv5, e1 ^ 1);
    *xd = tv4;                                    /* 25. x = x / tv4, left as a fraction */
}

/* xd^deg * poly(xn / xd) by Horner's rule, pw[j] = xd^j; see iso_poly_g1. */
static void iso_poly_g2(fp2 *r, const fp2 *k, size_t deg, int monic, const fp2 *xn,
                        const fp2 *pw)
{
    fp2 acc, t;
    acc = monic ? FP2_ONE : k[deg];
    for (size_t i = deg; i-- > 0;) {
        fp2_mul(&acc, &acc, xn);                  /* acc = acc xn */
        fp2_mul(&t, &k[i], &pw[deg - i]);         /*      + k_i xd^(deg - i) */
        fp2_add(&acc, &acc, &t);
    }
    *r = acc;
}

/* RFC 9380 E.3, homogenised and written into Jacobian coordinates exactly
 * as iso_map_g1: Z = Xd Yd, X = Xn Xd Yd^2, Y = Yn Xd^3 Yd^2. */
static void iso_map_g2(g2 *r, const fp2 *xn, const fp2 *xd, const fp2 *y)
{
    fp2 pw[4], nx, dx, ny, dy, t;
    pw[0] = FP2_ONE;
    for (int i = 1; i < 4; i++) fp2_mul(&pw[i], &pw[i - 1], xd);
    iso_poly_g2(&nx, ISO3_XNUM, 3, 0, xn, pw);
    iso_poly_g2(&dx, ISO3_XDEN, 2, 1, xn, pw);
    iso_poly_g2(&ny, ISO3_YNUM, 3, 0, xn, pw);
    iso_poly_g2(&dy, ISO3_YDEN, 3, 1, xn, pw);
    fp2_mul(&dx, &dx, xd);                        /* Xd = xd Dx */
    fp2_mul(&ny, &ny, y);                         /* Yn = y' Ny */
    fp2_sqr(&t, &dy);                             /* Yd^2 */
    fp2_mul(&t, &t, &dx);                         /* Xd Yd^2 */
    fp2_mul(&r->x, &nx, &t);                      /* X = Xn Xd Yd^2 */
    fp2_mul(&r->y, &ny, &t);                      /* Yn Xd Yd^2 */
    fp2_sqr(&t, &dx);                             /* Xd^2 */
    fp2_mul(&r->y, &r->y, &t);                    /* Y = Yn Xd^3 Yd^2 */
    fp2_mul(&r->z, &dx, &dy);                     /* Z = Xd Yd */
    g2_cmov(r, &G2_INFINITY, g2_is_inf(r));       /* canonical infinity */
}

void map_to_curve_g2(g2 *r, const fp2 *u)
{
    fp2 xn, xd, y;
    sswu_g2(&xn, &xd, &y, u);
    iso_map_g2(r, &xn, &xd, &y);
}
