/*
 * Fp, the BLS12-381 base field: Montgomery arithmetic (R = 2^406) on fourteen
 * unsaturated 29-bit limbs, values kept lazily in [0, 2p). Every function is
 * constant time in its field-element arguments.
 *
 * Why 29-bit limbs: wasm32 has a 32x32->64 multiply (i64.mul of zero-extended
 * words) but no carry flag. With 29-bit limbs a product is below 2^58, so a
 * whole column of products (and the reduction's products) is summed in one
 * 64-bit accumulator and the carry is taken once per column, not per product.
 * The products a_i b_j run two at a time in wasm SIMD (fp_mul below), so the
 * module needs an engine with simd128 (every browser the app targets, Node 22).
 *
 * Bounds (p < 2^381, R = 2^406, every limb of an input below 2^29):
 *  - Montgomery product of a, b: t = (a b + q p) / R with q < R, so
 *    t < a b / R + p. For a, b < 4p: a b < 16 p^2 < p R (16p < 2^385 < R),
 *    so t < 2p. Outputs are therefore in [0, 2p) without a final
 *    subtraction, and inputs may be the unreduced sums below 4p.
 *  - Column sums: column k holds at most 14 products a_i b_j and 14 products
 *    q_i p_j, each below 2^58: 28 * 2^58 < 2^63, plus a carry below 2^35.
 *  - The last column leaves t < 2p < 2^382 in the top limb, which is then
 *    below 2^5, so the output's limbs are all below 2^29 again.
 *  - add and sub: t = a + b or a - b + 2p is in [0, 4p); they subtract q p
 *    for a quotient estimate q from the top limbs (fp_add below), which
 *    lands in [0, p + 3 2^377), inside [0, 2p). No comparison, no branch.
 * The canonical value (in [0, p)) is taken by one masked subtraction of p
 * where a representative matters: zero test, equality, sign, encoding.
 */
#include "fp.h"
#include "limbs.h"
#include "field_consts.h"
#include "safegcd.h"
#include <wasm_simd128.h>

const fp FP_ZERO = {{0}};
const fp FP_ONE = FP_ONE_INIT;

#define P FP_MODULUS.l      /* the modulus limbs; #undef at the end of the file */
#define P2 FP_MODULUS_X2.l  /* 2p, the lazy bound */
#define M FP_LIMB_MASK
#define FP_WORDS 12         /* 32-bit words of a canonical value (encoding, safegcd) */

#define FP_INLINE static inline __attribute__((always_inline))
/* wasm SIMD for the products only (fp_mul, fp_sqr): the rest of the core is
 * built without it, so the compiler does not vectorise code where V8's
 * emulated 64-bit lane multiplies would be slower than scalar ones. */
#define FP_SIMD __attribute__((target("simd128")))
#define FP_SIMD_INLINE FP_INLINE FP_SIMD

/* ---- Carry chains -------------------------------------------------------- */

/* r = a - b + c limb by limb with one signed carry chain; returns the final
 * carry: -1 (all ones) if the result went negative, else 0. The limbs of r are
 * then those of the result mod 2^406, which adding the subtrahend back undoes. */
FP_INLINE limb_t fp_chain(limb_t *r, const limb_t *a, const limb_t *b, const limb_t *c, int n)
{
    int32_t carry = 0;
#pragma clang loop unroll(full)
    for (int i = 0; i < n; i++) {
        carry += (int32_t)a[i] - (int32_t)b[i] + (int32_t)c[i];
        r[i] = (limb_t)carry & M;
        carry >>= FP_LIMB_BITS;                  /* arithmetic: the sign travels up */
    }
    return launder((limb_t)carry);
}

/* r = a + (mask & m), normalised; the final carry out is dropped (it undoes
 * the wrap of a negative chain). */
FP_INLINE void fp_add_masked(limb_t *r, const limb_t *a, const limb_t *m, limb_t mask)
{
    limb_t carry = 0;
#pragma clang loop unroll(full)
    for (int i = 0; i < FP_LIMBS; i++) {
        carry += a[i] + (m[i] & mask);
        r[i] = carry & M;
        carry >>= FP_LIMB_BITS;
    }
}

