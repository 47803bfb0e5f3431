/*
 * Constant-time modular inversion by Bernstein-Yang divsteps,
 * "Fast constant-time gcd computation and modular inversion",
 * https://eprint.iacr.org/2019/266 (divstep: section 8; iteration bound:
 * Theorem 11.2). Shared by Fp and Fr through their generated constants
 * (field_consts.h: modulus in 30-bit limbs, batch count, bound).
 *
 * Numbers are n signed 30-bit limbs: limbs 0..n-2 in [0, 2^30), the top
 * limb signed. Divsteps run 30 at a time on the low word of f and g,
 * producing a transition matrix that is then applied to the full f, g
 * and to the coefficients d, e with f = d x, g = e x (mod m). The number
 * of divsteps is fixed and every step uses masks, never branches.
 */
#ifndef DTA_SAFEGCD_H
#define DTA_SAFEGCD_H
#include "types.h"

#define SG_MAX_LIMBS 13
#define SG_MASK 0x3fffffff

/* 2^30 (f', g') = [u v; q r] (f, g) after 30 divsteps. */
typedef struct { int64_t u, v, q, r; } sg_matrix;

/*
 * 30 divsteps on the low words of f (odd) and g. One step, with
 * 2^i f_i = u f + v g and 2^i g_i = q f + r g kept exact:
 *   if delta > 0 and g odd: delta = -delta, (f, g) = (g, -f), rows swapped
 *   if g odd:               g += f (row 2 += row 1)
 *   always:                 g /= 2, row 1 doubled, delta += 1
 * which is the paper's divstep with the three cases merged.
 */
static int32_t sg_divsteps_30(int32_t delta, uint32_t f, uint32_t g, sg_matrix *t)
{
    uint32_t u = 1, v = 0, q = 0, r = 1;           /* two's complement entries */
    for (int i = 0; i < 30; i++) {
        uint32_t swap = ((uint32_t)0 - ((uint32_t)(-delta) >> 31)) & ((uint32_t)0 - (g & 1));
        swap = launder(swap);                       /* all-ones iff delta > 0 and g odd */
        uint32_t x;
        x = (f ^ g) & swap; f ^= x; g ^= x;
        x = (u ^ q) & swap; u ^= x; q ^= x;
        x = (v ^ r) & swap; v ^= x; r ^= x;
        g = (g ^ swap) - swap;                      /* negate under the mask */
        q = (q ^ swap) - swap;
        r = (r ^ swap) - swap;
        delta = (int32_t)(((uint32_t)delta ^ swap) - swap);
        uint32_t odd = launder((uint32_t)0 - (g & 1));
        g += f & odd;
        q += u & odd;
        r += v & odd;
        g >>= 1;
        u <<= 1;
        v <<= 1;
        delta += 1;
    }
    t->u = (int32_t)u;
    t->v = (int32_t)v;
    t->q = (int32_t)q;
    t->r = (int32_t)r;
    return delta;
}

/* (f, g) = [u v; q r] (f, g) / 2^30, exact: the matrix zeroes the low 30 bits. */
static void sg_update_fg(int32_t *f, int32_t *g, const sg_matrix *t, int n)
{
    int64_t cf = t->u * f[0] + t->v * g[0];
    int64_t cg = t->q * f[0] + t->r * g[0];
    cf >>= 30;                                      /* arithmetic shifts of exact multiples */
    cg >>= 30;
    for (int i = 1; i < n; i++) {
        cf += t->u * f[i] + t->v * g[i];
        cg += t->q * f[i] + t->r * g[i];
        f[i - 1] = (int32_t)(cf & SG_MASK);
        g[i - 1] = (int32_t)(cg & SG_MASK);
        cf >>= 30;
        cg >>= 30;
    }
    f[n - 1] = (int32_t)cf;
    g[n - 1] = (int32_t)cg;
}

/* One row of the (d, e) update: (a x + b y + k m) / 2^30 with k making it exact. */
static void sg_row(int32_t *out, const int32_t *x, const int32_t *y, int64_t a, int64_t b,
                   const int32_t *m, uint32_t minv, int n)
{
    int64_t c = a * x[0] + b * y[0];
    int64_t k = (int64_t)((((uint32_t)0 - (uint32_t)c) * minv) & SG_MASK);  /* in [0, 2^30) */
    c = (c + k * m[0]) >> 30;
    for (int i = 1; i < n; i++) {
        c += a * x[i] + b * y[i] + k * m[i];
        out[i - 1] = (int32_t)(c & SG_MASK);
        c >>= 30;
    }
    out[n - 1] = (int32_t)c;
}

