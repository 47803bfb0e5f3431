/*
 * Fp, the BLS12-381 base field: Montgomery arithmetic on twelve 32-bit limbs.
 * Every value is kept fully reduced in [0, p); every function is constant
 * time in its field-element arguments.
 */
#include "fp.h"
#include "limbs.h"
#include "field_consts.h"
#include "safegcd.h"

const fp FP_ZERO = {{0}};
const fp FP_ONE = FP_ONE_INIT;

#define P FP_MODULUS.l  /* the modulus limbs; #undef at the end of the file */

void fp_add(fp *r, const fp *a, const fp *b) { limbs_mod_add(r->l, a->l, b->l, P, FP_LIMBS); }
void fp_sub(fp *r, const fp *a, const fp *b) { limbs_mod_sub(r->l, a->l, b->l, P, FP_LIMBS); }
void fp_dbl(fp *r, const fp *a) { limbs_mod_add(r->l, a->l, a->l, P, FP_LIMBS); }
void fp_neg(fp *r, const fp *a) { limbs_mod_sub(r->l, FP_ZERO.l, a->l, P, FP_LIMBS); }

/* a/2: add p first when a is odd so the shift is exact. */
void fp_half(fp *r, const fp *a)
{
    limb_t mask = ct_mask(a->l[0]), pm[FP_LIMBS], t[FP_LIMBS];
    for (int i = 0; i < FP_LIMBS; i++) pm[i] = P[i] & mask;
    limbs_add(t, a->l, pm, FP_LIMBS);              /* < 2p < 2^382: no carry out */
    for (int i = 0; i < FP_LIMBS - 1; i++) r->l[i] = (t[i] >> 1) | (t[i + 1] << 31);
    r->l[FP_LIMBS - 1] = t[FP_LIMBS - 1] >> 1;
}

/*
 * Inputs below 2p are fine: the CIOS running value stays below a + p < 2^384
 * and the result below a b / 2^384 + p < 2p, so one subtraction reduces it.
 */
void fp_mul(fp *r, const fp *a, const fp *b)
{
    limbs_mont_mul(r->l, a->l, b->l, P, FP_N0, FP_LIMBS);
}

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

/* t = a b as a 24-limb integer: schoolbook rows, fully unrolled. */
void fp_mul_wide(fp_wide *t, const fp *a, const fp *b)
{
    limb_t w[2 * FP_LIMBS];
#pragma clang loop unroll(full)
    for (int j = 0; j < FP_LIMBS; j++) w[j] = 0;
#pragma clang loop unroll(full)
    for (int i = 0; i < FP_LIMBS; i++) {
        uint64_t c = 0;
#pragma clang loop unroll(full)
        for (int j = 0; j < FP_LIMBS; j++) {
            c += (uint64_t)a->l[j] * b->l[i] + w[i + j];
            w[i + j] = (limb_t)c;
            c >>= 32;
        }
        w[i + FP_LIMBS] = (limb_t)c;
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < 2 * FP_LIMBS; i++) t->l[i] = w[i];
}

/*
 * t = a^2 as a 24-limb integer with 78 products instead of 144: the
 * products a_i a_j, i < j, once, then doubled, plus the squares a_i^2.
 */
static void fp_sqr_wide(fp_wide *t, const fp *a)
{
    limb_t w[2 * FP_LIMBS];
#pragma clang loop unroll(full)
    for (int j = 0; j < 2 * FP_LIMBS; j++) w[j] = 0;
#pragma clang loop unroll(full)
    for (int i = 0; i < FP_LIMBS - 1; i++) {
        uint64_t c = 0;
#pragma clang loop unroll(full)
        for (int j = i + 1; j < FP_LIMBS; j++) {
            c += (uint64_t)a->l[i] * a->l[j] + w[i + j];
            w[i + j] = (limb_t)c;
            c >>= 32;
        }
        w[i + FP_LIMBS] = (limb_t)c;
    }
    uint64_t c = 0;
#pragma clang loop unroll(full)
    for (int i = 0; i < FP_LIMBS; i++) {
        uint64_t d = (uint64_t)a->l[i] * a->l[i];
        c += ((uint64_t)w[2 * i] << 1) + (limb_t)d;
        t->l[2 * i] = (limb_t)c;
        c >>= 32;
        c += ((uint64_t)w[2 * i + 1] << 1) + (d >> 32);
        t->l[2 * i + 1] = (limb_t)c;
        c >>= 32;
    }
}

/*
 * Montgomery reduction of t < p 2^384: adds q_i p 2^(32 i) limb by limb to
 * clear the low half, then one conditional subtraction (the result is < 2p).
 */
