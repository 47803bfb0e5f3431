/*
 * ZCash / IETF point encodings for G1 (48 / 96 bytes) and G2 (96 / 192):
 * big-endian x (G2: x.c1 || x.c0), then y for the uncompressed form. The
 * three top bits of the first byte are flags:
 *   0x80 compressed: set exactly when the length is the compressed one;
 *   0x40 infinity: then every other bit is zero (sign included);
 *   0x20 sign: compressed only, y is the lexicographically larger root.
 * https://datatracker.ietf.org/doc/html/draft-irtf-cfrg-pairing-friendly-curves-11#appendix-C
 * (the ZCash serialization format, as in zkcrypto/bls12_381 notes/serialization).
 * Decoding checks, in order: length, flags, canonical coordinates (< p),
 * on curve, in the subgroup. Inputs are public: branches are fine here.
 */
#include "encoding.h"

#define ENC_FLAG_C 0x80
#define ENC_FLAG_I 0x40
#define ENC_FLAG_S 0x20
#define ENC_FLAGS 0xe0

/* The flags of in[0], checked against len (compressed_len or twice that). */
static dta_error enc_read_flags(uint8_t *flags, const uint8_t *in, size_t len, size_t compressed_len)
{
    if (len != compressed_len && len != 2 * compressed_len) return DTA_BAD_LENGTH;
    uint8_t f = in[0] & ENC_FLAGS;
    int compressed = (f & ENC_FLAG_C) != 0;
    if (compressed != (len == compressed_len)) return DTA_BAD_ENCODING;
    if ((f & ENC_FLAG_S) && (!compressed || (f & ENC_FLAG_I))) return DTA_BAD_ENCODING;
    if (f & ENC_FLAG_I) {
        uint8_t rest = in[0] & (uint8_t)~ENC_FLAGS;
        for (size_t i = 1; i < len; i++) rest |= in[i];
        if (rest) return DTA_BAD_ENCODING;        /* infinity has no coordinates */
    }
    *flags = f;
    return DTA_OK;
}

/* ---- G1 ---------------------------------------------------------------------- */

/* y with y^2 = x^3 + 4 and lexicographically-largest(y) == sign; 0 if none. */
static limb_t g1_y_from_x(fp *y, const fp *x, limb_t sign)
{
    g1_affine a;
    fp y2, ny;
    a.x = *x;
    fp_sqr(&y2, x);
    fp_mul(&y2, &y2, x);
    fp_from_u32(&a.y, 4);
    fp_add(&y2, &y2, &a.y);                       /* x^3 + 4 */
    if (!fp_sqrt(y, &y2)) return 0;
    fp_neg(&ny, y);
    fp_cmov(y, &ny, fp_is_lexicographically_largest(y) ^ sign);
    return 1;
}

/* x (and y) from the encoding, flags masked off; 0 if not canonical. */
static limb_t g1_read_coords(g1_affine *a, const uint8_t *in, int compressed)
{
    uint8_t x[48];
    memcpy(x, in, sizeof x);
    x[0] &= (uint8_t)~ENC_FLAGS;
    if (!fp_from_bytes(&a->x, x)) return 0;
    if (compressed) return 1;
    return fp_from_bytes(&a->y, in + 48);
}

dta_error g1_decode(g1 *r, const uint8_t *in, size_t len)
{
    uint8_t f = 0;
    g1_affine a;
    g1 p;
    *r = G1_INFINITY;
    dta_error e = enc_read_flags(&f, in, len, 48);
    if (e != DTA_OK || (f & ENC_FLAG_I)) return e;
    int compressed = (f & ENC_FLAG_C) != 0;
    if (!g1_read_coords(&a, in, compressed)) return DTA_BAD_ENCODING;
    if (compressed) {
        if (!g1_y_from_x(&a.y, &a.x, (f & ENC_FLAG_S) != 0)) return DTA_NOT_ON_CURVE;
    } else if (!g1_affine_on_curve(&a) || (fp_is_zero(&a.x) & fp_is_zero(&a.y))) {
        return DTA_NOT_ON_CURVE;                  /* (0, 0) is infinity only with its flag */
    }
    g1_from_affine(&p, &a);
    if (!g1_in_subgroup(&p)) return DTA_NOT_IN_SUBGROUP;
    *r = p;
    return DTA_OK;
}

