/*
 * G2: E'(Fp2): y^2 = x^3 + 4(1 + u), the M-type sextic twist, subgroup of order r.
 * Same conventions as g1.h. psi is the untwist-Frobenius-twist endomorphism.
 */
#ifndef DTA_G2_H
#define DTA_G2_H
#include "fp2.h"
#include "fr.h"

typedef struct { fp2 x, y, z; } g2;
typedef struct { fp2 x, y; } g2_affine;

extern const g2 G2_GENERATOR;
extern const g2 G2_INFINITY;

void g2_dbl(g2 *r, const g2 *p);
void g2_add(g2 *r, const g2 *p, const g2 *q);
void g2_add_affine(g2 *r, const g2 *p, const g2_affine *q);
void g2_neg(g2 *r, const g2 *p);
limb_t g2_is_inf(const g2 *p);
limb_t g2_eq(const g2 *p, const g2 *q);
void g2_to_affine(g2_affine *r, const g2 *p);
void g2_from_affine(g2 *r, const g2_affine *p);
void g2_cmov(g2 *r, const g2 *p, limb_t flag);
DTA_MUST_CHECK limb_t g2_affine_on_curve(const g2_affine *p);
void g2_psi(g2 *r, const g2 *p);
/*
 * Scalar multiplication, s < r, with the GLS endomorphism psi, which acts
 * as u only on G2: p must be in G2 (see g1.h; for s < |u|, 64 bits, psi
 * plays no part and points outside G2 of order 18 or more also work).
 * g2_mult is constant time in s; g2_mult_vartime takes public scalars.
 */
void g2_mult(g2 *r, const g2 *p, const scalar *s);
void g2_mult_vartime(g2 *r, const g2 *p, const scalar *s);
/* sum s[i] p[i], variable time, any points; scratch of g2_msm_scratch_size(n) bytes. */
size_t g2_msm_scratch_size(size_t n);
void g2_msm_vartime(g2 *r, const g2_affine *p, const scalar *s, size_t n, void *scratch);
void g2_mult_by_u64_vartime(g2 *r, const g2 *p, uint64_t k);
/* Membership in G2 via psi(P) == u P (public input, variable time); p on the curve. */
DTA_MUST_CHECK limb_t g2_in_subgroup(const g2 *p);
/* g2_in_subgroup(P) for P affine (not O), given T = |u| P in homogeneous
 * projective coordinates (x = X/Z), as miller_loop_with_multiples gives it. */
DTA_MUST_CHECK limb_t g2_in_subgroup_given_multiple(const g2_affine *p, const g2 *t);
/* Budroni-Pintore cofactor clearing, RFC 9380 G.3 (h_eff for G2). */
void g2_clear_cofactor(g2 *r, const g2 *p);

#endif