/*
 * add and sub reduce by an estimate instead of a comparison: the top limbs
 * give x <= floor(t / 2^377) for the unreduced t (a + b, or a - b + 2p),
 * and q = floor(x 2^377 / p) = (39 x) >> 9 (exact for x < 64, checked by
 * wasm/gen/field_consts.py) is at most t / p. Then t - q p is in
 * [0, p + 3 2^377), inside [0, 2p) since p > 13 2^377, and one signed carry
 * chain computes it: half the work of subtracting 2p and choosing.
 * The limb terms fit an int32: a_i + b_i - q p_i > -3 2^29 for q <= 3.
 */
FP_INLINE limb_t fp_quotient_estimate(int32_t x)
{
    x &= ~(x >> 31);                                /* a negative estimate means 0 */
    return ((limb_t)x * FP_TOP_QUOTIENT_MUL) >> FP_TOP_QUOTIENT_SHIFT;
}

/* r = a + sign b + c - q p for sign = 1 or -1, normalised. */
FP_INLINE void fp_reduce_chain(limb_t *r, const limb_t *a, const limb_t *b, int32_t sign, const limb_t *c,
                               limb_t q)
{
    int32_t carry = 0;
#pragma clang loop unroll(full)
    for (int i = 0; i < FP_LIMBS; i++) {
        carry += (int32_t)a[i] + sign * (int32_t)b[i] + (int32_t)c[i] - (int32_t)(q * P[i]);
        r[i] = i < FP_LIMBS - 1 ? (limb_t)carry & M : (limb_t)carry;
        carry >>= FP_LIMB_BITS;
    }
}

void fp_add(fp *r, const fp *a, const fp *b)
{
    int32_t top = (int32_t)(a->l[FP_LIMBS - 1] + b->l[FP_LIMBS - 1]);   /* floor(t / 2^377) or one less */
    fp_reduce_chain(r->l, a->l, b->l, 1, FP_ZERO.l, fp_quotient_estimate(top));
}

void fp_sub(fp *r, const fp *a, const fp *b)
{
    /* t = a - b + 2p: the lower limbs move the top by -1..+1, so one less is a safe estimate */
    int32_t top = (int32_t)a->l[FP_LIMBS - 1] - (int32_t)b->l[FP_LIMBS - 1] + (int32_t)P2[FP_LIMBS - 1] - 1;
    fp_reduce_chain(r->l, a->l, b->l, -1, P2, fp_quotient_estimate(top));
}

void fp_dbl(fp *r, const fp *a) { fp_add(r, a, a); }
void fp_neg(fp *r, const fp *a) { fp_sub(r, &FP_ZERO, a); }
void fp_add_unreduced(fp *r, const fp *a, const fp *b) { fp_add_masked(r->l, a->l, b->l, ~(limb_t)0); }
void fp_sub_unreduced(fp *r, const fp *a, const fp *b) { fp_chain(r->l, a->l, b->l, P2, FP_LIMBS); }

/* a/2: add p first when a is odd so the shift is exact; (a + p)/2 < 1.5p. */
void fp_half(fp *r, const fp *a)
{
    limb_t t[FP_LIMBS];
    fp_add_masked(t, a->l, P, ct_mask(a->l[0]));
    for (int i = 0; i < FP_LIMBS - 1; i++) r->l[i] = (t[i] >> 1) | ((t[i + 1] & 1) << (FP_LIMB_BITS - 1));
    r->l[FP_LIMBS - 1] = t[FP_LIMBS - 1] >> 1;
}

/* r = a mod p for a in [0, 2p): subtract p unless that goes negative. */
void fp_canonical(fp *r, const fp *a)
{
    limb_t t[FP_LIMBS];
    limb_t neg = fp_chain(t, a->l, P, FP_ZERO.l, FP_LIMBS);
    limbs_select(r->l, a->l, t, neg & 1, FP_LIMBS);
}

/* ---- Products ------------------------------------------------------------ */

FP_INLINE uint64_t fp_prod(limb_t x, limb_t y) { return (uint64_t)x * y; }

/*
 * The columns of a b, two at a time, in wasm SIMD (simd128): i64x2.extmul of
 * u32x4 lanes computes two 32x32->64 products at once. For the column pair
 * (2m, 2m + 1), a group vector [a_i, a_i, a_(i-2), a_(i-2)] times the four
 * limbs b_s..b_(s+3) at s = 2m - i gives, in its low half, a_i b_s and
 * a_i b_(s+1) and, in its high half, a_(i-2) b_(s+2) and a_(i-2) b_(s+3):
 * each pair lands in columns 2m and 2m + 1. The groups i = 2, 3, 6, 7, 10, 11,
 * 14, 15 cover every limb of a once (a_14 = a_15 = 0); a window of b past its
 * ends reads zero vectors, and products that can only be zero are left out at
 * compile time. A lane sums at most 14 products below 2^58: no overflow.
 */