void fp_redc(fp *r, const fp_wide *t)
{
    limb_t w[2 * FP_LIMBS];
    uint64_t hi = 0;                                /* carry into w[i + 12] */
#pragma clang loop unroll(full)
    for (int i = 0; i < 2 * FP_LIMBS; i++) w[i] = t->l[i];
#pragma clang loop unroll(full)
    for (int i = 0; i < FP_LIMBS; i++) {
        limb_t q = w[i] * FP_N0;                   /* w[i] + q p[0] = 0 mod 2^32 */
        uint64_t c = ((uint64_t)q * P[0] + w[i]) >> 32;
#pragma clang loop unroll(full)
        for (int j = 1; j < FP_LIMBS; j++) {
            c += (uint64_t)q * P[j] + w[i + j];
            w[i + j] = (limb_t)c;
            c >>= 32;
        }
        hi += c + w[i + FP_LIMBS];
        w[i + FP_LIMBS] = (limb_t)hi;
        hi >>= 32;
    }
    limbs_cond_sub(r->l, w + FP_LIMBS, P, FP_LIMBS);
}

void fp_sqr(fp *r, const fp *a)
{
    fp_wide t;
    fp_sqr_wide(&t, a);
    fp_redc(r, &t);
}

limb_t fp_is_zero(const fp *a) { return limbs_is_zero(a->l, FP_LIMBS); }

limb_t fp_eq(const fp *a, const fp *b)
{
    limb_t acc = 0;
    for (int i = 0; i < FP_LIMBS; i++) acc |= a->l[i] ^ b->l[i];
    return ct_is_zero(launder(acc));
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

void fp_to_mont(fp *r, const fp *a) { fp_mul(r, a, &FP_R2); }

void fp_from_mont(fp *r, const fp *a)
{
    static const fp one_raw = {{1}};
    fp_mul(r, a, &one_raw);
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
    fp c, d;
    fp_from_mont(&c, a);
    return 1 ^ limbs_sub(d.l, c.l, FP_P_PLUS_1_DIV_2.l, FP_LIMBS);
}

void fp_from_u32(fp *r, uint32_t v)
{
    fp raw = {{v}};
    fp_to_mont(r, &raw);
}

limb_t fp_from_bytes(fp *r, const uint8_t in[48])
{
    fp raw, d;
    limbs_from_be(raw.l, in, 48, FP_LIMBS);
    limb_t ok = limbs_sub(d.l, raw.l, P, FP_LIMBS);  /* borrows iff raw < p */
    limbs_cmov(raw.l, FP_ZERO.l, ct_mask(ok ^ 1), FP_LIMBS);
    fp_to_mont(r, &raw);
    return ok;
}

void fp_to_bytes(uint8_t out[48], const fp *a)
{
    fp c;
    fp_from_mont(&c, a);
    limbs_to_be(out, c.l, FP_LIMBS);
}

/*
 * Horner over 47-byte chunks (each < 2^376 < p, so each is a valid
 * Montgomery input): acc = acc 2^376 + chunk. The chunk sizes depend on
 * len only, which is public.
 */
void fp_from_bytes_reduce(fp *r, const uint8_t *in, size_t len)
{
    fp acc = FP_ZERO, x;
    size_t take = len % FP_CHUNK_BYTES;
    if (take == 0) take = FP_CHUNK_BYTES;
    for (size_t off = 0; off < len; off += take, take = FP_CHUNK_BYTES) {
        limbs_from_be(x.l, in + off, take, FP_LIMBS);
        fp_to_mont(&x, &x);
        fp_mul(&acc, &acc, &FP_CHUNK_SHIFT);       /* acc 2^376 */
        fp_add(&acc, &acc, &x);
    }
    *r = acc;
    secure_zero(&x, sizeof x);
}

static limb_t fp_exp_bit(const fp *e, int i) { return (e->l[i / 32] >> (i % 32)) & 1; }

/*
 * r = a^e for a public exponent e (raw limbs, e > 0) by left-to-right
 * sliding windows of up to 5 bits over a table of odd powers a^1..a^31.
 * Windows, squarings and table indices follow the bits of e only, never
 * the value of a, so the time is independent of a. For (p-3)/4: 378
 * squarings and about 70 products (Handbook of Applied Cryptography, 14.85).
 */
static void fp_pow_public_exp(fp *r, const fp *a, const fp *e)
{
    fp tab[16], a2, acc = FP_ONE;
    int i = 32 * FP_LIMBS - 1, first = 1;
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
 * Bernstein-Yang inversion (safegcd.h) of the integer a = x R, giving
 * x^-1 R^-1; one Montgomery product with R^3 makes it x^-1 R. 0 maps to 0.
 */
void fp_inv(fp *r, const fp *a)
{
    fp t;
    sg_inverse(t.l, a->l, FP_LIMBS, FP_SG_M30, FP_SG_MINV30, FP_SG_LIMBS, FP_SG_BATCHES,
               FP_SG_BOUND);
    fp_mul(r, &t, &FP_R3);
    secure_zero(&t, sizeof t);
}

void fp_pow_p_minus_3_over_4(fp *r, const fp *a) { fp_pow_public_exp(r, a, &FP_P_MINUS_3_DIV_4); }

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
