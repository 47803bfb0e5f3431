/*
 * Fr, the 255-bit scalar field (order r of G1, G2, GT), eight 32-bit limbs,
 * Montgomery form (R = 2^256). Constant time. Scalars for point
 * multiplication are passed as canonical (non-Montgomery) little-endian
 * limbs: see fr_to_scalar.
 */
#ifndef DTA_FR_H
#define DTA_FR_H
#include "types.h"

#define FR_LIMBS 8
typedef struct { limb_t l[FR_LIMBS]; } fr;
/* A canonical integer < r, little-endian limbs, for the point multipliers. */
typedef struct { limb_t l[FR_LIMBS]; } scalar;

extern const fr FR_ZERO, FR_ONE;

void fr_add(fr *r, const fr *a, const fr *b);
void fr_sub(fr *r, const fr *a, const fr *b);
void fr_neg(fr *r, const fr *a);
void fr_mul(fr *r, const fr *a, const fr *b);
void fr_sqr(fr *r, const fr *a);
void fr_inv(fr *r, const fr *a);              /* inv(0) = 0, constant time */
limb_t fr_is_zero(const fr *a);
limb_t fr_eq(const fr *a, const fr *b);
void fr_from_u32(fr *r, uint32_t v);
/* 32 bytes big-endian, canonical; returns 0 (and r = 0) if >= r. */
limb_t fr_from_bytes(fr *r, const uint8_t in[32]);
void fr_to_bytes(uint8_t out[32], const fr *a);
/* Any big-endian string up to 64 bytes reduced mod r (KeyGen, random coefficients). */
void fr_from_bytes_reduce(fr *r, const uint8_t *in, size_t len);
void fr_to_scalar(scalar *s, const fr *a);
/* Parse a 32-byte big-endian scalar; returns 0 if >= r. */
limb_t scalar_from_bytes(scalar *s, const uint8_t in[32]);

#endif