#define FP_GROUPS 8
#define FP_MASK_58 ((1ULL << 58) - 1)

/* The limbs of a or b as four vectors of four (the last one zero-padded). */
typedef struct { v128_t v[4]; } fp_vec;
typedef struct { v128_t g[FP_GROUPS]; fp_vec b; } fp_simd_operands;

FP_INLINE int fp_group_top(int g) { return 4 * (g / 2) + 2 + g % 2; }

FP_SIMD_INLINE void fp_vec_load(fp_vec *r, const limb_t *a)
{
    r->v[0] = wasm_v128_load(a);
    r->v[1] = wasm_v128_load(a + 4);
    r->v[2] = wasm_v128_load(a + 8);
    r->v[3] = wasm_v128_load64_zero(a + 12);
}

FP_SIMD_INLINE void fp_simd_load(fp_simd_operands *o, const limb_t *a, const limb_t *b)
{
    fp_vec x;
    fp_vec_load(&x, a);
    fp_vec_load(&o->b, b);
#pragma clang loop unroll(full)
    for (int v = 0; v < 4; v++) {
        o->g[2 * v] = wasm_i32x4_shuffle(x.v[v], x.v[v], 2, 2, 0, 0);
        o->g[2 * v + 1] = wasm_i32x4_shuffle(x.v[v], x.v[v], 3, 3, 1, 1);
    }
}

/* Vector j of b (limbs 4j..4j+3), zero outside b. */
FP_SIMD_INLINE v128_t fp_vec_at(const fp_vec *b, int j)
{
    return j < 0 || j > 3 ? wasm_i64x2_const(0, 0) : b->v[j];
}

/* The limbs b_s..b_(s+3), zero outside b: a lane shift of two vectors (one
 * x86 palignr), never a memory window, which would wait on the stores. */
FP_SIMD_INLINE v128_t fp_window(const fp_vec *b, int s)
{
    int j = s >= 0 ? s / 4 : -((3 - s) / 4), k = s - 4 * j;
    v128_t lo = fp_vec_at(b, j), hi = fp_vec_at(b, j + 1);
    switch (k) {
    case 0: return lo;
    case 1: return wasm_i32x4_shuffle(lo, hi, 1, 2, 3, 4);
    case 2: return wasm_i32x4_shuffle(lo, hi, 2, 3, 4, 5);
    default: return wasm_i32x4_shuffle(lo, hi, 3, 4, 5, 6);
    }
}

/* Columns 2m (lane 0) and 2m + 1 (lane 1) of a b. */
FP_SIMD_INLINE v128_t fp_simd_column_pair(const fp_simd_operands *o, int m)
{
    v128_t acc = wasm_i64x2_const(0, 0);
#pragma clang loop unroll(full)
    for (int g = 0; g < FP_GROUPS; g++) {
        int i = fp_group_top(g), s = 2 * m - i;
        int low = i < FP_LIMBS && s + 1 >= 0 && s < FP_LIMBS;   /* a_i b_s, a_i b_(s+1) */
        int high = s + 3 >= 0 && s + 2 < FP_LIMBS;              /* a_(i-2) b_(s+2), a_(i-2) b_(s+3) */
        if (!low && !high) continue;
        v128_t w = fp_window(&o->b, s);
        if (low) acc = wasm_i64x2_add(acc, wasm_u64x2_extmul_low_u32x4(o->g[g], w));
        if (high) acc = wasm_i64x2_add(acc, wasm_u64x2_extmul_high_u32x4(o->g[g], w));
    }
    return acc;
}

/*
 * Montgomery product: the columns of a b from the vector units, the reduction
 * in scalar code on the integer units, which run at the same time. Column k
 * gets q_i p_(k-i) as well; in the 14 low columns the digits q_k clear the low
 * 29 bits, so dropping them divides by 2^29 exactly, and the 13 high columns
 * are the result. The digits are serial (each depends on the sum so far), and
 * that chain, not the count of products, sets the time: so they are taken two
 * at a time, q_k + 2^29 q_(k+1) = -t p^-1 mod 2^58 for the low 58 bits of the
 * running sum t (i64.mul keeps the low 64 bits of a product, all we need),
 * which halves the chain. The digits are the same as one at a time.
 * Fully unrolled: every index is a constant, products by p's limbs are
 * multiplications by immediates.
 */
