/*
 * ML-KEM-768 (FIPS 203): K-PKE and the Fujisaki-Okamoto wrapper with
 * implicit rejection. Secrets (s, e, r, m, the shared key) never choose a
 * branch or an index; the decapsulation compares the re-encryption and
 * picks K or K-bar by masks. The matrix A is sampled one entry at a time
 * where it is used, so no 4.6 KB matrix sits on the stack; except in
 * mlkem768_decaps_fresh, where keygen and the re-encryption share it.
 */
#include "mlkem.h"
#include "keccak.h"
/* The ring and its encodings, mlkem_poly.c, come just before this file in lib.c. */

#define MLKEM_POLY_BYTES 384
#define MLKEM_PKE_SK_BYTES (MLKEM_K * MLKEM_POLY_BYTES)        /* 1152 */
#define MLKEM_DU 10
#define MLKEM_DV 4
#define MLKEM_U_BYTES (MLKEM_K * MLKEM_N * MLKEM_DU / 8)        /* 960 */

typedef struct { poly p[MLKEM_K]; } polyvec;

/* FIPS 203 Algorithm 7, SampleNTT: rejection sampling of 12-bit values
 * below q from SHAKE128(rho || j || i). rho is public, so the loop's
 * length may depend on it. */
static void sample_ntt(poly *a, const uint8_t rho[32], uint8_t j, uint8_t i)
{
    keccak_ctx x;
    uint8_t block[SHAKE128_RATE], idx[2] = {j, i};
    keccak_init(&x, SHAKE128_RATE);
    keccak_absorb(&x, rho, 32);
    keccak_absorb(&x, idx, 2);
    keccak_finish(&x, 0x1f);
    int n = 0;
    while (n < MLKEM_N) {
        keccak_squeeze(&x, block, sizeof block);              /* one whole block: 56 triples */
        for (int k = 0; k < (int)SHAKE128_RATE && n < MLKEM_N; k += 3) {
            const uint8_t *b = block + k;
            uint16_t d1 = (uint16_t)(b[0] | ((b[1] & 15) << 8)), d2 = (uint16_t)((b[1] >> 4) | (b[2] << 4));
            if (d1 < MLKEM_Q) a->c[n++] = (int16_t)d1;
            if (d2 < MLKEM_Q && n < MLKEM_N) a->c[n++] = (int16_t)d2;
        }
    }
}

/* FIPS 203 Algorithm 8 with eta = 2 over PRF_2(s, n) = SHAKE256(s || n, 128):
 * each coefficient is the difference of two 2-bit popcounts. */
static void sample_cbd2(poly *p, const uint8_t seed[32], uint8_t nonce)
{
    uint8_t buf[128], in[33];
    memcpy(in, seed, 32);
    in[32] = nonce;
    shake256(buf, sizeof buf, in, sizeof in);
    for (int i = 0; i < MLKEM_N / 8; i++) {
        uint32_t t = buf[4 * i] | ((uint32_t)buf[4 * i + 1] << 8) | ((uint32_t)buf[4 * i + 2] << 16)
                   | ((uint32_t)buf[4 * i + 3] << 24);
        uint32_t sum = (t & 0x55555555) + ((t >> 1) & 0x55555555);
        for (int j = 0; j < 8; j++) {
            int16_t a = (int16_t)((sum >> (4 * j)) & 3), b = (int16_t)((sum >> (4 * j + 2)) & 3);
            p->c[8 * i + j] = (int16_t)(a - b);
        }
    }
    secure_zero(buf, sizeof buf);
    secure_zero(in, sizeof in);
}

/* The whole matrix, a[i K + j] = A[i][j] (public: it comes from rho). */
typedef struct { poly a[MLKEM_K * MLKEM_K]; } polymat;

static void expand_matrix(polymat *m, const uint8_t rho[32])
{
    for (int i = 0; i < MLKEM_K; i++)
        for (int j = 0; j < MLKEM_K; j++) sample_ntt(&m->a[i * MLKEM_K + j], rho, (uint8_t)j, (uint8_t)i);
}

/* r = sum over j of A[row][j] o v[j] (transposed: A[j][row]), reduced, still times R^-1.
 * FIPS 203 fills A[i][j] from SampleNTT(rho || j || i); taken from m when given, else sampled here. */
static void matrix_row_mul(poly *r, const uint8_t rho[32], const polymat *m, int row, int transposed,
                           const polyvec *v)
{
    poly a;
    memset(r, 0, sizeof *r);
    for (int j = 0; j < MLKEM_K; j++) {
        int i_a = transposed ? j : row, j_a = transposed ? row : j;     /* the entry A[i_a][j_a] */
        const poly *e = &a;
        if (m) e = &m->a[i_a * MLKEM_K + j_a];
        else sample_ntt(&a, rho, (uint8_t)j_a, (uint8_t)i_a);
        poly_basemul_acc(r, e, &v->p[j]);
    }
    poly_reduce(r);
}

