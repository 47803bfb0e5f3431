/* Fp2 = Fp[u]/(u^2 + 1). Constant time, aliasing allowed. */
#ifndef DTA_FP2_H
#define DTA_FP2_H
#include "fp.h"

typedef struct { fp c0, c1; } fp2;       /* c0 + c1*u */
extern const fp2 FP2_ZERO, FP2_ONE;

void fp2_add(fp2 *r, const fp2 *a, const fp2 *b);
void fp2_sub(fp2 *r, const fp2 *a, const fp2 *b);
void fp2_dbl(fp2 *r, const fp2 *a);
void fp2_neg(fp2 *r, const fp2 *a);
void fp2_conj(fp2 *r, const fp2 *a);             /* also the p-power Frobenius */
/* fp2_mul takes coefficients below 8p (unreduced sums of sums): its own sums
 * stay below 16p and 256 p^2 < p 2^406, fp_mul's bound. */
void fp2_mul(fp2 *r, const fp2 *a, const fp2 *b);
/* a + b without reduction: only ever an input of fp2_mul (or of fp6_mul,
 * fp6_mul_by_01 when a and b are below 2p). */
void fp2_add_unreduced(fp2 *r, const fp2 *a, const fp2 *b);
void fp2_sqr(fp2 *r, const fp2 *a);
void fp2_mul_fp(fp2 *r, const fp2 *a, const fp *b);
void fp2_mul_small(fp2 *r, const fp2 *a, limb_t k);
void fp2_mul_by_nonresidue(fp2 *r, const fp2 *a);  /* times (1 + u), the Fp6 non-residue */
void fp2_mul_by_u(fp2 *r, const fp2 *a);
void fp2_inv(fp2 *r, const fp2 *a);              /* inv(0) = 0 */
void fp2_half(fp2 *r, const fp2 *a);
limb_t fp2_sqrt(fp2 *r, const fp2 *a);           /* 1 if square; constant time */
/* r^2 = a for any a, given s with s^2 = a0^2 + a1^2 (its norm); constant time. */
void fp2_sqrt_from_norm_root(fp2 *r, const fp2 *a, const fp *s);
limb_t fp2_is_square(const fp2 *a);
limb_t fp2_is_zero(const fp2 *a);
limb_t fp2_eq(const fp2 *a, const fp2 *b);
limb_t fp2_sgn0(const fp2 *a);                   /* RFC 9380 sgn0 for m = 2 */
limb_t fp2_is_lexicographically_largest(const fp2 *a); /* ZCash rule: c1 decides unless 0 */
void fp2_cmov(fp2 *r, const fp2 *a, limb_t flag);
void fp2_cswap(fp2 *a, fp2 *b, limb_t flag);
/* ZCash order c1 || c0, 96 bytes; fp2_from_bytes returns 0 if either is >= p. */
limb_t fp2_from_bytes(fp2 *r, const uint8_t in[96]);
void fp2_to_bytes(uint8_t out[96], const fp2 *a);

#endif