FP_SIMD_INLINE void fp_simd_mont(limb_t *r, const limb_t *a, const limb_t *b)
{
    fp_simd_operands o;
    limb_t q[FP_LIMBS];
    uint64_t acc = 0;
    fp_simd_load(&o, a, b);
#pragma clang loop unroll(full)
    for (int m = 0; m < FP_LIMBS; m++) {
        v128_t pair = fp_simd_column_pair(&o, m);
        uint64_t c0 = wasm_u64x2_extract_lane(pair, 0), c1 = wasm_u64x2_extract_lane(pair, 1);
        int k = 2 * m;
        if (k < FP_LIMBS) {
#pragma clang loop unroll(full)
            for (int i = 0; i < k; i++) {
                c0 += fp_prod(q[i], P[k - i]);
                c1 += fp_prod(q[i], P[k + 1 - i]);
            }
            uint64_t d = ((acc + c0 + (c1 << FP_LIMB_BITS)) * FP_N0_58) & FP_MASK_58;   /* wraps: fine mod 2^58 */
            q[k] = (limb_t)d & M;
            q[k + 1] = (limb_t)(d >> FP_LIMB_BITS);
            acc = (acc + c0 + fp_prod(q[k], P[0])) >> FP_LIMB_BITS;
            acc = (acc + c1 + fp_prod(q[k], P[1]) + fp_prod(q[k + 1], P[0])) >> FP_LIMB_BITS;
            continue;
        }
#pragma clang loop unroll(full)
        for (int i = k - FP_LIMBS + 1; i < FP_LIMBS; i++) c0 += fp_prod(q[i], P[k - i]);
        acc += c0;
        r[k - FP_LIMBS] = (limb_t)acc & M;
        acc >>= FP_LIMB_BITS;
        if (k + 1 == 2 * FP_LIMBS - 1) break;     /* column 27 is empty: acc is the top limb */
#pragma clang loop unroll(full)
        for (int i = k - FP_LIMBS + 2; i < FP_LIMBS; i++) c1 += fp_prod(q[i], P[k + 1 - i]);
        acc += c1;
        r[k + 1 - FP_LIMBS] = (limb_t)acc & M;
        acc >>= FP_LIMB_BITS;
    }
    r[FP_LIMBS - 1] = (limb_t)acc;
}

/* The kernel reads every input limb into vectors before it writes a limb of
 * t: r may alias a or b. */
FP_SIMD void fp_mul(fp *r, const fp *a, const fp *b)
{
    fp t;
    fp_simd_mont(t.l, a->l, b->l);
    *r = t;
}

/* The square as a product: the symmetric products would halve the vector
 * work, which is not what sets the time (the digit chain is), for twice the code. */
FP_SIMD void fp_sqr(fp *r, const fp *a) { fp_mul(r, a, a); }

/*
 * k a by left-to-right double-and-add over the bits of k. The loop length
 * depends on k only: callers pass small public constants (3, 4, 8, 12...).
 */
void fp_mul_small(fp *r, const fp *a, limb_t k)
{
    fp acc = FP_ZERO, sum;
    int top = 15;
    while (top > 0 && !((k >> top) & 1)) top--;
    for (int i = top; i >= 0; i--) {
        fp_dbl(&acc, &acc);
        fp_add(&sum, &acc, a);
        fp_cmov(&acc, &sum, (k >> i) & 1);
    }
    *r = acc;
}

/* ---- Comparisons and selection ------------------------------------------- */

/* In [0, 2p) the zero element has two representatives, 0 and p. */
limb_t fp_is_zero(const fp *a)
{
    limb_t zero = 0, is_p = 0;
    for (int i = 0; i < FP_LIMBS; i++) {
        zero |= a->l[i];
        is_p |= a->l[i] ^ P[i];
    }
    return ct_is_zero(launder(zero)) | ct_is_zero(launder(is_p));
}

limb_t fp_eq(const fp *a, const fp *b)
{
    fp d;
    fp_sub(&d, a, b);
    return fp_is_zero(&d);
}

void fp_cmov(fp *r, const fp *a, limb_t flag) { limbs_cmov(r->l, a->l, ct_mask(flag), FP_LIMBS); }

