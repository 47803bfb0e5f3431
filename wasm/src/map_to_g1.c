/*
 * map_to_curve for BLS12381G1_XMD:SHA-256_SSWU_*: the simplified SWU map
 * onto E1': y^2 = x^3 + A' x + B' (RFC 9380 6.6.2, 6.6.3, 8.8.1; Z = 11),
 * then the 11-isogeny E1' -> E (RFC 9380 appendix E.2).
 *
 * Constant time: no branch or memory index depends on u. The SSWU x stays a
 * fraction xn / xd and the isogeny is evaluated on homogenised polynomials,
 * so the whole map costs one exponentiation and no inversion.
 */
#include "hash_to_curve.h"
#include "iso_g1_consts.h"

/*
 * RFC 9380 F.2.1.2, sqrt_ratio for q = 3 (mod 4). Returns 1 and y = sqrt(u / v)
 * when u / v is square, else 0 and y = sqrt(Z u / v). v != 0.
 */
static limb_t sqrt_ratio_g1(fp *y, const fp *u, const fp *v)
{
    fp tv1, tv2, tv3, y1;
    limb_t is_qr;
    fp_sqr(&tv1, v);                              /* 1. tv1 = v^2 */
    fp_mul(&tv2, u, v);                           /* 2. tv2 = u v */
    fp_mul(&tv1, &tv1, &tv2);                     /* 3. tv1 = u v^3 */
    fp_pow_p_minus_3_over_4(&y1, &tv1);           /* 4. y1 = tv1^((p - 3) / 4) */
    fp_mul(&y1, &y1, &tv2);                       /* 5. y1 = y1 u v */
    fp_mul(y, &y1, &SSWU1_SQRT_MINUS_Z);          /* 6. y2 = y1 sqrt(-Z) */
    fp_sqr(&tv3, &y1);                            /* 7. tv3 = y1^2 */
    fp_mul(&tv3, &tv3, v);                        /* 8. tv3 = y1^2 v */
    is_qr = fp_eq(&tv3, u);                       /* 9. isQR = tv3 == u */
    fp_cmov(y, &y1, is_qr);                       /* 10. y = CMOV(y2, y1, isQR) */
    return is_qr;
}

/*
 * RFC 9380 6.6.2, map_to_curve_simple_swu straight-line (appendix F.2),
 * stopping before step 25: the point of E1' is (xn / xd, y).
 */
static void sswu_g1(fp *xn, fp *xd, fp *y, const fp *u)
{
    fp tv1, tv2, tv3, tv4, tv5, tv6, y1;
    limb_t is_gx1_square, e1;
    fp_sqr(&tv1, u);                              /* 1. tv1 = u^2 */
    fp_mul_small(&tv1, &tv1, SSWU1_Z_SMALL);      /* 2. tv1 = Z u^2 */
    fp_sqr(&tv2, &tv1);                           /* 3. tv2 = tv1^2 */
    fp_add(&tv2, &tv2, &tv1);                     /* 4. tv2 = tv2 + tv1 */
    fp_add(&tv3, &tv2, &FP_ONE);                  /* 5. tv3 = tv2 + 1 */
    fp_mul(&tv3, &tv3, &SSWU1_B);                 /* 6. tv3 = B tv3 */
    fp_neg(&tv4, &tv2);                           /* 7. tv4 = CMOV(Z, -tv2, tv2 != 0) */
    fp_cmov(&tv4, &SSWU1_Z, fp_is_zero(&tv2));
    fp_mul(&tv4, &tv4, &SSWU1_A);                 /* 8. tv4 = A tv4 */
    fp_sqr(&tv2, &tv3);                           /* 9. tv2 = tv3^2 */
    fp_sqr(&tv6, &tv4);                           /* 10. tv6 = tv4^2 */
    fp_mul(&tv5, &tv6, &SSWU1_A);                 /* 11. tv5 = A tv6 */
    fp_add(&tv2, &tv2, &tv5);                     /* 12. tv2 = tv2 + tv5 */
    fp_mul(&tv2, &tv2, &tv3);                     /* 13. tv2 = tv2 tv3 */
    fp_mul(&tv6, &tv6, &tv4);                     /* 14. tv6 = tv6 tv4 */
    fp_mul(&tv5, &tv6, &SSWU1_B);                 /* 15. tv5 = B tv6 */
    fp_add(&tv2, &tv2, &tv5);                     /* 16. tv2 = tv2 + tv5: g(x1) tv6 */
    fp_mul(xn, &tv1, &tv3);                       /* 17. x = tv1 tv3 */
    is_gx1_square = sqrt_ratio_g1(&y1, &tv2, &tv6); /* 18. */
    fp_mul(y, &tv1, u);                           /* 19. y = tv1 u */
    fp_mul(y, y, &y1);                            /* 20. y = y y1 */
    fp_cmov(xn, &tv3, is_gx1_square);             /* 21. x = CMOV(x, tv3, is_gx1_square) */
    fp_cmov(y, &y1, is_gx1_square);               /* 22. y = CMOV(y, y1, is_gx1_square) */
    e1 = 1 ^ fp_sgn0(u) ^ fp_sgn0(y);             /* 23. e1 = sgn0(u) == sgn0(y) */
    fp_neg(&tv5, y);                              /* 24. y = CMOV(-y, y, e1) */
    fp_cmov(y, &tv5, e1 ^ 1);
    *xd = tv4;                                    /* 25. x = x / tv4, left as a fraction */
}

