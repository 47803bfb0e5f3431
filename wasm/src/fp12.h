/* Fp12 = Fp6[w]/(w^2 - v). Constant time. GT lives here. */
#ifndef DTA_FP12_H
#define DTA_FP12_H
#include "fp6.h"

typedef struct { fp6 c0, c1; } fp12;     /* c0 + c1 w */
extern const fp12 FP12_ONE;

void fp12_mul(fp12 *r, const fp12 *a, const fp12 *b);
void fp12_sqr(fp12 *r, const fp12 *a);
/* Granger-Scott squaring, valid for elements of the cyclotomic subgroup. */
void fp12_cyclotomic_sqr(fp12 *r, const fp12 *a);
/* Sparse products with line functions live in pairing.c, which knows the line shape. */
void fp12_conj(fp12 *r, const fp12 *a);        /* a^(p^6); the inverse on the cyclotomic subgroup */
void fp12_inv(fp12 *r, const fp12 *a);
void fp12_frobenius(fp12 *r, const fp12 *a, int power);  /* a^(p^power), power 1..3 */
DTA_MUST_CHECK limb_t fp12_is_one(const fp12 *a);
limb_t fp12_eq(const fp12 *a, const fp12 *b);
void fp12_cmov(fp12 *r, const fp12 *a, limb_t flag);
/* 576 bytes, c0.c0.c0 first (see include/dta.h). */
void fp12_to_bytes(uint8_t out[576], const fp12 *a);
limb_t fp12_from_bytes(fp12 *r, const uint8_t in[576]);

#endif
