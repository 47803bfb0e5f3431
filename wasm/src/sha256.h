/* SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 2104), HKDF-SHA256 (RFC 5869). */
#ifndef DTA_SHA256_H
#define DTA_SHA256_H
#include "types.h"

typedef struct {
    uint32_t h[8];
    uint8_t buf[64];
    uint64_t len;        /* bytes absorbed */
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const uint8_t *in, size_t len);
void sha256_final(uint8_t out[32], sha256_ctx *c);  /* wipes the context */
void sha256(uint8_t out[32], const uint8_t *in, size_t len);

typedef struct { sha256_ctx inner, outer; } hmac_sha256_ctx;
void hmac_sha256_init(hmac_sha256_ctx *c, const uint8_t *key, size_t key_len);
void hmac_sha256_update(hmac_sha256_ctx *c, const uint8_t *in, size_t len);
void hmac_sha256_final(uint8_t out[32], hmac_sha256_ctx *c);
void hmac_sha256(uint8_t out[32], const uint8_t *key, size_t key_len, const uint8_t *in, size_t len);

void hkdf_extract(uint8_t prk[32], const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len);
/* returns 0 if out_len > 255*32 */
int hkdf_expand(uint8_t *out, size_t out_len, const uint8_t prk[32], const uint8_t *info, size_t info_len);

#endif
