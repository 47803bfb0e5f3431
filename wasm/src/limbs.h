/*
 * Multi-limb arithmetic on saturated 32-bit limbs: Fr (8 limbs) in full,
 * and for Fp (which computes on 29-bit limbs, fp.c) the 12-word canonical
 * form of its encodings and range checks: n-limb add/sub/select, Montgomery
 * multiplication and byte loading. Each helper takes the limb count n (even,
 * at most 14) as a compile-time constant at its call sites, so the loops
 * unroll. Constant time: no branch or index depends on a value.
 */
#ifndef DTA_LIMBS_H
#define DTA_LIMBS_H
#include "types.h"

/* The limb count must be a constant where the loops are unrolled, so these
 * are always inlined into their (fixed-size) callers. */
#define LIMBS_INLINE static inline __attribute__((always_inline))

/*
 * Additions and subtractions walk the limbs in pairs as 64-bit words
 * (n is always even): wasm has no carry flag, so a carry costs a compare,
 * and half as many words means a carry chain half as long.
 */
LIMBS_INLINE uint64_t limbs_ld64(const limb_t *p)
{
    uint64_t v;
    __builtin_memcpy(&v, p, 8);                   /* little-endian, as the limbs */
    return v;
}

LIMBS_INLINE void limbs_st64(limb_t *p, uint64_t v) { __builtin_memcpy(p, &v, 8); }

/* r = a + b; returns the carry (0/1). */
LIMBS_INLINE limb_t limbs_add(limb_t *r, const limb_t *a, const limb_t *b, int n)
{
    uint64_t c = 0;
#pragma clang loop unroll(full)
    for (int i = 0; i < n; i += 2) {
        uint64_t x = limbs_ld64(a + i), t = x + limbs_ld64(b + i);
        uint64_t c1 = t < x;
        t += c;
        c = c1 | (t < c);
        limbs_st64(r + i, t);
    }
    return (limb_t)c;
}

/* r = a - b; returns the borrow (0/1). */
LIMBS_INLINE limb_t limbs_sub(limb_t *r, const limb_t *a, const limb_t *b, int n)
{
    uint64_t br = 0;
#pragma clang loop unroll(full)
    for (int i = 0; i < n; i += 2) {
        uint64_t x = limbs_ld64(a + i), y = limbs_ld64(b + i);
        uint64_t t = x - y, b1 = x < y;
        limbs_st64(r + i, t - br);
        br = b1 | (t < br);
    }
    return (limb_t)br;
}

/* r = mask ? a : r, mask all-ones or zero. */
LIMBS_INLINE void limbs_cmov(limb_t *r, const limb_t *a, limb_t mask, int n)
{
    for (int i = 0; i < n; i++) r[i] ^= (r[i] ^ a[i]) & mask;
}

/* 1 if all n limbs are zero. */
LIMBS_INLINE limb_t limbs_is_zero(const limb_t *a, int n)
{
    limb_t acc = 0;
    for (int i = 0; i < n; i++) acc |= a[i];
    return ct_is_zero(launder(acc));
}

/* r = flag ? a : b in 64-bit words, flag 0/1. */
LIMBS_INLINE void limbs_select(limb_t *r, const limb_t *a, const limb_t *b, limb_t flag, int n)
{
    uint64_t m = (uint64_t)0 - (uint64_t)launder(flag & 1);
#pragma clang loop unroll(full)
    for (int i = 0; i < n; i += 2) {
        uint64_t x = limbs_ld64(a + i), y = limbs_ld64(b + i);
        limbs_st64(r + i, y ^ ((x ^ y) & m));
    }
}

/* r = t - m if t >= m, else t; for t < 2m. */
LIMBS_INLINE void limbs_cond_sub(limb_t *r, const limb_t *t, const limb_t *m, int n)
{
    limb_t s[12];
    limb_t borrow = limbs_sub(s, t, m, n);        /* t < m iff this borrows */
    limbs_select(r, t, s, borrow, n);
}

/* r = (a + b) mod m for a, b < m < 2^(32n-1): the sum never carries out. */
LIMBS_INLINE void limbs_mod_add(limb_t *r, const limb_t *a, const limb_t *b,
                                const limb_t *m, int n)
{
    limb_t t[12];
    limbs_add(t, a, b, n);
    limbs_cond_sub(r, t, m, n);
}

/* r = (a - b) mod m for a, b < m: add m back when the difference borrows. */
LIMBS_INLINE void limbs_mod_sub(limb_t *r, const limb_t *a, const limb_t *b,
                                const limb_t *m, int n)
{
    limb_t t[12], mm[12];
    uint64_t mask = (uint64_t)0 - (uint64_t)launder(limbs_sub(t, a, b, n));
#pragma clang loop unroll(full)
    for (int i = 0; i < n; i += 2) limbs_st64(mm + i, limbs_ld64(m + i) & mask);
    limbs_add(r, t, mm, n);
}

/*
 * Montgomery product r = a b / 2^(32n) mod m, CIOS with the "no-carry"
 * shortcut (valid when m's top limb is below 2^31 - 1 and a, b < m):
 * the running sum then fits n limbs plus two one-limb carries.
 * Koc, Acar, Kaliski, "Analyzing and comparing Montgomery multiplication
 * algorithms" (1996); gnark-crypto's note on the no-carry variant.
 * Fully unrolled: wasm has one 64-bit multiplier and no carry flag, so
 * straight-line code is what lets the engine keep limbs in registers.
 */
LIMBS_INLINE void limbs_mont_mul(limb_t *r, const limb_t *a, const limb_t *b,
                                  const limb_t *m, limb_t n0, int n)
{
    limb_t t[12] = {0};
#pragma clang loop unroll(full)
    for (int i = 0; i < n; i++) {
        uint64_t x = (uint64_t)a[0] * b[i] + t[0];
        limb_t q = (limb_t)x * n0;                    /* makes t[0] + q m[0] = 0 mod 2^32 */
        uint64_t y = (uint64_t)q * m[0] + (limb_t)x;
#pragma clang loop unroll(full)
        for (int j = 1; j < n; j++) {
            x = (uint64_t)a[j] * b[i] + t[j] + (x >> 32);
            y = (uint64_t)q * m[j] + (limb_t)x + (y >> 32);
            t[j - 1] = (limb_t)y;
        }
        t[n - 1] = (limb_t)((x >> 32) + (y >> 32));
    }
    limbs_cond_sub(r, t, m, n);
}

/* Big-endian bytes (len <= 4n) to little-endian limbs, zero-extended. */
LIMBS_INLINE void limbs_from_be(limb_t *r, const uint8_t *in, size_t len, int n)
{
    for (int i = 0; i < n; i++) r[i] = 0;
    for (size_t j = 0; j < len; j++) {
        limb_t byte = in[len - 1 - j];               /* j = 0 is least significant */
        r[j / 4] |= byte << (8 * (j % 4));
    }
}

LIMBS_INLINE void limbs_to_be(uint8_t *out, const limb_t *a, int n)
{
    for (int j = 0; j < 4 * n; j++) out[4 * n - 1 - j] = (uint8_t)(a[j / 4] >> (8 * (j % 4)));
}

#endif