void fp_cswap(fp *a, fp *b, limb_t flag)
{
    limb_t mask = ct_mask(flag);
    for (int i = 0; i < FP_LIMBS; i++) {
        limb_t d = (a->l[i] ^ b->l[i]) & mask;
        a->l[i] ^= d;
        b->l[i] ^= d;
    }
}

/* ---- Conversions --------------------------------------------------------- */

/* 29-bit limbs of a canonical value (< 2^384) to twelve 32-bit words. */
static void fp_limbs_to_words(limb_t w[FP_WORDS], const limb_t *a)
{
    uint64_t acc = 0;
    int bits = 0, j = 0;
    for (int i = 0; i < FP_LIMBS; i++) {
        acc |= (uint64_t)a[i] << bits;
        bits += FP_LIMB_BITS;
        if (bits >= 32 && j < FP_WORDS) {
            w[j++] = (limb_t)acc;
            acc >>= 32;
            bits -= 32;
        }
    }
    while (j < FP_WORDS) {
        w[j++] = (limb_t)acc;
        acc >>= 32;
    }
}

static void fp_words_to_limbs(limb_t *a, const limb_t w[FP_WORDS])
{
    uint64_t acc = 0;
    int bits = 0, i = 0;
    for (int j = 0; j < FP_WORDS; j++) {
        acc |= (uint64_t)w[j] << bits;
        bits += 32;
        while (bits >= FP_LIMB_BITS && i < FP_LIMBS - 1) {
            a[i++] = (limb_t)acc & M;
            acc >>= FP_LIMB_BITS;
            bits -= FP_LIMB_BITS;
        }
    }
    a[FP_LIMBS - 1] = (limb_t)acc;
}

void fp_to_mont(fp *r, const fp *a) { fp_mul(r, a, &FP_R2); }

void fp_from_mont(fp *r, const fp *a)
{
    static const fp one_raw = {{1}};
    fp_mul(r, a, &one_raw);                        /* a / R + (q p) / R <= p */
    fp_canonical(r, r);
}

/* The canonical integer of a as twelve 32-bit words. */
static void fp_to_words(limb_t w[FP_WORDS], const fp *a)
{
    fp c;
    fp_from_mont(&c, a);
    fp_limbs_to_words(w, c.l);
}

limb_t fp_sgn0(const fp *a)
{
    fp c;
    fp_from_mont(&c, a);
    return c.l[0] & 1;
}

/* a > (p-1)/2 iff canonical a >= (p+1)/2, i.e. a - (p+1)/2 does not borrow. */
limb_t fp_is_lexicographically_largest(const fp *a)
{
    limb_t c[FP_WORDS], d[FP_WORDS];
    fp_to_words(c, a);
    return 1 ^ limbs_sub(d, c, FP_P_PLUS_1_DIV_2, FP_WORDS);
}

void fp_from_u32(fp *r, uint32_t v)
{
    fp raw = {{v & M, v >> FP_LIMB_BITS}};
    fp_to_mont(r, &raw);
}

limb_t fp_from_bytes(fp *r, const uint8_t in[48])
{
    limb_t w[FP_WORDS], d[FP_WORDS];
    fp raw;
    limbs_from_be(w, in, 48, FP_WORDS);
    limb_t ok = limbs_sub(d, w, FP_MODULUS_WORDS, FP_WORDS);  /* borrows iff w < p */
    for (int i = 0; i < FP_WORDS; i++) w[i] &= ct_mask(ok);   /* a refused value becomes 0 */
    fp_words_to_limbs(raw.l, w);
    fp_to_mont(r, &raw);
    return ok;
}

void fp_to_bytes(uint8_t out[48], const fp *a)
{
    limb_t w[FP_WORDS];
    fp_to_words(w, a);
    limbs_to_be(out, w, FP_WORDS);
}

/*
 * Horner over 47-byte chunks (each < 2^376 < p, so each is a valid
 * Montgomery input): acc = acc 2^376 + chunk. The chunk sizes depend on
 * len only, which is public.
 */
