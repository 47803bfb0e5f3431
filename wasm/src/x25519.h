/* X25519 (RFC 7748 section 5): the Montgomery ladder on Curve25519. */
#ifndef DTA_X25519_H
#define DTA_X25519_H
#include "types.h"

#define X25519_BYTES 32U

/* out = X25519(scalar, u). DTA_INFINITY when the result is all zero (u of
 * low order), which X-Wing and HPKE refuse; out is then zero as well. */
DTA_MUST_CHECK dta_error x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t u[32]);
/* out = X25519(scalar, 9), the public key of a secret scalar. */
DTA_MUST_CHECK dta_error x25519_base(uint8_t out[32], const uint8_t scalar[32]);

#endif
