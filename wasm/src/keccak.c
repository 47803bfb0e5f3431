/*
 * Keccak-f[1600] (FIPS 202 3.3) on 64-bit lanes and the sponge over it.
 * One permutation serves SHA3-256, SHA3-512, SHAKE128 and SHAKE256: they
 * differ only in the rate and the domain byte. The rounds are written as
 * loops, not unrolled: the module's size matters more than the last 30%
 * of hashing speed here. Bytes enter lanes little-endian (FIPS 202 B.1).
 */
#include "keccak.h"

/* FIPS 202 3.2.5: the round constants RC[ir] of iota. */
static const uint64_t KECCAK_RC[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/* rho and pi together (FIPS 202 3.2.2-3.2.3): walking the lanes along pi's
 * cycle starting at lane 1, the t-th lane moved is KECCAK_PI[t] and it is
 * rotated by the t-th triangular offset (t+1)(t+2)/2 mod 64. */
static const uint8_t KECCAK_PI[24] = {
    10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1,
};

static inline uint64_t rol64(uint64_t x, unsigned n) { return (x << n) | (x >> ((64 - n) & 63)); }

/* The inner loops are unrolled (the rounds are not): with constant lane
 * indices and rotation counts the 25 lanes stay in wasm locals, which
 * makes the permutation about five times faster for a few KB of code;
 * ML-KEM spends most of its time here (SampleNTT, the PRF, H and G). */
static void keccak_f1600(uint64_t s[25])
{
    uint64_t a[25], c[5];
#pragma clang loop unroll(full)
    for (int i = 0; i < 25; i++) a[i] = s[i];
    for (int round = 0; round < 24; round++) {
#pragma clang loop unroll(full)
        for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
#pragma clang loop unroll(full)
        for (int x = 0; x < 5; x++) {                                   /* theta */
            uint64_t d = c[(x + 4) % 5] ^ rol64(c[(x + 1) % 5], 1);
#pragma clang loop unroll(full)
            for (int y = 0; y < 25; y += 5) a[y + x] ^= d;
        }
        uint64_t moving = a[1];                                         /* rho, pi */
#pragma clang loop unroll(full)
        for (int t = 0; t < 24; t++) {
            int to = KECCAK_PI[t];
            uint64_t next = a[to];
            a[to] = rol64(moving, (unsigned)(((t + 1) * (t + 2) / 2) % 64));
            moving = next;
        }
#pragma clang loop unroll(full)
        for (int y = 0; y < 25; y += 5) {                               /* chi */
#pragma clang loop unroll(full)
            for (int x = 0; x < 5; x++) c[x] = a[y + x];
#pragma clang loop unroll(full)
            for (int x = 0; x < 5; x++) a[y + x] = c[x] ^ (~c[(x + 1) % 5] & c[(x + 2) % 5]);
        }
        a[0] ^= KECCAK_RC[round];                                       /* iota */
    }
#pragma clang loop unroll(full)
    for (int i = 0; i < 25; i++) s[i] = a[i];
    /* a and c are not wiped: unrolled, they live in wasm locals, outside
     * linear memory (test/core/kem-wipe.test.ts looks for what they hold);
     * a volatile wipe would force them into memory and slow every round. */
}

void keccak_init(keccak_ctx *c, uint32_t rate)
{
    memset(c, 0, sizeof *c);
    c->rate = rate;
}

static inline void xor_byte(keccak_ctx *c, uint8_t b)
{
    c->s[c->pos >> 3] ^= (uint64_t)b << (8 * (c->pos & 7));
}

static inline uint64_t load_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

/* Whole lanes go in eight bytes at a time when the position is on a lane
 * boundary, which it always is for the one-shot hashes' full blocks. */
void keccak_absorb(keccak_ctx *c, const uint8_t *in, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if ((c->pos & 7) == 0 && len - i >= 8) {
            c->s[c->pos >> 3] ^= load_le64(in + i);
            i += 8;
            c->pos += 8;
        } else {
            xor_byte(c, in[i++]);
            c->pos++;
        }
        if (c->pos == c->rate) {
            keccak_f1600(c->s);
            c->pos = 0;
        }
    }
}

/* pad10*1 with the domain bits in front (FIPS 202 5.1, B.2). */
void keccak_finish(keccak_ctx *c, uint8_t domain)
{
    xor_byte(c, domain);
    c->pos = c->rate - 1;
    xor_byte(c, 0x80);
    keccak_f1600(c->s);
    c->pos = 0;
    c->squeezing = 1;
}

void keccak_squeeze(keccak_ctx *c, uint8_t *out, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (c->pos == c->rate) {
            keccak_f1600(c->s);
            c->pos = 0;
        }
        if ((c->pos & 7) == 0 && len - i >= 8 && c->rate - c->pos >= 8) {
            uint64_t lane = c->s[c->pos >> 3];
            for (int b = 0; b < 8; b++) out[i + b] = (uint8_t)(lane >> (8 * b));
            i += 8;
            c->pos += 8;
        } else {
            out[i++] = (uint8_t)(c->s[c->pos >> 3] >> (8 * (c->pos & 7)));
            c->pos++;
        }
    }
}

static void keccak_oneshot(uint8_t *out, size_t out_len, const uint8_t *in, size_t len, uint32_t rate,
                           uint8_t domain)
{
    keccak_ctx c;
    keccak_init(&c, rate);
    keccak_absorb(&c, in, len);
    keccak_finish(&c, domain);
    keccak_squeeze(&c, out, out_len);
    secure_zero(&c, sizeof c);
}

void sha3_256(uint8_t out[32], const uint8_t *in, size_t len) { keccak_oneshot(out, 32, in, len, SHA3_256_RATE, 0x06); }
void sha3_512(uint8_t out[64], const uint8_t *in, size_t len) { keccak_oneshot(out, 64, in, len, SHA3_512_RATE, 0x06); }

void shake128(uint8_t *out, size_t out_len, const uint8_t *in, size_t len)
{
    keccak_oneshot(out, out_len, in, len, SHAKE128_RATE, 0x1f);
}

void shake256(uint8_t *out, size_t out_len, const uint8_t *in, size_t len)
{
    keccak_oneshot(out, out_len, in, len, SHAKE256_RATE, 0x1f);
}
