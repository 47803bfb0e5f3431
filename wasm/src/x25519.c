/*
 * X25519 (RFC 7748). Field elements mod p = 2^255 - 19 are ten signed
 * limbs of alternately 26 and 25 bits (limb i weighs 2^ceil(25.5 i)), in
 * int64_t: a product of two limbs is below 2^55, and the ten terms of an
 * output limb, with the x19 of the wrap (2^255 = 19 mod p) and the x2 of
 * two odd limbs, stay below 2^63 as long as every input of a
 * multiplication is a carried element or the sum or difference of two.
 * So only 64-bit products are needed (wasm32 has no 128-bit one).
 * Constant time: the ladder swaps by masks, the inverse uses the public
 * exponent p - 2, and nothing branches on or indexes by a secret.
 */
#include "x25519.h"

typedef int64_t fe25519[10];

/* Bits of limb i: 26 for even i, 25 for odd i. */
#define FE_BITS(i) (26 - ((i) & 1))

/* Carries every limb into [0, 2^bits), folding the carry out of limb 9
 * back into limb 0 as x19, then once more from limb 0 into limb 1. Relies
 * on >> of a negative int64 being arithmetic (floor), as it is for clang.
 * Always inlined: called, it makes fe_mul and fe_sq keep their ten sums in
 * memory instead of locals, and -Os would call it (the ladder then runs
 * 1.6x slower, for 300 bytes saved). */
static inline __attribute__((always_inline)) void fe_carry(fe25519 h)
{
    int64_t c;
#pragma clang loop unroll(full)
    for (int i = 0; i < 9; i++) {
        c = h[i] >> FE_BITS(i);
        h[i] -= c * ((int64_t)1 << FE_BITS(i));
        h[i + 1] += c;
    }
    c = h[9] >> 25;
    h[9] -= c * ((int64_t)1 << 25);
    h[0] += 19 * c;
    c = h[0] >> 26;
    h[0] -= c * ((int64_t)1 << 26);
    h[1] += c;
}

static void fe_add(fe25519 o, const fe25519 a, const fe25519 b)
{
    for (int i = 0; i < 10; i++) o[i] = a[i] + b[i];
}

static void fe_sub(fe25519 o, const fe25519 a, const fe25519 b)
{
    for (int i = 0; i < 10; i++) o[i] = a[i] - b[i];
}

/* Schoolbook product: f_i g_j lands on limb (i + j) mod 10, times 19 when
 * it wraps past 2^255 and times 2 when i and j are both odd (their
 * weights sum to one bit more than the limb's). Unrolled: this is the
 * ladder's inner loop. */
static void fe_mul(fe25519 o, const fe25519 f, const fe25519 g)
{
    int64_t h[10] = {0}, g19[10], f2[10];
#pragma clang loop unroll(full)
    for (int j = 0; j < 10; j++) {
        g19[j] = 19 * g[j];
        f2[j] = (j & 1) ? 2 * f[j] : f[j];
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < 10; i++) {
#pragma clang loop unroll(full)
        for (int j = 0; j < 10; j++) {
            int64_t fi = (j & 1) ? f2[i] : f[i];
            h[(i + j) % 10] += fi * (i + j >= 10 ? g19[j] : g[j]);
        }
    }
    fe_carry(h);
    for (int i = 0; i < 10; i++) o[i] = h[i];
}

/* f^2 with each cross product f_i f_j (i < j) computed once and doubled:
 * 55 products instead of fe_mul's 100; same weights and bounds. */
static void fe_sq(fe25519 o, const fe25519 f)
{
    int64_t h[10] = {0};
#pragma clang loop unroll(full)
    for (int i = 0; i < 10; i++) {
#pragma clang loop unroll(full)
        for (int j = i; j < 10; j++) {
            int64_t scale = (i == j ? 1 : 2) * ((i & j & 1) ? 2 : 1) * (i + j >= 10 ? 19 : 1);
            h[(i + j) % 10] += (scale * f[i]) * f[j];
        }
    }
    fe_carry(h);
    for (int i = 0; i < 10; i++) o[i] = h[i];
}

/* a^(2^n). */
static void fe_sqn(fe25519 o, const fe25519 a, int n)
{
    fe_sq(o, a);
    for (int i = 1; i < n; i++) fe_sq(o, o);
}

/* a * k for a small public k (k a < 2^63 limb by limb), carried. */
static void fe_mul_small(fe25519 o, const fe25519 a, int64_t k)
{
    for (int i = 0; i < 10; i++) o[i] = a[i] * k;
    fe_carry(o);
}

/* a * 121665 (RFC 7748's a24). */
static void fe_mul_a24(fe25519 o, const fe25519 a) { fe_mul_small(o, a, 121665); }

/* a^(p-2) = a^-1 (0 for 0) by an addition chain for p - 2 = 2^255 - 21:
 * 254 squarings and 11 multiplications; the exponent is public. */
static void fe_invert(fe25519 o, const fe25519 z)
{
    fe25519 z2, z11, e5, e10, e20, e50, e100, t;
    fe_sq(z2, z);                      /* z^2 */
    fe_sqn(t, z2, 2);                  /* z^8 */
    fe_mul(t, t, z);                   /* z^9 */
    fe_mul(z11, z2, t);                /* z^11 */
    fe_sq(e5, z11);                    /* z^22 */
    fe_mul(e5, e5, t);                 /* z^(2^5 - 1) */
    fe_sqn(t, e5, 5);
    fe_mul(e10, t, e5);                /* z^(2^10 - 1) */
    fe_sqn(t, e10, 10);
    fe_mul(e20, t, e10);               /* z^(2^20 - 1) */
    fe_sqn(t, e20, 20);
    fe_mul(t, t, e20);                 /* z^(2^40 - 1) */
    fe_sqn(t, t, 10);
    fe_mul(e50, t, e10);               /* z^(2^50 - 1) */
    fe_sqn(t, e50, 50);
    fe_mul(e100, t, e50);              /* z^(2^100 - 1) */
    fe_sqn(t, e100, 100);
    fe_mul(t, t, e100);                /* z^(2^200 - 1) */
    fe_sqn(t, t, 50);
    fe_mul(t, t, e50);                 /* z^(2^250 - 1) */
    fe_sqn(t, t, 5);                   /* z^(2^255 - 2^5) */
    fe_mul(o, t, z11);                 /* z^(2^255 - 21) */
}