static void inner_product(poly *r, const polyvec *a, const polyvec *b)
{
    memset(r, 0, sizeof *r);
    for (int j = 0; j < MLKEM_K; j++) poly_basemul_acc(r, &a->p[j], &b->p[j]);
    poly_reduce(r);
}

/* FIPS 203 Algorithm 13, K-PKE.KeyGen from (rho, sigma) = G(d || k). */
static void pke_keygen(uint8_t ek[1184], uint8_t sk[1152], const uint8_t d[32], polymat *m)
{
    uint8_t in[33], rho_sigma[64];
    polyvec s, e;
    poly t;
    memcpy(in, d, 32);
    in[32] = MLKEM_K;
    sha3_512(rho_sigma, in, sizeof in);
    const uint8_t *rho = rho_sigma, *sigma = rho_sigma + 32;
    for (int i = 0; i < MLKEM_K; i++) sample_cbd2(&s.p[i], sigma, (uint8_t)i);
    for (int i = 0; i < MLKEM_K; i++) sample_cbd2(&e.p[i], sigma, (uint8_t)(MLKEM_K + i));
    for (int i = 0; i < MLKEM_K; i++) {
        poly_ntt(&s.p[i]);
        poly_ntt(&e.p[i]);
    }
    if (m) expand_matrix(m, rho);
    for (int i = 0; i < MLKEM_K; i++) {
        matrix_row_mul(&t, rho, m, i, 0, &s);
        poly_tomont(&t);
        poly_add(&t, &t, &e.p[i]);
        poly_encode12(ek + i * MLKEM_POLY_BYTES, &t);
        poly_encode12(sk + i * MLKEM_POLY_BYTES, &s.p[i]);
    }
    memcpy(ek + MLKEM_PKE_SK_BYTES, rho, 32);
    secure_zero(in, sizeof in);
    secure_zero(rho_sigma, sizeof rho_sigma);
    secure_zero(&s, sizeof s);
    secure_zero(&e, sizeof e);
    secure_zero(&t, sizeof t);
}

/* FIPS 203 Algorithm 14, K-PKE.Encrypt; t_hat is ek's decoded (checked) vector. */
static void pke_encrypt(uint8_t ct[1088], const polyvec *t_hat, const uint8_t rho[32], const polymat *a,
                        const uint8_t m[32], const uint8_t coins[32])
{
    polyvec r;
    poly e, u, v, mu;
    for (int i = 0; i < MLKEM_K; i++) {
        sample_cbd2(&r.p[i], coins, (uint8_t)i);
        poly_ntt(&r.p[i]);
    }
    for (int i = 0; i < MLKEM_K; i++) {
        matrix_row_mul(&u, rho, a, i, 1, &r);
        poly_invntt(&u);
        sample_cbd2(&e, coins, (uint8_t)(MLKEM_K + i));
        poly_add(&u, &u, &e);
        poly_compress(ct + i * (MLKEM_N * MLKEM_DU / 8), &u, MLKEM_DU);
    }
    inner_product(&v, t_hat, &r);
    poly_invntt(&v);
    sample_cbd2(&e, coins, (uint8_t)(2 * MLKEM_K));
    poly_decompress(&mu, m, 1);
    poly_add(&v, &v, &e);
    poly_add(&v, &v, &mu);
    poly_compress(ct + MLKEM_U_BYTES, &v, MLKEM_DV);
    secure_zero(&r, sizeof r);
    secure_zero(&e, sizeof e);
    secure_zero(&u, sizeof u);
    secure_zero(&v, sizeof v);
    secure_zero(&mu, sizeof mu);
}

/* FIPS 203 Algorithm 15, K-PKE.Decrypt. */
static void pke_decrypt(uint8_t m[32], const uint8_t sk[1152], const uint8_t ct[1088])
{
    polyvec u, s;
    poly w;
    for (int i = 0; i < MLKEM_K; i++) {
        poly_decompress(&u.p[i], ct + i * (MLKEM_N * MLKEM_DU / 8), MLKEM_DU);
        poly_ntt(&u.p[i]);
        (void)poly_decode12(&s.p[i], sk + i * MLKEM_POLY_BYTES);  /* dk is trusted once its hash checks */
    }
    inner_product(&w, &s, &u);
    poly_invntt(&w);
    poly_decompress(&u.p[0], ct + MLKEM_U_BYTES, MLKEM_DV);
    poly_sub(&w, &u.p[0], &w);
    poly_compress(m, &w, 1);
    secure_zero(&s, sizeof s);
    secure_zero(&w, sizeof w);
}

