/*
 * Fp, the 381-bit base field of BLS12-381, in Montgomery form (R = 2^406),
 * fourteen unsaturated 29-bit limbs, little-endian: every limb below 2^29, so
 * a column of 32x32->64 products has room for its carries (fp.c). Values are
 * kept lazily in [0, 2p), not fully reduced: p and 0 are both zero. Whatever
 * depends on the representative (equality, zero test, sign, encoding) reduces
 * first. Every function is constant time; aliasing of outputs and inputs is
 * allowed everywhere.
 */
#ifndef DTA_FP_H
#define DTA_FP_H
#include "types.h"

#define FP_LIMBS 14
#define FP_LIMB_BITS 29
#define FP_LIMB_MASK 0x1fffffffU
typedef struct { limb_t l[FP_LIMBS]; } fp;

extern const fp FP_ZERO, FP_ONE;     /* ONE is R mod p */

void fp_add(fp *r, const fp *a, const fp *b);
void fp_sub(fp *r, const fp *a, const fp *b);
void fp_dbl(fp *r, const fp *a);
void fp_neg(fp *r, const fp *a);                  /* -0 = 0 */
void fp_half(fp *r, const fp *a);
/* fp_mul and fp_sqr also accept the unreduced values below 4p that the two
 * functions after them make, and still return a value below 2p: 16p < 2^406. */
void fp_mul(fp *r, const fp *a, const fp *b);
void fp_sqr(fp *r, const fp *a);
void fp_add_unreduced(fp *r, const fp *a, const fp *b);  /* a + b < 4p: only for fp_mul/fp_sqr */
void fp_sub_unreduced(fp *r, const fp *a, const fp *b);  /* a - b + 2p < 4p: idem */
void fp_mul_small(fp *r, const fp *a, limb_t k);  /* k < 2^16 */

void fp_inv(fp *r, const fp *a);                  /* inv(0) = 0, constant time */
/* r = a^((p-3)/4), the shared step of sqrt and inverse-sqrt. */
void fp_pow_p_minus_3_over_4(fp *r, const fp *a);
/* r = sqrt(a) when a is a square; returns 1 if it is, else 0 (r then garbage). */
limb_t fp_sqrt(fp *r, const fp *a);
limb_t fp_is_square(const fp *a);                 /* 1 for squares and 0 */

/* The unique representative in [0, p), for code that reads the limbs. */
void fp_canonical(fp *r, const fp *a);
limb_t fp_is_zero(const fp *a);                   /* 1 or 0 */
limb_t fp_eq(const fp *a, const fp *b);           /* 1 or 0 */
limb_t fp_sgn0(const fp *a);                      /* parity of the canonical value */
/* RFC 9380 / ZCash "lexicographically largest": a > (p-1)/2 */
limb_t fp_is_lexicographically_largest(const fp *a);
void fp_cmov(fp *r, const fp *a, limb_t flag);    /* r = flag ? a : r, flag 0/1 */
void fp_cswap(fp *a, fp *b, limb_t flag);

void fp_from_u32(fp *r, uint32_t v);
/* Canonical big-endian 48 bytes; returns 0 (and r = 0) if the value is >= p. */
limb_t fp_from_bytes(fp *r, const uint8_t in[48]);
void fp_to_bytes(uint8_t out[48], const fp *a);
/* Any big-endian byte string (up to 96 bytes) reduced mod p, for hash_to_field. */
void fp_from_bytes_reduce(fp *r, const uint8_t *in, size_t len);
/* Raw canonical integer limbs <-> Montgomery form (fp_from_mont: canonical). */
void fp_to_mont(fp *r, const fp *a);
void fp_from_mont(fp *r, const fp *a);

#endif
