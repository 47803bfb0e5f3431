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
    {{ 0x1e44b66a, 0x11be3839, 0x0282c5ab, 0x1589807e, 0x044460fb, 0x0f2f7dff, 0x16a7c36f,
       0x05dd2632, 0x1888cfb8, 0x0629f2fd, 0x0fd64025, 0x1ecaed94, 0x17bdc5fe, 0x00000008 }},
    {{ 0x032941d9, 0x1e0af985, 0x0bd85234, 0x14bb35ab, 0x1f9f17a6, 0x1d93312f, 0x02717186,
       0x04403119, 0x1d6837ec, 0x141a6ea8, 0x1c27c189, 0x10bbe482, 0x083bb89d, 0x00000007 }},
    {{ 0x02b0b3cc, 0x1f750f57, 0x06afdda0, 0x1201024d, 0x07b93f36, 0x0cacb42f, 0x16136eb4,
       0x15a7f3d1, 0x092f4f99, 0x038e7da8, 0x08b79846, 0x056c90ab, 0x1a168e2e, 0x00000000 }},
    {{ 0x046e894d, 0x0f9496bd, 0x1304a940, 0x163ac5ad, 0x19a98a88, 0x19531327, 0x0278bbf0,
       0x02f7e41b, 0x0f9228ad, 0x15ff2ed9, 0x04f166f9, 0x03ca9896, 0x052aacfb, 0x00000000 }},
    {{ 0x0772aebb, 0x17f3acfc, 0x0b5d6109, 0x02676c72, 0x04bf25d6, 0x1c90af4b, 0x0ea37510,
       0x1a2a0257, 0x18d6f31f, 0x1643ab64, 0x018fe19b, 0x0ae0c507, 0x1fe5ca56, 0x00000002 }},
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