static void keygen_with(uint8_t ek[1184], uint8_t dk[2400], const uint8_t d[32], const uint8_t z[32], polymat *m)
{
    pke_keygen(ek, dk, d, m);
    memcpy(dk + MLKEM_PKE_SK_BYTES, ek, MLKEM768_EK_BYTES);
    sha3_256(dk + MLKEM_PKE_SK_BYTES + MLKEM768_EK_BYTES, ek, MLKEM768_EK_BYTES);
    memcpy(dk + MLKEM768_DK_BYTES - 32, z, 32);
}

void mlkem768_keygen(uint8_t ek[1184], uint8_t dk[2400], const uint8_t d[32], const uint8_t z[32])
{
    keygen_with(ek, dk, d, z, 0);
}

/* Decodes ek's vector; all-ones when the modulus check passes. */
static limb_t decode_ek(polyvec *t_hat, const uint8_t ek[1184])
{
    limb_t ok = (limb_t)-1;
    for (int i = 0; i < MLKEM_K; i++) ok &= poly_decode12(&t_hat->p[i], ek + i * MLKEM_POLY_BYTES);
    return ok;
}

/* (K, r) = G(m || H(ek)), then c = K-PKE.Encrypt(ek, m, r). */
static void encaps_with_hash(uint8_t ct[1088], uint8_t k_r[64], const polyvec *t_hat, const uint8_t ek[1184],
                             const polymat *a, const uint8_t m[32], const uint8_t h[32])
{
    uint8_t in[64];
    memcpy(in, m, 32);
    memcpy(in + 32, h, 32);
    sha3_512(k_r, in, sizeof in);
    pke_encrypt(ct, t_hat, ek + MLKEM_PKE_SK_BYTES, a, m, k_r + 32);
    secure_zero(in, sizeof in);
}

dta_error mlkem768_encaps(uint8_t ct[1088], uint8_t ss[32], const uint8_t ek[1184], const uint8_t m[32])
{
    polyvec t_hat;
    uint8_t h[32], k_r[64];
    if (!decode_ek(&t_hat, ek)) return DTA_BAD_ENCODING;      /* ek is public: a branch is fine */
    sha3_256(h, ek, MLKEM768_EK_BYTES);
    encaps_with_hash(ct, k_r, &t_hat, ek, 0, m, h);
    memcpy(ss, k_r, 32);
    secure_zero(k_r, sizeof k_r);
    return DTA_OK;
}

/* FIPS 203 Algorithm 18 after the input checks; a: A when known, else sampled as used. */
static void decaps_checked(uint8_t ss[32], const uint8_t ct[1088], const uint8_t dk[2400], const polymat *a)
{
    const uint8_t *sk = dk, *ek = dk + MLKEM_PKE_SK_BYTES;
    const uint8_t *h = ek + MLKEM768_EK_BYTES, *z = h + 32;
    uint8_t m[32], k_r[64], k_bar[32], ct2[MLKEM768_CT_BYTES];
    polyvec t_hat;
    pke_decrypt(m, sk, ct);
    (void)decode_ek(&t_hat, ek);
    encaps_with_hash(ct2, k_r, &t_hat, ek, a, m, h);
    keccak_ctx j;                                             /* K-bar = J(z || c) */
    keccak_init(&j, SHAKE256_RATE);
    keccak_absorb(&j, z, 32);
    keccak_absorb(&j, ct, MLKEM768_CT_BYTES);
    keccak_finish(&j, 0x1f);
    keccak_squeeze(&j, k_bar, 32);
    limb_t differ = ~ct_is_zero_mask(ct_memneq(ct, ct2, MLKEM768_CT_BYTES));
    for (int i = 0; i < 32; i++) ss[i] = (uint8_t)((k_r[i] & ~differ) | (k_bar[i] & differ));
    secure_zero(m, sizeof m);
    secure_zero(k_r, sizeof k_r);
    secure_zero(k_bar, sizeof k_bar);
    secure_zero(ct2, sizeof ct2);
    secure_zero(&j, sizeof j);
}

dta_error mlkem768_decaps(uint8_t ss[32], const uint8_t ct[1088], const uint8_t dk[2400])
{
    const uint8_t *ek = dk + MLKEM_PKE_SK_BYTES, *h = ek + MLKEM768_EK_BYTES;
    uint8_t check[32];
    sha3_256(check, ek, MLKEM768_EK_BYTES);                   /* FIPS 203 7.3 hash check */
    if (ct_memneq(check, h, 32)) return DTA_BAD_ENCODING;
    decaps_checked(ss, ct, dk, 0);
    return DTA_OK;
}

/* A dk made here from (d, z) needs no hash check (7.3 is for keys from elsewhere); its keygen's A serves the
 * re-encryption. dk is written out (the caller wipes it). */
void mlkem768_decaps_fresh(uint8_t ss[32], uint8_t dk[2400], const uint8_t ct[1088], const uint8_t d[32],
                           const uint8_t z[32])
{
    uint8_t ek[MLKEM768_EK_BYTES];
    polymat a;
    keygen_with(ek, dk, d, z, &a);
    decaps_checked(ss, ct, dk, &a);
}
