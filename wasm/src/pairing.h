/*
 * Optimal-ate pairing on BLS12-381 and the multi-pairing that shares one
 * Miller-loop squaring chain and one final exponentiation.
 * Constant time (M-Pin Full pairs a secret client token): only whether an
 * argument is infinity shows in the timing.
 */
#ifndef DTA_PAIRING_H
#define DTA_PAIRING_H
#include "fp12.h"
#include "g1.h"
#include "g2.h"

/* f = conj(prod f_{|u|,q[i]}(p[i])), the Miller loop value for u < 0 as
 * noble-curves forms it (up to factors the final exponentiation erases);
 * a pair with infinity in either slot contributes 1; any n. */
void miller_loop_n(fp12 *f, const g1_affine *p, const g2_affine *q, size_t n);
/* miller_loop_n for 1 <= n <= 8 pairs, none at infinity (the caller checks),
 * that also hands out multiples[i] = |u| q[i] in homogeneous projective
 * coordinates (x = X/Z, y = Y/Z), the multiple the loop builds anyway; a
 * multiple with Z = 0 means q[i] has an order below 2^64 (pairing.c). */
void miller_loop_with_multiples(fp12 *f, const g1_affine *p, const g2_affine *q, size_t n, g2 *multiples);
/* f^(3 (p^12 - 1)/r): the cube of the reduced pairing, byte-identical to
 * noble-curves' output, whose hard part carries the same factor 3.
 * Cubing is a bijection on GT, so this is still a non-degenerate bilinear
 * pairing; pairing() and the product check below inherit it. */
void final_exponentiation(fp12 *r, const fp12 *f);
void pairing(fp12 *r, const g1_affine *p, const g2_affine *q);
/* 1 when prod e(p[i], q[i]) == 1. */
DTA_MUST_CHECK limb_t pairing_product_is_one(const g1_affine *p, const g2_affine *q, size_t n);

#endif
