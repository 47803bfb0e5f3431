/* X-Wing (draft-connolly-cfrg-xwing-kem-06): ML-KEM-768 and X25519 under a SHA3-256 combiner. */
#ifndef DTA_XWING_H
#define DTA_XWING_H
#include "types.h"

#define XWING_SEED_BYTES 32U
#define XWING_PUBLIC_KEY_BYTES 1216U
#define XWING_CIPHERTEXT_BYTES 1120U
#define XWING_ESEED_BYTES 64U
#define XWING_SHARED_SECRET_BYTES 32U

DTA_MUST_CHECK dta_error xwing_keygen(uint8_t pk[1216], const uint8_t seed[32]);
DTA_MUST_CHECK dta_error xwing_encaps(uint8_t ct[1120], uint8_t ss[32], const uint8_t pk[1216],
                                      const uint8_t eseed[64]);
DTA_MUST_CHECK dta_error xwing_decaps(uint8_t ss[32], const uint8_t ct[1120], const uint8_t seed[32]);

#endif
