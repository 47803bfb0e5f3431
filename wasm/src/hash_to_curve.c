/*
 * RFC 9380 hashing to BLS12-381: expand_message_xmd with SHA-256, hash_to_field
 * for Fp and Fp2, and the four suite compositions
 *   BLS12381G1_XMD:SHA-256_SSWU_RO_ / _NU_  and  BLS12381G2_XMD:SHA-256_SSWU_RO_ / _NU_.
 * The maps themselves (SSWU + isogeny) live in map_to_g1.c and map_to_g2.c.
 * Messages and DSTs are public; the work is constant time in them anyway,
 * except for their lengths.
 */
#include "hash_to_curve.h"
#include "sha256.h"

#define XMD_B_BYTES 32U           /* b_in_bytes: SHA-256 output */
#define XMD_S_BYTES 64U           /* s_in_bytes: SHA-256 block */
#define XMD_MAX_BYTES (255U * XMD_B_BYTES)
#define H2C_L 64U                 /* L = ceil((ceil(log2(p)) + k) / 8), k = 128 */

/*
 * expand_message_xmd as a stream of 32-byte blocks b_1, b_2, ..., so that
 * hash_to_field can reduce each 64-byte slice as it comes instead of
 * buffering len_in_bytes. Not copyable: dst may point into dst_hash.
 */
typedef struct {
    uint8_t b0[32];               /* b_0 = H(Z_pad || msg || l_i_b_str || 0 || DST_prime) */
    uint8_t bi[32];               /* the last block produced, b_i */
    uint8_t dst_hash[32];         /* H("H2C-OVERSIZE-DST-" || DST) when DST > 255 bytes */
    const uint8_t *dst;
    size_t dst_len;               /* <= 255 after the oversize rule */
    uint32_t i;                   /* index of bi; 0 before the first block */
} xmd_stream;

/* RFC 9380 5.3.3: a DST longer than 255 bytes is replaced by its hash. */
static void xmd_set_dst(xmd_stream *s, const uint8_t *dst, size_t dst_len)
{
    static const uint8_t OVERSIZE[] = "H2C-OVERSIZE-DST-";
    sha256_ctx c;
    s->dst = dst;
    s->dst_len = dst_len;
    if (dst_len <= 255) return;
    sha256_init(&c);
    sha256_update(&c, OVERSIZE, sizeof OVERSIZE - 1);
    sha256_update(&c, dst, dst_len);
    sha256_final(s->dst_hash, &c);
    s->dst = s->dst_hash;
    s->dst_len = sizeof s->dst_hash;
}

/* Appends DST_prime = DST || I2OSP(len(DST), 1). */
static void xmd_absorb_dst_prime(sha256_ctx *c, const xmd_stream *s)
{
    uint8_t n = (uint8_t)s->dst_len;
    sha256_update(c, s->dst, s->dst_len);
    sha256_update(c, &n, 1);
}

/* The message part of b_0: a SHA-256 state over Z_pad, to which the
 * message is fed, at once or in chunks (long messages, h2c_msg_*). */
void h2c_msg_begin(sha256_ctx *m)
{
    static const uint8_t z_pad[XMD_S_BYTES] = {0};
    sha256_init(m);
    sha256_update(m, z_pad, sizeof z_pad);
}

/* RFC 9380 5.3.1 steps 1-7 from a state over Z_pad || msg: checks the
 * lengths and computes b_0. Returns 0 when len_in_bytes is out of range
 * (ell > 255). */
static int xmd_start_absorbed(xmd_stream *s, size_t out_len, const sha256_ctx *m,
                              const uint8_t *dst, size_t dst_len)
{
    uint8_t lib_zero[3] = {(uint8_t)(out_len >> 8), (uint8_t)out_len, 0};
    sha256_ctx c = *m;
    if (out_len > XMD_MAX_BYTES) return 0;          /* also covers > 65535 */
    xmd_set_dst(s, dst, dst_len);
    sha256_update(&c, lib_zero, sizeof lib_zero);  /* l_i_b_str || I2OSP(0, 1) */
    xmd_absorb_dst_prime(&c, s);
    sha256_final(s->b0, &c);
    s->i = 0;
    return 1;
}

static int xmd_start(xmd_stream *s, size_t out_len, const uint8_t *msg, size_t msg_len,
                     const uint8_t *dst, size_t dst_len)
{
    sha256_ctx m;
    h2c_msg_begin(&m);
    sha256_update(&m, msg, msg_len);
    return xmd_start_absorbed(s, out_len, &m, dst, dst_len);
}

/* b_1 = H(b_0 || 1 || DST_prime); b_i = H(strxor(b_0, b_(i-1)) || i || DST_prime). */
static void xmd_next(xmd_stream *s)
{
    uint8_t t[32], idx;
    sha256_ctx c;
    for (int k = 0; k < 32; k++) t[k] = (uint8_t)(s->b0[k] ^ (s->i ? s->bi[k] : 0));
    s->i++;
    idx = (uint8_t)s->i;
    sha256_init(&c);
    sha256_update(&c, t, sizeof t);
    sha256_update(&c, &idx, 1);
    xmd_absorb_dst_prime(&c, s);
    sha256_final(s->bi, &c);
}

