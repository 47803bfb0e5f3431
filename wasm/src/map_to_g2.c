/*
 * map_to_curve for BLS12381G2_XMD:SHA-256_SSWU_*: the simplified SWU map
 * onto E2': y^2 = x^3 + 240 I x + 1012 (1 + I) with Z = -(2 + I)
 * (RFC 9380 6.6.2, 8.8.2), then the 3-isogeny E2' -> E2 (appendix E.3).
 *
 * Constant time in u, one exponentiation and no inversion, as in map_to_g1.c.
 * sqrt_ratio is specialised to q = p^2 = 9 (mod 16) instead of the generic
 * Tonelli-Shanks form of F.2.1.1; it returns the same (isQR, root) pairs.
 */
#include "hash_to_curve.h"
#include "iso_g2_consts.h"

/*
 * r = a^((p^2 - 9) / 16). The exponent is e1 p + e0 (see map_consts.py) and
 * a^p = conj(a), so r = conj(a)^e1 a^e0: one table of a^k, 4-bit windows of
 * both public exponents side by side, half the squarings of a plain ladder.
 * Branches and table indices depend on e1, e0 only.
 */
static void fp2_pow_sqrt_ratio_exp(fp2 *r, const fp2 *a)
{
    fp2 tab[16], acc = FP2_ONE, t;
    tab[0] = FP2_ONE;
    tab[1] = *a;
    for (int i = 2; i < 16; i++) fp2_mul(&tab[i], &tab[i - 1], a);
    for (int i = 8 * 12 - 1; i >= 0; i--) {
        uint32_t n0 = (SQRT_RATIO2_E0[i / 8] >> (4 * (i % 8))) & 15;
        uint32_t n1 = (SQRT_RATIO2_E1[i / 8] >> (4 * (i % 8))) & 15;
        for (int k = 0; k < 4; k++) fp2_sqr(&acc, &acc);
        if (n0) fp2_mul(&acc, &acc, &tab[n0]);
        if (n1) {
            fp2_conj(&t, &tab[n1]);               /* conj(a)^n1 = conj(a^n1) */
            fp2_mul(&acc, &acc, &t);
        }
    }
    *r = acc;
    secure_zero(tab, sizeof tab);
}

/*
 * sqrt_ratio(u, v) for q = 9 (mod 16), after Wahby-Boneh (ePrint 2019/403,
 * section 4) and the q = 9 (mod 16) SSWU sample of the hash-to-curve drafts:
 *   y0 = u v^7 (u v^15)^((q - 9) / 16)  gives  y0^2 v = zeta u,
 * where zeta = (u v^15)^((q - 1) / 8) is one of the eighth roots of unity
 * c^k (c^2 = I). Even k: u / v is square and y0 w_k is its root (w_k^2 = 1 / zeta).
 * Odd k: it is not, and y0 w_k is sqrt(Z u / v) (w_k^2 = Z / zeta).
 * Returns 1 and y = sqrt(u / v), or 0 and y = sqrt(Z u / v). v != 0.
 */
static limb_t sqrt_ratio_g2(fp2 *y, const fp2 *u, const fp2 *v)
{
    fp2 v7, v8, uv7, y0, s, ze, zo, w = FP2_ONE;
    limb_t is_qr = 0, hit;
    fp2_sqr(&v8, v);                              /* v^2 */
    fp2_mul(&v7, &v8, v);                         /* v^3 */
    fp2_sqr(&v8, &v8);                            /* v^4 */
    fp2_mul(&v7, &v7, &v8);                       /* v^7 */
    fp2_sqr(&v8, &v8);                            /* v^8 */
    fp2_mul(&uv7, u, &v7);                        /* u v^7 */
    fp2_mul(&y0, &uv7, &v8);                      /* u v^15 */
    fp2_pow_sqrt_ratio_exp(&y0, &y0);             /* (u v^15)^((q - 9) / 16) */
    fp2_mul(&y0, &y0, &uv7);                      /* y0 */
    fp2_sqr(&s, &y0);
    fp2_mul(&s, &s, v);                           /* s = y0^2 v = zeta u */
    ze = *u;                                      /* c^k u for k even */
    fp2_mul(&zo, u, &SQRT_RATIO2_C);              /* c^k u for k odd */
    for (int k = 0; k < 8; k += 2) {              /* scan all eight, no early exit */
        hit = fp2_eq(&s, &ze);
        fp2_cmov(&w, &SQRT_RATIO2_W[k], hit);
        is_qr |= hit;
        hit = fp2_eq(&s, &zo);
        fp2_cmov(&w, &SQRT_RATIO2_W[k + 1], hit);
        fp2_mul_by_u(&ze, &ze);                   /* times c^2 = I */
        fp2_mul_by_u(&zo, &zo);
    }
    fp2_mul(y, &y0, &w);
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