void fp_from_bytes_reduce(fp *r, const uint8_t *in, size_t len)
{
    fp acc = FP_ZERO, x;
    limb_t w[FP_WORDS];
    size_t take = len % FP_CHUNK_BYTES;
    if (take == 0) take = FP_CHUNK_BYTES;
    for (size_t off = 0; off < len; off += take, take = FP_CHUNK_BYTES) {
        limbs_from_be(w, in + off, take, FP_WORDS);
        fp_words_to_limbs(x.l, w);
        fp_to_mont(&x, &x);
        fp_mul(&acc, &acc, &FP_CHUNK_SHIFT);       /* acc 2^376 */
        fp_add(&acc, &acc, &x);
    }
    *r = acc;
    secure_zero(&x, sizeof x);
    secure_zero(w, sizeof w);
}

/* ---- Exponentiation, inversion, square roots ------------------------------ */

static limb_t fp_exp_bit(const limb_t *e, int i) { return (e[i / 32] >> (i % 32)) & 1; }

/*
 * r = a^e for a public exponent e (twelve 32-bit words, e > 0) by left-to-right
 * sliding windows of up to 5 bits over a table of odd powers a^1..a^31.
 * Windows, squarings and table indices follow the bits of e only, never
 * the value of a, so the time is independent of a. For (p-3)/4: 378
 * squarings and about 70 products (Handbook of Applied Cryptography, 14.85).
 */
static void fp_pow_public_exp(fp *r, const fp *a, const limb_t *e)
{
    fp tab[16], a2, acc = FP_ONE;
    int i = 32 * FP_WORDS - 1, first = 1;
    tab[0] = *a;
    fp_sqr(&a2, a);
    for (int k = 1; k < 16; k++) fp_mul(&tab[k], &tab[k - 1], &a2);   /* a^(2k+1) */
    while (i >= 0 && !fp_exp_bit(e, i)) i--;
    while (i >= 0) {
        if (!fp_exp_bit(e, i)) {
            fp_sqr(&acc, &acc);
            i--;
            continue;
        }
        int j = i - 4 < 0 ? 0 : i - 4, w = 0;
        while (!fp_exp_bit(e, j)) j++;                   /* windows end in a 1 bit */
        for (int k = i; k >= j; k--) w = 2 * w + (int)fp_exp_bit(e, k);
        for (int k = i; k >= j && !first; k--) fp_sqr(&acc, &acc);
        if (first) acc = tab[w >> 1];
        else fp_mul(&acc, &acc, &tab[w >> 1]);
        first = 0;
        i = j - 1;
    }
    *r = acc;
    secure_zero(tab, sizeof tab);
    secure_zero(&a2, sizeof a2);
    secure_zero(&acc, sizeof acc);
}

/*
 * Bernstein-Yang inversion (safegcd.h) of the canonical integer a = x R,
 * giving x^-1 R^-1; one Montgomery product with R^3 makes it x^-1 R. 0 maps to 0.
 */
void fp_inv(fp *r, const fp *a)
{
    fp c, t;
    limb_t w[FP_WORDS], v[FP_WORDS];
    fp_canonical(&c, a);
    fp_limbs_to_words(w, c.l);
    sg_inverse(v, w, FP_WORDS, FP_SG_M30, FP_SG_MINV30, FP_SG_LIMBS, FP_SG_BATCHES, FP_SG_BOUND);
    fp_words_to_limbs(t.l, v);
    fp_mul(r, &t, &FP_R3);
    secure_zero(&c, sizeof c);
    secure_zero(&t, sizeof t);
    secure_zero(w, sizeof w);
    secure_zero(v, sizeof v);
}

void fp_pow_p_minus_3_over_4(fp *r, const fp *a) { fp_pow_public_exp(r, a, FP_P_MINUS_3_DIV_4); }

/* p = 3 mod 4: sqrt(a) = a^((p+1)/4) = a a^((p-3)/4), then check it. */
limb_t fp_sqrt(fp *r, const fp *a)
{
    fp s, chk;
    fp_pow_p_minus_3_over_4(&s, a);
    fp_mul(&s, &s, a);
    fp_sqr(&chk, &s);
    *r = s;
    secure_zero(&s, sizeof s);
    return fp_eq(&chk, a);
}

/* Euler's criterion: a^((p-1)/2) = (a^((p-3)/4))^2 a is 1 or 0 for squares. */
limb_t fp_is_square(const fp *a)
{
    fp t;
    fp_pow_p_minus_3_over_4(&t, a);
    fp_sqr(&t, &t);
    fp_mul(&t, &t, a);
    limb_t sq = fp_eq(&t, &FP_ONE) | fp_is_zero(a);
    secure_zero(&t, sizeof t);
    return sq;
}

#undef P
#undef P2
#undef M
