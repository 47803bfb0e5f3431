/*
 * Optimal-ate pairing on BLS12-381 and the multi-pairing that shares one
 * Miller-loop squaring chain and one final exponentiation.
 * Inputs are public points (pairing arguments are never secret here).
 */
#ifndef DTA_PAIRING_H
#define DTA_PAIRING_H
#include "fp12.h"
#include "g1.h"
#include "g2.h"

/* f = prod MillerLoop(p[i], q[i]); infinity in either slot contributes 1. */
void miller_loop_n(fp12 *f, const g1_affine *p, const g2_affine *q, size_t n);
/* f^((p^12 - 1)/r), the reduced pairing, equal to noble-curves' output. */
void final_exponentiation(fp12 *r, const fp12 *f);
void pairing(fp12 *r, const g1_affine *p, const g2_affine *q);
/* 1 when prod e(p[i], q[i]) == 1. */
limb_t pairing_product_is_one(const g1_affine *p, const g2_affine *q, size_t n);

#endif
