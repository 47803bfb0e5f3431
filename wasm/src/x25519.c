/*
 * X25519 (RFC 7748). Field elements mod p = 2^255 - 19 are sixteen signed
 * 16-bit limbs in int64_t: a limb product is at most 2^34, sixteen of them
 * and the x38 fold of the upper half stay below 2^45, so a multiplication
 * needs only 64-bit accumulators (wasm32 has no 128-bit product). Limbs
 * may go negative after a subtraction; carries use arithmetic shifts.
 * Constant time: the x25519_ladder swaps by masks, the inverse uses the public
 * exponent p - 2, and nothing branches on or indexes by a secret.
 */
#include "x25519.h"

typedef int64_t fe25519[16];

/* Carries every limb into [0, 2^16), folding the carry out of 2^256 back
 * as x38 (2^256 = 38 mod p). Relies on >> of a negative int64 being
 * arithmetic, as it is for clang on every target the core builds for. */
static void fe_carry(fe25519 o)
{
    for (int i = 0; i < 16; i++) {
        int64_t c = o[i] >> 16;
        o[i] -= c * 65536;
        if (i < 15) o[i + 1] += c;
        else o[0] += 38 * c;
    }
}

static void fe_add(fe25519 o, const fe25519 a, const fe25519 b)
{
    for (int i = 0; i < 16; i++) o[i] = a[i] + b[i];
}

static void fe_sub(fe25519 o, const fe25519 a, const fe25519 b)
{
    for (int i = 0; i < 16; i++) o[i] = a[i] - b[i];
}

static void fe_mul(fe25519 o, const fe25519 a, const fe25519 b)
{
    int64_t t[31];
    for (int i = 0; i < 31; i++) t[i] = 0;
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++) t[i + j] += a[i] * b[j];
    for (int i = 0; i < 15; i++) t[i] += 38 * t[i + 16];
    for (int i = 0; i < 16; i++) o[i] = t[i];
    fe_carry(o);
    fe_carry(o);
}

static void fe_sq(fe25519 o, const fe25519 a) { fe_mul(o, a, a); }

/* a^(p-2) = a^-1 (0 for 0). p - 2 = 2^255 - 21: every bit set but bits 2 and 4. */
static void fe_invert(fe25519 o, const fe25519 a)
{
    fe25519 c;
    for (int i = 0; i < 16; i++) c[i] = a[i];
    for (int bit = 253; bit >= 0; bit--) {
        fe_sq(c, c);
        if (bit != 2 && bit != 4) fe_mul(c, c, a);
    }
    for (int i = 0; i < 16; i++) o[i] = c[i];
}

/* Swaps a and b when bit is 1, by mask. */
static void fe_cswap(fe25519 a, fe25519 b, limb_t bit)
{
    int64_t mask = (int64_t)0 - (int64_t)(ct_mask(bit) & 1);
    for (int i = 0; i < 16; i++) {
        int64_t t = mask & (a[i] ^ b[i]);
        a[i] ^= t;
        b[i] ^= t;
    }
}

/* The canonical 32 bytes: carry, then subtract p twice by mask (the
 * carried value is below 2^256 < 3p). */
static void fe_pack(uint8_t out[32], const fe25519 a)
{
    fe25519 t, m;
    for (int i = 0; i < 16; i++) t[i] = a[i];
    fe_carry(t);
    fe_carry(t);
    fe_carry(t);
    for (int round = 0; round < 2; round++) {
        int64_t borrow = 0;
        for (int i = 0; i < 16; i++) {
            int64_t p_limb = i == 0 ? 0xffed : i == 15 ? 0x7fff : 0xffff;
            m[i] = t[i] - p_limb - borrow;
            borrow = (m[i] >> 16) & 1;
            m[i] &= 0xffff;
        }
        /* borrow = 1: t < p, keep t; else take m. */
        fe_cswap(t, m, (limb_t)(1 - borrow));
    }
    for (int i = 0; i < 16; i++) {
        out[2 * i] = (uint8_t)t[i];
        out[2 * i + 1] = (uint8_t)(t[i] >> 8);
    }
    secure_zero(t, sizeof t);
    secure_zero(m, sizeof m);
}

