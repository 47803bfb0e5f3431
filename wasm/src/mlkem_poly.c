/*
 * ML-KEM's ring R_q = Z_q[X]/(X^256 + 1), q = 3329 (FIPS 203 section 4.3):
 * coefficients are int16_t, products are reduced the Montgomery way
 * (R = 2^16) and sums the Barrett way, so no division ever sees a secret.
 * The NTT leaves its output in bit-reversed order, as FIPS 203's NTT does.
 */
#include "types.h"

#define MLKEM_N 256
#define MLKEM_Q 3329
typedef __INT16_TYPE__ int16_t;
typedef __UINT16_TYPE__ uint16_t;

typedef struct { int16_t c[MLKEM_N]; } poly;

/* q^-1 mod 2^16 as a signed 16-bit number. */
#define MLKEM_QINV (-3327)

/* zeta^BitRev7(i) * R mod q, centred, with zeta = 17 (FIPS 203 Appendix A
 * times the Montgomery factor, so that fqmul by it is plain multiplication). */
static const int16_t MLKEM_ZETAS[128] = {
    -1044, -758, -359, -1517, 1493, 1422, 287, 202, -171, 622, 1577, 182, 962, -1202, -1474, 1468,
    573, -1325, 264, 383, -829, 1458, -1602, -130, -681, 1017, 732, 608, -1542, 411, -205, -1571,
    1223, 652, -552, 1015, -1293, 1491, -282, -1544, 516, -8, -320, -666, -1618, -1162, 126, 1469,
    -853, -90, -271, 830, 107, -1421, -247, -951, -398, 961, -1508, -725, 448, -1065, 677, -1275,
    -1103, 430, 555, 843, -1251, 871, 1550, 105, 422, 587, 177, -235, -291, -460, 1574, 1653,
    -246, 778, 1159, -147, -777, 1483, -602, 1119, -1590, 644, -872, 349, 418, 329, -156, -75,
    817, 1097, 603, 610, 1322, -1285, -1465, 384, -1215, -136, 1218, -1335, -874, 220, -1187, -1659,
    -1185, -1530, -1278, 794, -1510, -854, -870, 478, -108, -308, 996, 991, 958, -1460, 1522, 1628,
};

/* a * R^-1 mod q in (-q, q) for |a| < q * 2^15. */
static inline int16_t kem_mont_reduce(int32_t a)
{
    int16_t t = (int16_t)((uint32_t)a * (uint32_t)(int32_t)MLKEM_QINV);
    return (int16_t)((a - (int32_t)t * MLKEM_Q) >> 16);
}

static inline int16_t fqmul(int16_t a, int16_t b) { return kem_mont_reduce((int32_t)a * b); }

/* a mod q, centred in [-(q-1)/2, (q-1)/2]; 20159 = round(2^26 / q). */
static inline int16_t kem_barrett_reduce(int16_t a)
{
    int16_t t = (int16_t)(((int32_t)20159 * a + (1 << 25)) >> 26);
    return (int16_t)(a - t * MLKEM_Q);
}

/* The representative in [0, q) of a centred value, by mask. */
static inline int16_t kem_to_unsigned(int16_t a)
{
    a = kem_barrett_reduce(a);
    return (int16_t)(a + ((a >> 15) & MLKEM_Q));
}

static void poly_reduce(poly *p)
{
    for (int i = 0; i < MLKEM_N; i++) p->c[i] = kem_barrett_reduce(p->c[i]);
}

static void poly_add(poly *r, const poly *a, const poly *b)
{
    for (int i = 0; i < MLKEM_N; i++) r->c[i] = (int16_t)(a->c[i] + b->c[i]);
}

static void poly_sub(poly *r, const poly *a, const poly *b)
{
    for (int i = 0; i < MLKEM_N; i++) r->c[i] = (int16_t)(a->c[i] - b->c[i]);
}

/* FIPS 203 Algorithm 9, Cooley-Tukey butterflies; the input's coefficients
 * are below q in absolute value, the output's below 8q. */
static void poly_ntt(poly *p)
{
    int k = 1;
    for (int len = 128; len >= 2; len >>= 1) {
        for (int start = 0; start < MLKEM_N; start += 2 * len) {
            int16_t zeta = MLKEM_ZETAS[k++];
            for (int j = start; j < start + len; j++) {
                int16_t t = fqmul(zeta, p->c[j + len]);
                p->c[j + len] = (int16_t)(p->c[j] - t);
                p->c[j] = (int16_t)(p->c[j] + t);
            }
        }
    }
    poly_reduce(p);
}

/* FIPS 203 Algorithm 10, Gentleman-Sande butterflies. The last multiplication
 * by 1441 = R^2/128 mod q divides by 128 and multiplies by R, which cancels
 * the R^-1 the base multiplication left, so NTT^-1(a o b) comes out plain. */
