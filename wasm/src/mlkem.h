/* ML-KEM-768 (FIPS 203): key generation from (d, z), encapsulation from m, decapsulation. */
#ifndef DTA_MLKEM_H
#define DTA_MLKEM_H
#include "types.h"

#define MLKEM_K 3
#define MLKEM768_EK_BYTES 1184U
#define MLKEM768_DK_BYTES 2400U
#define MLKEM768_CT_BYTES 1088U
#define MLKEM_SS_BYTES 32U
#define MLKEM_SEED_BYTES 32U

/* FIPS 203 Algorithm 16, ML-KEM.KeyGen_internal(d, z). */
void mlkem768_keygen(uint8_t ek[1184], uint8_t dk[2400], const uint8_t d[32], const uint8_t z[32]);
/* FIPS 203 Algorithm 17 after the 7.2 modulus check: DTA_BAD_ENCODING when
 * a coefficient of ek is not below q. */
DTA_MUST_CHECK dta_error mlkem768_encaps(uint8_t ct[1088], uint8_t ss[32], const uint8_t ek[1184],
                                         const uint8_t m[32]);
/* FIPS 203 Algorithm 18 after the 7.3 hash check (DTA_BAD_ENCODING when
 * H(ek) in dk does not match); implicit rejection otherwise. */
DTA_MUST_CHECK dta_error mlkem768_decaps(uint8_t ss[32], const uint8_t ct[1088], const uint8_t dk[2400]);
/* Decaps with the key generated from (d, z) now: keygen's matrix A reused, no hash check; dk is left in dk. */
void mlkem768_decaps_fresh(uint8_t ss[32], uint8_t dk[2400], const uint8_t ct[1088], const uint8_t d[32],
                           const uint8_t z[32]);

#endif
