/* Keccak-f[1600] sponge (FIPS 202): SHA3-256, SHA3-512, SHAKE128, SHAKE256 over one permutation. */
#ifndef DTA_KECCAK_H
#define DTA_KECCAK_H
#include "types.h"

#define SHA3_256_RATE 136U
#define SHA3_512_RATE 72U
#define SHAKE128_RATE 168U
#define SHAKE256_RATE 136U

/* The sponge: 25 lanes, the byte position inside the rate, the rate, and
 * whether the padding has been applied (absorbing is over, squeezing began). */
typedef struct {
    uint64_t s[25];
    uint32_t pos;
    uint32_t rate;
    uint32_t squeezing;
} keccak_ctx;

void keccak_init(keccak_ctx *c, uint32_t rate);
void keccak_absorb(keccak_ctx *c, const uint8_t *in, size_t len);
/* Pads with the domain byte (0x06 for SHA3, 0x1F for SHAKE) and switches to squeezing. */
void keccak_finish(keccak_ctx *c, uint8_t domain);
void keccak_squeeze(keccak_ctx *c, uint8_t *out, size_t len);

void sha3_256(uint8_t out[32], const uint8_t *in, size_t len);
void sha3_512(uint8_t out[64], const uint8_t *in, size_t len);
void shake128(uint8_t *out, size_t out_len, const uint8_t *in, size_t len);
void shake256(uint8_t *out, size_t out_len, const uint8_t *in, size_t len);

#endif
