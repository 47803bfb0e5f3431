/* Shamir secret sharing over Fr and Lagrange recovery (in Fr, G1 and G2). */
#ifndef DTA_SHAMIR_H
#define DTA_SHAMIR_H
#include "fr.h"
#include "../include/dta.h"

dta_error shamir_split(uint8_t *shares, const uint8_t secret[32], uint32_t t, uint32_t n,
                       const uint8_t *random);
dta_error shamir_recover(uint8_t secret[32], const uint32_t *idx, const uint8_t *shares, size_t k);
dta_error shamir_recover_g1(uint8_t out[48], const uint32_t *idx, const uint8_t *points, size_t k);
dta_error shamir_recover_g2(uint8_t out[96], const uint32_t *idx, const uint8_t *points, size_t k);

#endif