/*
 * The 11-isogeny's denominators are powers of its kernel polynomial D
 * (monic, degree 5): x_den = D^2 and y_den = D^3 (the constants of RFC 9380
 * E.2 satisfy both identities; D is their polynomial square root, derived
 * from ISO11_XDEN). k_(D,0..4), Montgomery form; D is monic.
 */
static const fp ISO11_D[5] = {
    {{ 0xd71bd7d3, 0x8f721715, 0x3bdf8b42, 0x47c91477, 0xbbd66c2b, 0x1f58783b,
       0x66dee231, 0x25e434ee, 0xf88a70f0, 0xef1b155e, 0x68b71174, 0x15128d0d }},
    {{ 0x317c763f, 0x0eec4e6d, 0xee338ba4, 0x3deec9da, 0x0590081c, 0xdec559ed,
       0xcf1eca80, 0x07fb84a9, 0x5bce2f98, 0xb013c97f, 0xdb285dc9, 0x1740b4b0 }},
    {{ 0x4a879e5a, 0x202ba7dd, 0xb0466017, 0xc6e3cf50, 0xb5ed77fa, 0x8c4b1a82,
       0xc25d0748, 0xbd97d93b, 0xfd1707b5, 0xd374e3b9, 0xe3d14bc5, 0x040509bd }},
    {{ 0x664b4cb7, 0xf1a4e31f, 0x166f2bdf, 0x4d3b5b5d, 0xd0aedf76, 0xaabc641c,
       0x3d67d5d8, 0xf7e61744, 0xf66752a2, 0x339c6aec, 0x47528fed, 0x0570e379 }},
    {{ 0xbdd634d9, 0x29ba8a64, 0xb572c960, 0xc05231b8, 0x85731af3, 0x615eb44e,
       0x8f062df7, 0x975128f8, 0x015a99f4, 0x30999b89, 0x153a63c1, 0x1653f761 }},
};

/*
 * sum_{i <= deg} k_i xn^i xd^(deg - i), i.e. xd^deg * poly(xn / xd), by
 * Horner's rule; pw[j] = xd^j. A monic polynomial passes only k_0..k_(deg-1).
 */
static void iso_poly_g1(fp *r, const fp *k, size_t deg, int monic, const fp *xn, const fp *pw)
{
    fp acc, t;
    size_t i = deg;
    if (monic) {
        fp_mul(&t, &k[deg - 1], &pw[1]);
        fp_add(&acc, xn, &t);                     /* acc = xn + k_(deg-1) xd */
        i = deg - 1;
    } else {
        acc = k[deg];
    }
    while (i-- > 0) {
        fp_mul(&acc, &acc, xn);                   /* acc = acc xn */
        fp_mul(&t, &k[i], &pw[deg - i]);          /*      + k_i xd^(deg - i) */
        fp_add(&acc, &acc, &t);
    }
    *r = acc;
}

/*
 * RFC 9380 E.2: (x, y) = (x_num / x_den, y' y_num / y_den) at x' = xn / xd.
 * With Nx, Ny, Dh the polynomials homogenised by xd (Nx = xd^11 x_num(x'),
 * Ny = xd^15 y_num(x'), Dh = xd^5 D(x')): x = Nx / (xd Dh^2), y = y' Ny / Dh^3,
 * written straight into Jacobian coordinates with Z = xd Dh (RFC 9380 G.1):
 * X = Nx xd, Y = y' Ny xd^3. A zero denominator (the isogeny's kernel)
 * gives Z = 0, the point at infinity, as the RFC requires (xd is never 0).
 */
static void iso_map_g1(g1 *r, const fp *xn, const fp *xd, const fp *y)
{
    fp pw[16], nx, dh, ny;
    pw[0] = FP_ONE;
    pw[1] = *xd;
    for (int i = 2; i < 16; i++) fp_mul(&pw[i], &pw[i - 1], xd);
    iso_poly_g1(&nx, ISO11_XNUM, 11, 0, xn, pw);
    iso_poly_g1(&dh, ISO11_D, 5, 1, xn, pw);
    iso_poly_g1(&ny, ISO11_YNUM, 15, 0, xn, pw);
    fp_mul(&r->x, &nx, xd);                       /* X = Nx xd */
    fp_mul(&ny, &ny, y);
    fp_mul(&r->y, &ny, &pw[3]);                   /* Y = y' Ny xd^3 */
    fp_mul(&r->z, xd, &dh);                       /* Z = xd Dh */
    g1_cmov(r, &G1_INFINITY, g1_is_inf(r));       /* canonical infinity */
}

void map_to_curve_g1(g1 *r, const fp *u)
{
    fp xn, xd, y;
    sswu_g1(&xn, &xd, &y, u);
    iso_map_g1(r, &xn, &xd, &y);
}
