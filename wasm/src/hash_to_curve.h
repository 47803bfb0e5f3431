/*
 * RFC 9380: expand_message_xmd (SHA-256), hash_to_field, simplified SWU to
 * the 11-isogenous (G1) and 3-isogenous (G2) curves, the isogeny maps, and
 * cofactor clearing. Suites BLS12381G1_XMD:SHA-256_SSWU_{RO,NU}_ and
 * BLS12381G2_XMD:SHA-256_SSWU_{RO,NU}_.
 */
#ifndef DTA_HASH_TO_CURVE_H
#define DTA_HASH_TO_CURVE_H
#include "g1.h"
#include "g2.h"
#include "sha256.h"

/* A long message is absorbed in chunks: h2c_msg_begin, sha256_update per
 * chunk, then the _absorbed function (no copy of the whole message). */
void h2c_msg_begin(sha256_ctx *m);
void hash_to_g2_absorbed(g2 *r, const sha256_ctx *m, const uint8_t *dst, size_t dst_len);

/* returns 0 on bad lengths (out_len > 255*32 or > 65535) */
int expand_message_xmd(uint8_t *out, size_t out_len, const uint8_t *msg, size_t msg_len,
                       const uint8_t *dst, size_t dst_len);
/* RFC 9380 5.2 with L = 64; count <= 127 (Fp) or <= 63 (Fp2), else u is all zero. */
void hash_to_field_fp(fp *u, size_t count, const uint8_t *msg, size_t msg_len,
                      const uint8_t *dst, size_t dst_len);
void hash_to_field_fp2(fp2 *u, size_t count, const uint8_t *msg, size_t msg_len,
                       const uint8_t *dst, size_t dst_len);
void map_to_curve_g1(g1 *r, const fp *u);     /* SSWU + 11-isogeny, no cofactor clearing */
void map_to_curve_g2(g2 *r, const fp2 *u);    /* SSWU + 3-isogeny, no cofactor clearing */
void hash_to_g1(g1 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len);
void encode_to_g1(g1 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len);
void hash_to_g2(g2 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len);
void encode_to_g2(g2 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len);

#endif
