/*
 * SHA-256 (FIPS 180-4), HMAC-SHA256 (RFC 2104) and HKDF-SHA256 (RFC 5869).
 * Byte-at-a-time buffering, one compression function; no data-dependent
 * branches beyond message length, which is public.
 */
#include "sha256.h"

/* FIPS 180-4 4.2.2: first 32 bits of the fractional parts of the cube
 * roots of the first 64 primes. */
static const uint32_t SHA256_K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* FIPS 180-4 5.3.3: square roots of the first 8 primes. */
static const uint32_t SHA256_IV[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static inline uint32_t ror32(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static inline uint32_t load_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* FIPS 180-4 6.2.2: one 64-byte block into the chaining state. The message
 * schedule is kept as a rolling 16-word window. */
static void sha256_block(uint32_t h[8], const uint8_t block[64])
{
    uint32_t w[16], s[8];
    for (int i = 0; i < 16; i++) w[i] = load_be32(block + 4 * i);
    for (int i = 0; i < 8; i++) s[i] = h[i];
    for (int t = 0; t < 64; t++) {
        if (t >= 16) {
            uint32_t w15 = w[(t - 15) & 15], w2 = w[(t - 2) & 15];
            uint32_t s0 = ror32(w15, 7) ^ ror32(w15, 18) ^ (w15 >> 3);
            uint32_t s1 = ror32(w2, 17) ^ ror32(w2, 19) ^ (w2 >> 10);
            w[t & 15] += s0 + w[(t - 7) & 15] + s1;
        }
        uint32_t e = s[4], a = s[0];
        uint32_t t1 = s[7] + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25))
                    + ((e & s[5]) ^ (~e & s[6])) + SHA256_K[t] + w[t & 15];
        uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22))
                    + ((a & s[1]) ^ (a & s[2]) ^ (s[1] & s[2]));
        for (int i = 7; i > 0; i--) s[i] = s[i - 1];
        s[4] += t1;
        s[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++) h[i] += s[i];
    secure_zero(w, sizeof w);
    secure_zero(s, sizeof s);
}

void sha256_init(sha256_ctx *c)
{
    for (int i = 0; i < 8; i++) c->h[i] = SHA256_IV[i];
    c->len = 0;
}

void sha256_update(sha256_ctx *c, const uint8_t *in, size_t len)
{
    size_t used = (size_t)(c->len & 63);
    if (len == 0) return;                         /* in may be NULL */
    c->len += len;
    if (used) {                                   /* top up a partial block first */
        size_t take = 64 - used < len ? 64 - used : len;
        memcpy(c->buf + used, in, take);
        in += take;
        len -= take;
        if (used + take < 64) return;
        sha256_block(c->h, c->buf);
    }
    for (; len >= 64; in += 64, len -= 64) sha256_block(c->h, in);
    if (len) memcpy(c->buf, in, len);
}

/* Padding: 0x80, zeros, then the bit length as a 64-bit big-endian word. */
void sha256_final(uint8_t out[32], sha256_ctx *c)
{
    size_t used = (size_t)(c->len & 63);
    uint64_t bits = c->len << 3;
    c->buf[used++] = 0x80;
    if (used > 56) {
        memset(c->buf + used, 0, 64 - used);
        sha256_block(c->h, c->buf);
        used = 0;
    }
    memset(c->buf + used, 0, 56 - used);
    store_be32(c->buf + 56, (uint32_t)(bits >> 32));
    store_be32(c->buf + 60, (uint32_t)bits);
    sha256_block(c->h, c->buf);
    for (int i = 0; i < 8; i++) store_be32(out + 4 * i, c->h[i]);
    secure_zero(c, sizeof *c);
}

void sha256(uint8_t out[32], const uint8_t *in, size_t len)
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, in, len);
    sha256_final(out, &c);
}

/* RFC 2104: keys longer than the block are hashed first, then padded with
 * zeros to 64 bytes and XORed with ipad (0x36) / opad (0x5c). */
void hmac_sha256_init(hmac_sha256_ctx *c, const uint8_t *key, size_t key_len)
{
    uint8_t k[64], pad[64];
    memset(k, 0, sizeof k);
    if (key_len > 64) sha256(k, key, key_len);
    else if (key_len) memcpy(k, key, key_len);
    for (int i = 0; i < 64; i++) pad[i] = (uint8_t)(k[i] ^ 0x36);
    sha256_init(&c->inner);
    sha256_update(&c->inner, pad, 64);
    for (int i = 0; i < 64; i++) pad[i] = (uint8_t)(k[i] ^ 0x5c);
    sha256_init(&c->outer);
    sha256_update(&c->outer, pad, 64);
    secure_zero(k, sizeof k);
    secure_zero(pad, sizeof pad);
}

void hmac_sha256_update(hmac_sha256_ctx *c, const uint8_t *in, size_t len)
{
    sha256_update(&c->inner, in, len);
}

/* Wipes both halves of the context. */
void hmac_sha256_final(uint8_t out[32], hmac_sha256_ctx *c)
{
    uint8_t ih[32];
    sha256_final(ih, &c->inner);
    sha256_update(&c->outer, ih, 32);
    sha256_final(out, &c->outer);
    secure_zero(ih, sizeof ih);
}

void hmac_sha256(uint8_t out[32], const uint8_t *key, size_t key_len, const uint8_t *in, size_t len)
{
    hmac_sha256_ctx c;
    hmac_sha256_init(&c, key, key_len);
    hmac_sha256_update(&c, in, len);
    hmac_sha256_final(out, &c);
}

/* RFC 5869 2.2: PRK = HMAC(salt, IKM); an absent salt is 32 zero bytes,
 * which HMAC's zero padding makes identical to an empty key. */
void hkdf_extract(uint8_t prk[32], const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len)
{
    hmac_sha256(prk, salt, salt_len, ikm, ikm_len);
}

/* RFC 5869 2.3: T(i) = HMAC(PRK, T(i-1) || info || i), OKM = T(1) || T(2) ... */
int hkdf_expand(uint8_t *out, size_t out_len, const uint8_t prk[32], const uint8_t *info, size_t info_len)
{
    uint8_t t[32];
    hmac_sha256_ctx c;
    if (out_len > 255 * 32) return 0;
    for (size_t i = 1, done = 0; done < out_len; i++) {
        uint8_t ctr = (uint8_t)i;
        hmac_sha256_init(&c, prk, 32);
        if (i > 1) hmac_sha256_update(&c, t, 32);
        hmac_sha256_update(&c, info, info_len);
        hmac_sha256_update(&c, &ctr, 1);
        hmac_sha256_final(t, &c);
        size_t take = out_len - done < 32 ? out_len - done : 32;
        memcpy(out + done, t, take);
        done += take;
    }
    secure_zero(t, sizeof t);
    return 1;
}