void g1_encode_uncompressed(uint8_t out[96], const g1 *p)
{
    g1_affine a;
    g1_to_affine(&a, p);                          /* infinity -> (0, 0): all zero bytes */
    fp_to_bytes(out, &a.x);
    fp_to_bytes(out + 48, &a.y);
    out[0] |= (uint8_t)(g1_is_inf(p) * ENC_FLAG_I);
}

void g1_encode_compressed(uint8_t out[48], const g1 *p)
{
    g1_affine a;
    limb_t inf = g1_is_inf(p);
    g1_to_affine(&a, p);
    fp_to_bytes(out, &a.x);
    limb_t sign = fp_is_lexicographically_largest(&a.y) & (inf ^ 1);
    out[0] |= (uint8_t)(ENC_FLAG_C | inf * ENC_FLAG_I | sign * ENC_FLAG_S);
}

/* ---- G2 ---------------------------------------------------------------------- */

/* y with y^2 = x^3 + 4(1 + u), lexicographically-largest(y) == sign. */
static limb_t g2_y_from_x(fp2 *y, const fp2 *x, limb_t sign)
{
    fp2 y2, b, ny;
    fp_from_u32(&b.c0, 4);
    b.c1 = b.c0;                                  /* 4 + 4u */
    fp2_sqr(&y2, x);
    fp2_mul(&y2, &y2, x);
    fp2_add(&y2, &y2, &b);
    if (!fp2_sqrt(y, &y2)) return 0;
    fp2_neg(&ny, y);
    fp2_cmov(y, &ny, fp2_is_lexicographically_largest(y) ^ sign);
    return 1;
}

static limb_t g2_read_coords(g2_affine *a, const uint8_t *in, int compressed)
{
    uint8_t x[96];
    memcpy(x, in, sizeof x);
    x[0] &= (uint8_t)~ENC_FLAGS;
    if (!fp2_from_bytes(&a->x, x)) return 0;      /* both halves must be < p */
    if (compressed) return 1;
    return fp2_from_bytes(&a->y, in + 96);
}

dta_error g2_decode_on_curve(g2_affine *r, const uint8_t *in, size_t len)
{
    uint8_t f = 0;
    g2_affine a;
    r->x = FP2_ZERO;
    r->y = FP2_ZERO;
    dta_error e = enc_read_flags(&f, in, len, 96);
    if (e != DTA_OK || (f & ENC_FLAG_I)) return e;
    int compressed = (f & ENC_FLAG_C) != 0;
    if (!g2_read_coords(&a, in, compressed)) return DTA_BAD_ENCODING;
    if (compressed) {
        if (!g2_y_from_x(&a.y, &a.x, (f & ENC_FLAG_S) != 0)) return DTA_NOT_ON_CURVE;
    } else if (!g2_affine_on_curve(&a) || (fp2_is_zero(&a.x) & fp2_is_zero(&a.y))) {
        return DTA_NOT_ON_CURVE;
    }
    *r = a;
    return DTA_OK;
}

dta_error g2_decode(g2 *r, const uint8_t *in, size_t len)
{
    g2_affine a;
    g2 p;
    *r = G2_INFINITY;
    dta_error e = g2_decode_on_curve(&a, in, len);
    if (e != DTA_OK || (fp2_is_zero(&a.x) & fp2_is_zero(&a.y))) return e;   /* infinity: G2_INFINITY */
    g2_from_affine(&p, &a);
    if (!g2_in_subgroup(&p)) return DTA_NOT_IN_SUBGROUP;
    *r = p;
    return DTA_OK;
}

void g2_encode_uncompressed(uint8_t out[192], const g2 *p)
{
    g2_affine a;
    g2_to_affine(&a, p);
    fp2_to_bytes(out, &a.x);
    fp2_to_bytes(out + 96, &a.y);
    out[0] |= (uint8_t)(g2_is_inf(p) * ENC_FLAG_I);
}

void g2_encode_compressed(uint8_t out[96], const g2 *p)
{
    g2_affine a;
    limb_t inf = g2_is_inf(p);
    g2_to_affine(&a, p);
    fp2_to_bytes(out, &a.x);
    limb_t sign = fp2_is_lexicographically_largest(&a.y) & (inf ^ 1);
    out[0] |= (uint8_t)(ENC_FLAG_C | inf * ENC_FLAG_I | sign * ENC_FLAG_S);
}
