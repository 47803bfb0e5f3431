/*
 * Fr, the BLS12-381 scalar field: Montgomery arithmetic on eight 32-bit
 * limbs (R = 2^256), fully reduced, constant time.
 */
#include "fr.h"
#include "limbs.h"
#include "field_consts.h"
#include "safegcd.h"

const fr FR_ZERO = {{0}};
const fr FR_ONE = FR_ONE_INIT;

#define RM FR_MODULUS.l  /* the modulus limbs; #undef at the end of the file */

void fr_add(fr *r, const fr *a, const fr *b) { limbs_mod_add(r->l, a->l, b->l, RM, FR_LIMBS); }
void fr_sub(fr *r, const fr *a, const fr *b) { limbs_mod_sub(r->l, a->l, b->l, RM, FR_LIMBS); }
void fr_neg(fr *r, const fr *a) { limbs_mod_sub(r->l, FR_ZERO.l, a->l, RM, FR_LIMBS); }

void fr_mul(fr *r, const fr *a, const fr *b)
{
    limbs_mont_mul(r->l, a->l, b->l, RM, FR_N0, FR_LIMBS);
}

void fr_sqr(fr *r, const fr *a) { fr_mul(r, a, a); }

/* Bernstein-Yang inversion (safegcd.h), then back to Montgomery form as in fp_inv. */
void fr_inv(fr *r, const fr *a)
{
    fr t;
    sg_inverse(t.l, a->l, FR_LIMBS, FR_SG_M30, FR_SG_MINV30, FR_SG_LIMBS, FR_SG_BATCHES,
               FR_SG_BOUND);
    fr_mul(r, &t, &FR_R3);
    secure_zero(&t, sizeof t);
}

limb_t fr_is_zero(const fr *a) { return limbs_is_zero(a->l, FR_LIMBS); }

limb_t fr_eq(const fr *a, const fr *b)
{
    limb_t acc = 0;
    for (int i = 0; i < FR_LIMBS; i++) acc |= a->l[i] ^ b->l[i];
    return ct_is_zero(launder(acc));
}

static void fr_to_mont(fr *r, const fr *a) { fr_mul(r, a, &FR_R2); }

static void fr_from_mont(fr *r, const fr *a)
{
    static const fr one_raw = {{1}};
    fr_mul(r, a, &one_raw);
}

void fr_from_u32(fr *r, uint32_t v)
{
    fr raw = {{v}};
    fr_to_mont(r, &raw);
}

/* Big-endian 32 bytes to canonical limbs; returns 1 iff < r, else zeroes. */
static limb_t fr_load_canonical(limb_t l[FR_LIMBS], const uint8_t in[32])
{
    limb_t d[FR_LIMBS];
    limbs_from_be(l, in, 32, FR_LIMBS);
    limb_t ok = limbs_sub(d, l, RM, FR_LIMBS);      /* borrows iff value < r */
    limbs_cmov(l, FR_ZERO.l, ct_mask(ok ^ 1), FR_LIMBS);
    return ok;
}

limb_t fr_from_bytes(fr *r, const uint8_t in[32])
{
    fr raw;
    limb_t ok = fr_load_canonical(raw.l, in);
    fr_to_mont(r, &raw);
    secure_zero(&raw, sizeof raw);
    return ok;
}

void fr_to_bytes(uint8_t out[32], const fr *a)
{
    fr c;
    fr_from_mont(&c, a);
    limbs_to_be(out, c.l, FR_LIMBS);
    secure_zero(&c, sizeof c);
}

/* Horner over 31-byte chunks (each < 2^248 < r), as in fp_from_bytes_reduce. */
void fr_from_bytes_reduce(fr *r, const uint8_t *in, size_t len)
{
    fr acc = FR_ZERO, x;
    size_t take = len % FR_CHUNK_BYTES;
    if (take == 0) take = FR_CHUNK_BYTES;
    for (size_t off = 0; off < len; off += take, take = FR_CHUNK_BYTES) {
        limbs_from_be(x.l, in + off, take, FR_LIMBS);
        fr_to_mont(&x, &x);
        fr_mul(&acc, &acc, &FR_CHUNK_SHIFT);       /* acc 2^248 */
        fr_add(&acc, &acc, &x);
    }
    *r = acc;
    secure_zero(&acc, sizeof acc);
    secure_zero(&x, sizeof x);
}

void fr_to_scalar(scalar *s, const fr *a)
{
    fr c;
    fr_from_mont(&c, a);
    for (int i = 0; i < FR_LIMBS; i++) s->l[i] = c.l[i];
    secure_zero(&c, sizeof c);
}

limb_t scalar_from_bytes(scalar *s, const uint8_t in[32])
{
    return fr_load_canonical(s->l, in);
}

#undef RM
