/*
 * Scalar recodings shared by the G1 and G2 multipliers and the MSM:
 *  - the base-|u| split of a scalar, which feeds GLV on G1 (two halves
 *    of 128 bits) and GLS on G2 (four digits of 64 bits);
 *  - Booth's signed fixed-window digits (constant time, each digit
 *    computed from its own w+1 bits, so no carry chain);
 *  - width-w NAF (variable time, public scalars only).
 * Header-only: included by g1.c, g2.c and msm.c in the unity build.
 */
#ifndef DTA_RECODE_H
#define DTA_RECODE_H
#include "fr.h"

/* |u| for BLS12-381, u = -0xd201000000010000. */
#define BLS_U_ABS 0xd201000000010000ULL

/*
 * q = n / |u| and returns n mod |u|, for an n of nl limbs. Binary long
 * division with a masked subtraction per bit: the running remainder is
 * below 2|u| < 2^65, kept as 64 bits plus the bit shifted out on top.
 * Constant time: the loop length depends on nl only.
 */
static inline uint64_t recode_div_u_ct(limb_t *q, const limb_t *n, int nl)
{
    uint64_t rem = 0;
    for (int i = 0; i < nl; i++) q[i] = 0;
    for (int i = 32 * nl - 1; i >= 0; i--) {
        uint64_t top = rem >> 63;                       /* bit 64 after the shift */
        rem = (rem << 1) | ((n[i / 32] >> (i % 32)) & 1);
        uint64_t d = rem - BLS_U_ABS;
        uint64_t borrow = ((~rem & BLS_U_ABS) | (~(rem ^ BLS_U_ABS) & d)) >> 63;
        uint64_t take = top | (borrow ^ 1);             /* 2^64 top + rem >= |u| */
        uint64_t mask = (uint64_t)0 - take;
        rem = (d & mask) | (rem & ~mask);
        q[i / 32] |= (limb_t)take << (i % 32);
    }
    return rem;
}

/*
 * s = d[0] + d[1] |u| + d[2] |u|^2 + d[3] |u|^3 with every d[i] < |u|,
 * for s < r < |u|^4. Constant time in s.
 */
static inline void recode_split_u(uint64_t d[4], const scalar *s)
{
    limb_t a[FR_LIMBS], b[FR_LIMBS];
    d[0] = recode_div_u_ct(a, s->l, FR_LIMBS);
    d[1] = recode_div_u_ct(b, a, FR_LIMBS);
    d[2] = recode_div_u_ct(a, b, FR_LIMBS);
    d[3] = (uint64_t)a[0] | ((uint64_t)a[1] << 32);     /* < |u| because s < |u|^4 */
    secure_zero(a, sizeof a);
    secure_zero(b, sizeof b);
}

/* k = lo + hi |u| as five limbs (< |u|^2 < 2^128, top limb zero). */
static inline void recode_join_u(limb_t k[5], uint64_t lo, uint64_t hi)
{
    uint64_t acc = (uint64_t)(limb_t)lo;
    const uint64_t u0 = (limb_t)BLS_U_ABS, u1 = BLS_U_ABS >> 32;
    const uint64_t h0 = (limb_t)hi, h1 = hi >> 32;
    uint64_t p00 = h0 * u0, p01 = h0 * u1, p10 = h1 * u0, p11 = h1 * u1;
    acc += (limb_t)p00;
    k[0] = (limb_t)acc;
    acc = (acc >> 32) + (lo >> 32) + (p00 >> 32) + (limb_t)p01 + (limb_t)p10;
    k[1] = (limb_t)acc;
    acc = (acc >> 32) + (p01 >> 32) + (p10 >> 32) + (limb_t)p11;
    k[2] = (limb_t)acc;
    acc = (acc >> 32) + (p11 >> 32);
    k[3] = (limb_t)acc;
    k[4] = (limb_t)(acc >> 32);
}

/* w bits of k from bit pos (pos may be -1: bit -1 reads as zero); k has nl limbs. */
static inline limb_t recode_bits(const limb_t *k, int nl, int pos, int w)
{
    limb_t v = 0;
    for (int i = 0; i < w; i++) {
        int b = pos + i;                                 /* public position */
        limb_t bit = (b >= 0 && b < 32 * nl) ? (k[b / 32] >> (b % 32)) & 1 : 0;
        v |= bit << i;
    }
    return v;
}

/*
 * Booth's signed window digit j of width w:
 *   d = -2^(w-1) b[jw+w-1] + sum_{i<w-1} 2^i b[jw+i] + b[jw-1],
 * in [-2^(w-1), 2^(w-1)], with sum_j d_j 2^(jw) = k when the top window's
 * high bit is beyond k. Returns |d| and sets *neg to 1 when d < 0.
 * Constant time in k. https://eprint.iacr.org/2017/669 (Booth recoding).
 */
static inline limb_t recode_booth(limb_t *neg, const limb_t *k, int nl, int j, int w)
{
    limb_t v = recode_bits(k, nl, j * w - 1, w + 1);     /* w+1 bits, overlapping one */
    limb_t top = v >> w;
    limb_t d = ((v + 1) >> 1) - (top << w);             /* two's complement in 32 bits */
    limb_t sign = d >> 31;
    *neg = sign;
    return (d ^ ((limb_t)0 - sign)) + sign;
}

/*
 * Width-w NAF of k (nl limbs), variable time, public scalars only:
 * digits[i] in {0, +-1, +-3, ..., +-(2^(w-1)-1)}, sum digits[i] 2^i = k,
 * no two nonzero digits within w positions. digits must hold 32 nl + 1
 * entries; returns the index of the top nonzero digit plus one.
 */
static inline int recode_wnaf_vartime(signed char *digits, const limb_t *k, int nl, int w)
{
    int n = 32 * nl + 1, carry = 0, len = 0;
    for (int i = 0; i < n; i++) digits[i] = 0;
    for (int i = 0; i < n;) {
        int b = (int)recode_bits(k, nl, i, 1) + carry;
        if (b != 1) {                                    /* even here: digit 0 */
            carry = b >> 1;
            i++;
            continue;
        }
        int v = (int)recode_bits(k, nl, i, w) + carry;   /* odd, below 2^w */
        carry = v >> (w - 1);                            /* take v - 2^w instead */
        digits[i] = (signed char)(v - (carry << w));
        len = i + 1;
        i += w;
    }
    return len;
}

#endif
