/* Fp6 = Fp2[v]/(v^3 - (1 + u)). Constant time. */
#ifndef DTA_FP6_H
#define DTA_FP6_H
#include "fp2.h"

typedef struct { fp2 c0, c1, c2; } fp6;  /* c0 + c1 v + c2 v^2 */
extern const fp6 FP6_ZERO, FP6_ONE;

void fp6_add(fp6 *r, const fp6 *a, const fp6 *b);
void fp6_sub(fp6 *r, const fp6 *a, const fp6 *b);
void fp6_neg(fp6 *r, const fp6 *a);
/* fp6_mul and fp6_mul_by_01 take coefficients below 4p: their sums of two
 * inputs are left unreduced, below the 8p that fp2_mul takes. */
void fp6_mul(fp6 *r, const fp6 *a, const fp6 *b);
void fp6_add_unreduced(fp6 *r, const fp6 *a, const fp6 *b);  /* only as an input of fp6_mul */
void fp6_sqr(fp6 *r, const fp6 *a);
void fp6_mul_by_nonresidue(fp6 *r, const fp6 *a);      /* times v */
void fp6_mul_by_01(fp6 *r, const fp6 *a, const fp2 *b0, const fp2 *b1);  /* b = b0 + b1 v */
void fp6_mul_by_1(fp6 *r, const fp6 *a, const fp2 *b1);                  /* b = b1 v */
void fp6_mul_fp2(fp6 *r, const fp6 *a, const fp2 *b);
void fp6_inv(fp6 *r, const fp6 *a);
void fp6_frobenius(fp6 *r, const fp6 *a, int power);  /* a^(p^power), power 1..3 */
limb_t fp6_is_zero(const fp6 *a);
limb_t fp6_eq(const fp6 *a, const fp6 *b);
void fp6_cmov(fp6 *r, const fp6 *a, limb_t flag);

#endif