/* Copies the next n bytes of uniform_bytes; n is a multiple of 32 except
 * possibly on the last call. */
static void xmd_read(xmd_stream *s, uint8_t *out, size_t n)
{
    while (n) {
        size_t take = n < XMD_B_BYTES ? n : XMD_B_BYTES;
        xmd_next(s);
        memcpy(out, s->bi, take);
        out += take;
        n -= take;
    }
}

static void xmd_wipe(xmd_stream *s) { secure_zero(s, sizeof *s); }

int expand_message_xmd(uint8_t *out, size_t out_len, const uint8_t *msg, size_t msg_len,
                       const uint8_t *dst, size_t dst_len)
{
    xmd_stream s;
    if (!xmd_start(&s, out_len, msg, msg_len, dst, dst_len)) return 0;
    xmd_read(&s, out, out_len);
    xmd_wipe(&s);
    return 1;
}

/* RFC 9380 5.2 with m = 1, L = 64: u[i] = OS2IP(64 bytes) mod p.
 * count is at most 127 (len_in_bytes <= 8160); larger counts give zeros. */
void hash_to_field_fp(fp *u, size_t count, const uint8_t *msg, size_t msg_len,
                      const uint8_t *dst, size_t dst_len)
{
    xmd_stream s;
    uint8_t tv[H2C_L];
    int ok = count <= XMD_MAX_BYTES / H2C_L
             && xmd_start(&s, count * H2C_L, msg, msg_len, dst, dst_len);
    for (size_t i = 0; i < count; i++) {
        if (!ok) { u[i] = FP_ZERO; continue; }
        xmd_read(&s, tv, H2C_L);
        fp_from_bytes_reduce(&u[i], tv, H2C_L);
    }
    if (ok) xmd_wipe(&s);
    secure_zero(tv, sizeof tv);
}

/* The same with m = 2: each element takes c0 then c1 from consecutive
 * 64-byte slices. count is at most 63. The message comes absorbed (m). */
static void hash_to_field_fp2_absorbed(fp2 *u, size_t count, const sha256_ctx *m,
                                       const uint8_t *dst, size_t dst_len)
{
    xmd_stream s;
    uint8_t tv[H2C_L];
    int ok = count <= XMD_MAX_BYTES / (2 * H2C_L)
             && xmd_start_absorbed(&s, count * 2 * H2C_L, m, dst, dst_len);
    for (size_t i = 0; i < count; i++) {
        if (!ok) { u[i] = FP2_ZERO; continue; }
        xmd_read(&s, tv, H2C_L);
        fp_from_bytes_reduce(&u[i].c0, tv, H2C_L);
        xmd_read(&s, tv, H2C_L);
        fp_from_bytes_reduce(&u[i].c1, tv, H2C_L);
    }
    if (ok) xmd_wipe(&s);
    secure_zero(tv, sizeof tv);
}

void hash_to_field_fp2(fp2 *u, size_t count, const uint8_t *msg, size_t msg_len,
                       const uint8_t *dst, size_t dst_len)
{
    sha256_ctx m;
    h2c_msg_begin(&m);
    sha256_update(&m, msg, msg_len);
    hash_to_field_fp2_absorbed(u, count, &m, dst, dst_len);
}

/* RFC 9380 3, hash_to_curve: two field elements, two maps, one addition,
 * then clear_cofactor (8.8.1: h_eff = 1 - z). */
void hash_to_g1(g1 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len)
{
    fp u[2];
    g1 q0, q1;
    hash_to_field_fp(u, 2, msg, msg_len, dst, dst_len);
    map_to_curve_g1(&q0, &u[0]);
    map_to_curve_g1(&q1, &u[1]);
    g1_add(&q0, &q0, &q1);
    g1_clear_cofactor(r, &q0);
}

/* RFC 9380 3, encode_to_curve: one field element, nonuniform output. */
void encode_to_g1(g1 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len)
{
    fp u;
    g1 q;
    hash_to_field_fp(&u, 1, msg, msg_len, dst, dst_len);
    map_to_curve_g1(&q, &u);
    g1_clear_cofactor(r, &q);
}

/* As hash_to_g1, over Fp2; cofactor clearing per RFC 9380 8.8.2 / G.3.
 * The message comes absorbed (h2c_msg_begin, then sha256_update). */
void hash_to_g2_absorbed(g2 *r, const sha256_ctx *m, const uint8_t *dst, size_t dst_len)
{
    fp2 u[2];
    g2 q0, q1;
    hash_to_field_fp2_absorbed(u, 2, m, dst, dst_len);
    map_to_curve_g2(&q0, &u[0]);
    map_to_curve_g2(&q1, &u[1]);
    g2_add(&q0, &q0, &q1);
    g2_clear_cofactor(r, &q0);
}

void hash_to_g2(g2 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len)
{
    sha256_ctx m;
    h2c_msg_begin(&m);
    sha256_update(&m, msg, msg_len);
    hash_to_g2_absorbed(r, &m, dst, dst_len);
}

void encode_to_g2(g2 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len)
{
    fp2 u;
    g2 q;
    hash_to_field_fp2(&u, 1, msg, msg_len, dst, dst_len);
    map_to_curve_g2(&q, &u);
    g2_clear_cofactor(r, &q);
}