/* RFC 7748 5: the top bit of u is masked; values >= p are taken mod p by the arithmetic. */
static void fe_unpack(fe25519 o, const uint8_t in[32])
{
    for (int i = 0; i < 16; i++) o[i] = in[2 * i] | ((int64_t)in[2 * i + 1] << 8);
    o[15] &= 0x7fff;
}

/* RFC 7748 5: the x25519_ladder over the 255 bits of the clamped scalar, one
 * conditional swap per bit, a24 = 121665 = 0x1DB41. */
static void x25519_ladder(fe25519 x2, fe25519 z2, const uint8_t k[32], const fe25519 x1)
{
    static const fe25519 A24 = {0xdb41, 1};
    fe25519 x3, z3, a, aa, b, bb, e, c, d, da, cb;
    limb_t swap = 0;
    for (int i = 0; i < 16; i++) {
        x2[i] = 0;
        z2[i] = 0;
        x3[i] = x1[i];
        z3[i] = 0;
    }
    x2[0] = 1;
    z3[0] = 1;
    for (int t = 254; t >= 0; t--) {
        limb_t bit = (k[t >> 3] >> (t & 7)) & 1;
        swap ^= bit;
        fe_cswap(x2, x3, swap);
        fe_cswap(z2, z3, swap);
        swap = bit;
        fe_add(a, x2, z2);
        fe_sq(aa, a);
        fe_sub(b, x2, z2);
        fe_sq(bb, b);
        fe_sub(e, aa, bb);
        fe_add(c, x3, z3);
        fe_sub(d, x3, z3);
        fe_mul(da, d, a);
        fe_mul(cb, c, b);
        fe_add(x3, da, cb);
        fe_sq(x3, x3);
        fe_sub(z3, da, cb);
        fe_sq(z3, z3);
        fe_mul(z3, z3, x1);
        fe_mul(x2, aa, bb);
        fe_mul(z2, A24, e);
        fe_add(z2, z2, aa);
        fe_mul(z2, z2, e);
    }
    fe_cswap(x2, x3, swap);
    fe_cswap(z2, z3, swap);
    secure_zero(x3, sizeof x3);
    secure_zero(z3, sizeof z3);
    secure_zero(a, sizeof a);
    secure_zero(aa, sizeof aa);
    secure_zero(b, sizeof b);
    secure_zero(bb, sizeof bb);
    secure_zero(e, sizeof e);
    secure_zero(c, sizeof c);
    secure_zero(d, sizeof d);
    secure_zero(da, sizeof da);
    secure_zero(cb, sizeof cb);
}

dta_error x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t u[32])
{
    uint8_t k[32];
    fe25519 x1, x2, z2;
    for (int i = 0; i < 32; i++) k[i] = scalar[i];
    k[0] &= 248;                                      /* RFC 7748 5: clamping */
    k[31] &= 127;
    k[31] |= 64;
    fe_unpack(x1, u);
    x25519_ladder(x2, z2, k, x1);
    fe_invert(z2, z2);
    fe_mul(x2, x2, z2);
    fe_pack(out, x2);
    secure_zero(k, sizeof k);
    secure_zero(x2, sizeof x2);
    secure_zero(z2, sizeof z2);
    uint32_t any = 0;                                 /* RFC 7748 6.1: refuse the all-zero output */
    for (int i = 0; i < 32; i++) any |= out[i];
    if (ct_is_zero(any)) return DTA_INFINITY;
    return DTA_OK;
}

dta_error x25519_base(uint8_t out[32], const uint8_t scalar[32])
{
    static const uint8_t NINE[32] = {9};
    return x25519(out, scalar, NINE);
}
