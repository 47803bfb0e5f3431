/* Feldman verifiable secret sharing over Fr with commitments in G1. */
#ifndef DTA_VSS_H
#define DTA_VSS_H
#include "fr.h"
#include "../include/dta.h"

dta_error vss_deal(uint8_t *shares, uint8_t *commitments, const uint8_t secret[32], uint32_t t, uint32_t n,
                   const uint8_t *random);
DTA_MUST_CHECK dta_error vss_verify(uint32_t index, const uint8_t share[32], const uint8_t *commitments,
                                    size_t t);
dta_error vss_public_share(uint8_t out[48], uint32_t index, const uint8_t *commitments, size_t t);
dta_error vss_sum(uint8_t out[32], const uint8_t *scalars, size_t n);
dta_error vss_random(uint8_t out[32], const uint8_t random[64]);

#endif