/* Swaps a and b when bit is 1, by mask. */
static void fe_cswap(fe25519 a, fe25519 b, limb_t bit)
{
    int64_t mask = (int64_t)0 - (int64_t)(ct_mask(bit) & 1);
    for (int i = 0; i < 10; i++) {
        int64_t t = mask & (a[i] ^ b[i]);
        a[i] ^= t;
        b[i] ^= t;
    }
}

/* Floor carries through limbs 0..8, then the part of limb 9 at or above
 * 2^255 folded back into limb 0 as x19 (2^255 = 19 mod p). */
static void fe_fold(fe25519 h)
{
    for (int i = 0; i < 9; i++) {
        int64_t c = h[i] >> FE_BITS(i);
        h[i] -= c * ((int64_t)1 << FE_BITS(i));
        h[i + 1] += c;
    }
    int64_t top = h[9] >> 25;
    h[9] -= top * ((int64_t)1 << 25);
    h[0] += 19 * top;
}

/* The canonical 32 bytes. fe_carry can leave limb 1 one above or below
 * its range; three folds leave every limb in range and the value in
 * [0, 2^255): the second fold's top is -1, 0 or 1, and after it the third
 * can only move limb 0 within range (the value is then below 19 or at
 * least 2^255 - 19). Then t = h + 19, carried, reaches 2^255 exactly when
 * h >= p, and t mod 2^255 = h - p is selected by mask. */
static void fe_pack(uint8_t out[32], const fe25519 a)
{
    fe25519 h, t;
    for (int i = 0; i < 10; i++) h[i] = a[i];
    fe_fold(h);
    fe_fold(h);
    fe_fold(h);
    for (int i = 0; i < 10; i++) t[i] = h[i];
    t[0] += 19;
    for (int i = 0; i < 9; i++) {
        int64_t c = t[i] >> FE_BITS(i);
        t[i] -= c * ((int64_t)1 << FE_BITS(i));
        t[i + 1] += c;
    }
    int64_t top = t[9] >> 25;                          /* 0 or 1 */
    t[9] -= top * ((int64_t)1 << 25);
    fe_cswap(h, t, (limb_t)top);
    uint64_t acc = 0;
    int bits = 0, n = 0;
    for (int i = 0; i < 10; i++) {
        acc |= (uint64_t)h[i] << bits;
        bits += FE_BITS(i);
        while (bits >= 8 && n < 32) {
            out[n++] = (uint8_t)acc;
            acc >>= 8;
            bits -= 8;
        }
    }
    while (n < 32) {
        out[n++] = (uint8_t)acc;
        acc >>= 8;
    }
    secure_zero(h, sizeof h);
    secure_zero(t, sizeof t);
}

/* RFC 7748 5: the top bit of u is masked; values >= p are taken mod p by the arithmetic. */
static void fe_unpack(fe25519 o, const uint8_t in[32])
{
    uint64_t acc = 0;
    int bits = 0, n = 0;
    for (int i = 0; i < 10; i++) {
        while (bits < FE_BITS(i)) {
            acc |= (uint64_t)(n < 31 ? in[n] : in[31] & 0x7f) << bits;
            n++;
            bits += 8;
        }
        o[i] = (int64_t)(acc & (((uint64_t)1 << FE_BITS(i)) - 1));
        acc >>= FE_BITS(i);
        bits -= FE_BITS(i);
    }
}

/* RFC 7748 5: the ladder over the 255 bits of the clamped scalar, one
 * conditional swap per bit, a24 = 121665. x1_small: x1 is that small public
 * integer (9 for the base point), multiplied by as such (a tenth of fe_mul). */
static void x25519_ladder(fe25519 x2, fe25519 z2, const uint8_t k[32], const fe25519 x1, int64_t x1_small)
{
    fe25519 x3, z3, a, aa, b, bb, e, c, d, da, cb;
    limb_t swap = 0;
    for (int i = 0; i < 10; i++) {
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
        if (x1_small) fe_mul_small(z3, z3, x1_small);   /* public: the same branch at every step */
        else fe_mul(z3, z3, x1);
        fe_mul(x2, aa, bb);
        fe_mul_a24(z2, e);
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

/* X25519(scalar, u); x1_small as in x25519_ladder (0: u is any point). */
static dta_error x25519_with(uint8_t out[32], const uint8_t scalar[32], const uint8_t u[32], int64_t x1_small)
{
    uint8_t k[32];
    fe25519 x1, x2, z2;
    for (int i = 0; i < 32; i++) k[i] = scalar[i];
    k[0] &= 248;                                      /* RFC 7748 5: clamping */
    k[31] &= 127;
    k[31] |= 64;
    fe_unpack(x1, u);
    x25519_ladder(x2, z2, k, x1, x1_small);
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

dta_error x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t u[32])
{
    return x25519_with(out, scalar, u, 0);
}

dta_error x25519_base(uint8_t out[32], const uint8_t scalar[32])
{
    static const uint8_t NINE[32] = {9};
    return x25519_with(out, scalar, NINE, 9);
}
