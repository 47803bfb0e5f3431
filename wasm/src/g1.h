/*
 * G1: E(Fp): y^2 = x^3 + 4, prime-order subgroup of order r.
 * Points in Jacobian coordinates (X/Z^2, Y/Z^3); infinity has Z = 0.
 * Affine infinity is (0, 0), which is not on the curve.
 * Unless the name ends in _vartime, functions are constant time and handle
 * infinity and doubling inside the formulas, without branches.
 */
#ifndef DTA_G1_H
#define DTA_G1_H
#include "fp.h"
#include "fr.h"

typedef struct { fp x, y, z; } g1;
typedef struct { fp x, y; } g1_affine;

extern const g1 G1_GENERATOR;
extern const g1 G1_INFINITY;

void g1_dbl(g1 *r, const g1 *p);
void g1_add(g1 *r, const g1 *p, const g1 *q);               /* complete: any inputs */
void g1_add_affine(g1 *r, const g1 *p, const g1_affine *q);  /* complete: any inputs */
void g1_neg(g1 *r, const g1 *p);
limb_t g1_is_inf(const g1 *p);
limb_t g1_eq(const g1 *p, const g1 *q);                      /* projective equality */
void g1_to_affine(g1_affine *r, const g1 *p);                /* inf -> (0,0) */
void g1_from_affine(g1 *r, const g1_affine *p);              /* (0,0) -> inf */
void g1_cmov(g1 *r, const g1 *p, limb_t flag);
DTA_MUST_CHECK limb_t g1_affine_on_curve(const g1_affine *p);  /* (0,0) counts as on curve */
/*
 * Scalar multiplication, s < r. p must be in G1: both use the GLV
 * endomorphism phi, which acts as -u^2 only there, and tables of small
 * multiples that assume p = 0 or of order r. For g1_mult_vartime and
 * s < u^2 (about 2^127.4, e.g. the cofactor (u-1)^2/3) phi plays no part,
 * so a point of E(Fp) outside G1 also works, unless its order is below 18
 * (then the result is infinity, which is right when the order divides s,
 * as for the cofactor). g1_mult needs p in G1 (its additions rely on the
 * order being r to skip the doubling case). g1_mult is constant time in s
 * (secret scalars).
 */
void g1_mult(g1 *r, const g1 *p, const scalar *s);
/* Variable time, public scalars only. */
void g1_mult_vartime(g1 *r, const g1 *p, const scalar *s);
/* sum s[i] * p[i] for s[i] < r, variable time (any points of E(Fp), no
 * endomorphism). scratch: g1_msm_scratch_size(n) bytes, aligned for g1. */
size_t g1_msm_scratch_size(size_t n);
void g1_msm_vartime(g1 *r, const g1_affine *p, const scalar *s, size_t n, void *scratch);
/* Multiplication by the small public integer |u|-sized values used by subgroup checks/cofactors. */
void g1_mult_by_u64_vartime(g1 *r, const g1 *p, uint64_t k);
/* Membership in the order-r subgroup, endomorphism-based (public input,
 * variable time). p must be on the curve. */
DTA_MUST_CHECK limb_t g1_in_subgroup(const g1 *p);
/* Multiplication by the effective cofactor h_eff = 1 - u (RFC 9380 8.8.1). */
void g1_clear_cofactor(g1 *r, const g1 *p);

#endif