/*
 * (d, e) = [u v; q r] (d, e) / 2^30 mod m. Each batch grows |d| and |e|
 * by less than m (|u| + |v| <= 2^30 and k < 2^30), so after B batches
 * they stay below (B + 1) m: no reduction is needed until the end.
 */
static void sg_update_de(int32_t *d, int32_t *e, const sg_matrix *t,
                         const int32_t *m, uint32_t minv, int n)
{
    int32_t nd[SG_MAX_LIMBS];
    sg_row(nd, d, e, t->u, t->v, m, minv, n);
    sg_row(e, d, e, t->q, t->r, m, minv, n);
    for (int i = 0; i < n; i++) d[i] = nd[i];
}

/* x = s x for s = +-1, renormalising the limbs. */
static void sg_mul_sign(int32_t *x, int64_t s, int n)
{
    int64_t c = 0;
    for (int i = 0; i < n - 1; i++) {
        c += s * x[i];
        x[i] = (int32_t)(c & SG_MASK);
        c >>= 30;
    }
    x[n - 1] = (int32_t)(c + s * x[n - 1]);
}

/* x = x - k m if that is not negative, else x; k is public. */
static void sg_cond_sub(int32_t *x, const int32_t *m, int64_t k, int n)
{
    int32_t s[SG_MAX_LIMBS];
    int64_t c = 0;
    for (int i = 0; i < n - 1; i++) {
        c += x[i] - k * m[i];
        s[i] = (int32_t)(c & SG_MASK);
        c >>= 30;
    }
    s[n - 1] = (int32_t)(c + x[n - 1] - k * m[n - 1]);
    uint32_t keep = launder((uint32_t)s[n - 1] >> 31) - 1;   /* all-ones iff s >= 0 */
    for (int i = 0; i < n; i++) x[i] = (int32_t)((uint32_t)x[i] ^ (((uint32_t)x[i] ^ (uint32_t)s[i]) & keep));
}

/*
 * r = a^-1 mod m for a in [0, m) given as 32-bit limbs (nw of them), as a
 * plain integer (0 maps to 0). bound is a power of two above batches + 1.
 */
static void sg_inverse(limb_t *r, const limb_t *a, int nw, const int32_t *m, uint32_t minv,
                       int n, int batches, int64_t bound)
{
    int32_t f[SG_MAX_LIMBS], g[SG_MAX_LIMBS], d[SG_MAX_LIMBS] = {0}, e[SG_MAX_LIMBS] = {0};
    sg_matrix t;
    int32_t delta = 1;
    for (int i = 0; i < n; i++) {                  /* 32-bit limbs to 30-bit limbs */
        int bit = 30 * i, w = bit / 32, s = bit % 32;
        uint64_t v = w < nw ? (uint64_t)a[w] >> s : 0;
        if (w + 1 < nw) v |= (uint64_t)a[w + 1] << (32 - s);
        g[i] = (int32_t)(v & SG_MASK);
        f[i] = m[i];
    }
    e[0] = 1;
    for (int b = 0; b < batches; b++) {
        delta = sg_divsteps_30(delta, (uint32_t)f[0], (uint32_t)g[0], &t);
        sg_update_fg(f, g, &t, n);
        sg_update_de(d, e, &t, m, minv, n);
    }
    /* Now g = 0 and f = +-1 (or f = m when a = 0, with d = 0). */
    sg_mul_sign(d, 1 - 2 * (int64_t)((uint32_t)f[n - 1] >> 31), n);
    for (int i = 0; i < n; i++) e[i] = 0;
    sg_cond_sub(d, m, -bound, n);                  /* d + bound m, now in (0, 2 bound m) */
    for (int64_t k = bound; k >= 1; k /= 2) sg_cond_sub(d, m, k, n);
    for (int i = 0; i < nw; i++) {                 /* 30-bit limbs back to 32-bit limbs */
        int bit = 32 * i, l = bit / 30, s = bit % 30;
        uint64_t v = (uint64_t)(uint32_t)d[l] >> s;
        if (l + 1 < n) v |= (uint64_t)(uint32_t)d[l + 1] << (30 - s);
        if (l + 2 < n) v |= (uint64_t)(uint32_t)d[l + 2] << (60 - s);
        r[i] = (limb_t)v;
    }
    secure_zero(f, sizeof f);
    secure_zero(g, sizeof g);
    secure_zero(d, sizeof d);
    secure_zero(e, sizeof e);
    secure_zero(&t, sizeof t);
}

#endif