static void poly_invntt(poly *p)
{
    int k = 127;
    for (int len = 2; len <= 128; len <<= 1) {
        for (int start = 0; start < MLKEM_N; start += 2 * len) {
            int16_t zeta = MLKEM_ZETAS[k--];
            for (int j = start; j < start + len; j++) {
                int16_t t = p->c[j];
                p->c[j] = kem_barrett_reduce((int16_t)(t + p->c[j + len]));
                p->c[j + len] = fqmul(zeta, (int16_t)(p->c[j + len] - t));
            }
        }
    }
    for (int j = 0; j < MLKEM_N; j++) p->c[j] = fqmul(p->c[j], 1441);
}

/* FIPS 203 Algorithm 11: pairs multiplied mod X^2 - gamma, times R^-1;
 * accumulated into r (r += a o b). */
static void poly_basemul_acc(poly *r, const poly *a, const poly *b)
{
    for (int i = 0; i < 64; i++) {
        for (int half = 0; half < 2; half++) {
            int16_t zeta = half ? (int16_t)-MLKEM_ZETAS[64 + i] : MLKEM_ZETAS[64 + i];
            int j = 4 * i + 2 * half;
            int16_t a0 = a->c[j], a1 = a->c[j + 1], b0 = b->c[j], b1 = b->c[j + 1];
            r->c[j] = (int16_t)(r->c[j] + fqmul(fqmul(a1, b1), zeta) + fqmul(a0, b0));
            r->c[j + 1] = (int16_t)(r->c[j + 1] + fqmul(a0, b1) + fqmul(a1, b0));
        }
    }
}

/* a times R mod q (1353 = R^2 mod q), to undo the R^-1 of a base multiplication. */
static void poly_tomont(poly *p)
{
    for (int i = 0; i < MLKEM_N; i++) p->c[i] = fqmul(p->c[i], 1353);
}

/* ---- encodings (FIPS 203 Algorithms 5 and 6, and Compress/Decompress 4.2.1) ---- */

/* ByteEncode_12 of the canonical representatives. */
static void poly_encode12(uint8_t out[384], const poly *p)
{
    for (int i = 0; i < MLKEM_N / 2; i++) {
        uint16_t a = (uint16_t)kem_to_unsigned(p->c[2 * i]), b = (uint16_t)kem_to_unsigned(p->c[2 * i + 1]);
        out[3 * i] = (uint8_t)a;
        out[3 * i + 1] = (uint8_t)((a >> 8) | (b << 4));
        out[3 * i + 2] = (uint8_t)(b >> 4);
    }
}

/* ByteDecode_12; returns all-ones when every coefficient is below q (the
 * FIPS 203 7.2 modulus check: decode then encode gives the input back). */
static limb_t poly_decode12(poly *p, const uint8_t in[384])
{
    limb_t bad = 0;
    for (int i = 0; i < MLKEM_N / 2; i++) {
        uint32_t a = in[3 * i] | ((uint32_t)(in[3 * i + 1] & 15) << 8);
        uint32_t b = (uint32_t)(in[3 * i + 1] >> 4) | ((uint32_t)in[3 * i + 2] << 4);
        bad |= ((MLKEM_Q - 1 - a) | (MLKEM_Q - 1 - b)) >> 31;      /* 1 when a or b >= q */
        p->c[2 * i] = (int16_t)a;
        p->c[2 * i + 1] = (int16_t)b;
    }
    return ct_is_zero_mask(bad);
}

/* Compress_d(x) = round(2^d x / q) mod 2^d for x in [0, q) without a
 * division: 1290167 = round(2^32 / q) is exact over that range for d <= 11. */
static inline uint32_t kem_compress(int16_t x, int d)
{
    uint64_t t = ((uint64_t)(uint32_t)kem_to_unsigned(x) << d) + 1665;
    return (uint32_t)((t * 1290167) >> 32) & ((1U << d) - 1);
}

/* Decompress_d(y) = round(q y / 2^d). */
static inline int16_t kem_decompress(uint32_t y, int d)
{
    return (int16_t)(((uint32_t)MLKEM_Q * y + (1U << (d - 1))) >> d);
}

/* ByteEncode_d(Compress_d(p)) for d = 1, 4, 10: the bits of each value
 * in turn, least significant first, packed into bytes. */
static void poly_compress(uint8_t *out, const poly *p, int d)
{
    uint32_t acc = 0;
    int bits = 0;
    for (int i = 0; i < MLKEM_N; i++) {
        acc |= kem_compress(p->c[i], d) << bits;
        bits += d;
        while (bits >= 8) {
            *out++ = (uint8_t)acc;
            acc >>= 8;
            bits -= 8;
        }
    }
}

/* Decompress_d(ByteDecode_d(in)). */
static void poly_decompress(poly *p, const uint8_t *in, int d)
{
    uint32_t acc = 0;
    int bits = 0;
    for (int i = 0; i < MLKEM_N; i++) {
        while (bits < d) {
            acc |= (uint32_t)*in++ << bits;
            bits += 8;
        }
        p->c[i] = kem_decompress(acc & ((1U << d) - 1), d);
        acc >>= d;
        bits -= d;
    }
}
