/*
 * ZCash/IETF point encodings for G1 and G2, with every validity check:
 * flag bits (compression 0x80, infinity 0x40, sign 0x20), canonical field
 * elements, infinity rules, on curve, in subgroup.
 */
#ifndef DTA_ENCODING_H
#define DTA_ENCODING_H
#include "g1.h"
#include "g2.h"
#include "../include/dta.h"

/* Decode 48 (compressed) or 96 (uncompressed) bytes; full validation. */
DTA_MUST_CHECK dta_error g1_decode(g1 *r, const uint8_t *in, size_t len);
void g1_encode_compressed(uint8_t out[48], const g1 *p);
void g1_encode_uncompressed(uint8_t out[96], const g1 *p);
DTA_MUST_CHECK dta_error g2_decode(g2 *r, const uint8_t *in, size_t len);
/* Every check of g2_decode but the subgroup's, for a caller that does that
 * check another way (bls.c, with the Miller loop); infinity is (0, 0). */
DTA_MUST_CHECK dta_error g2_decode_on_curve(g2_affine *r, const uint8_t *in, size_t len);
void g2_encode_compressed(uint8_t out[96], const g2 *p);
void g2_encode_uncompressed(uint8_t out[192], const g2 *p);

#endif
