/*
 * The hashes of M-Pin and Milagro's map to G1 (docs/mpin.md#mapit):
 * mhashit, HASH_ID, the identity point A = H(ID) and the permit point A_T.
 * Their inputs are public (identities, dates), so the map runs in
 * variable time.
 */
#include "mpin.h"

/* The G1 cofactor h = (u - 1)^2 / 3 = 0x396c8c005555e1568c00aaab0000aaab:
 * Milagro's mapit clears with h itself, not with RFC 9380's h_eff. */
#define MPIN_G1_COFACTOR_HI 0x396c8c005555e156ULL
#define MPIN_G1_COFACTOR_LO 0x8c00aaab0000aaabULL

/*
 * h P for any P of E(Fp), as (h_hi P) 2^64 + h_lo P. The point is not in
 * G1 yet, so no GLV endomorphism may be used (phi acts as -u^2 only on
 * G1): a double-and-add on each 64-bit half (g1_mult_by_u64_vartime takes
 * any point of E) and complete doublings and addition. Safe by
 * construction, not by the size of h; h is public, so variable time.
 */
static void mpin_clear_cofactor_vartime(g1 *r, const g1 *p)
{
    g1 lo;
    g1_mult_by_u64_vartime(&lo, p, MPIN_G1_COFACTOR_LO);   /* first: r may be p */
    g1_mult_by_u64_vartime(r, p, MPIN_G1_COFACTOR_HI);
    for (int i = 0; i < 64; i++) g1_dbl(r, r);
    g1_add(r, r, &lo);
}

/* mhashit(SHA-256, n, X) into an MB-byte octet: SHA-256 of an optional
 * 4-byte big-endian n (only when n > 0) and X, left-padded with zeros. */
static void mpin_hash_begin(sha256_ctx *c, uint32_t n)
{
    uint8_t be[4] = { (uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n };
    sha256_init(c);
    if (n > 0) sha256_update(c, be, 4);
}

static void mpin_hash_end(uint8_t out[48], sha256_ctx *c)
{
    memset(out, 0, MPIN_MB - 32);
    sha256_final(out + MPIN_MB - 32, c);
}

void mpin_hash_id(uint8_t hid[48], const uint8_t *id, size_t id_len)
{
    sha256_ctx c;
    mpin_hash_begin(&c, 0);
    sha256_update(&c, id, id_len);
    mpin_hash_end(hid, &c);
}

/*
 * Milagro's ECP_mapit, try-and-increment: x = W mod p, then x, x+1, ...
 * until x^3 + 4 is a square; take the root with even y, multiply by the
 * cofactor h, and go on if that gives infinity. Variable time: the input
 * is a hash of a public identity.
 */
void mpin_map_vartime(g1 *r, const uint8_t w[48])
{
    g1_affine a;
    fp rhs, four;
    fp_from_bytes_reduce(&a.x, w, MPIN_MB);
    fp_from_u32(&four, 4);
    for (;;) {
        fp_sqr(&rhs, &a.x);
        fp_mul(&rhs, &rhs, &a.x);
        fp_add(&rhs, &rhs, &four);      /* x^3 + 4, never 0: no 2-torsion */
        if (fp_sqrt(&a.y, &rhs)) {
            if (fp_sgn0(&a.y)) fp_neg(&a.y, &a.y);
            g1_from_affine(r, &a);
            mpin_clear_cofactor_vartime(r, r);
            if (!g1_is_inf(r)) return;
        }
        fp_add(&a.x, &a.x, &FP_ONE);
    }
}

/* H(ID) = mapit(HASH_ID(ID)); also returns HASH_ID(ID) when hid != 0. */
static void mpin_hash_to_g1_vartime(g1 *r, uint8_t *hid, const uint8_t *id, size_t id_len)
{
    uint8_t h[MPIN_MB];
    mpin_hash_id(h, id, id_len);
    mpin_map_vartime(r, h);
    if (hid) memcpy(hid, h, MPIN_MB);
}

/* The permit point A_T = mapit(mhashit(date, HASH_ID(ID))) (docs/mpin.md#time-permits). */
static void mpin_permit_base_vartime(g1 *r, uint32_t date, const uint8_t hid[48])
{
    sha256_ctx c;
    uint8_t h[MPIN_MB];
    mpin_hash_begin(&c, date);
    sha256_update(&c, hid, MPIN_MB);
    mpin_hash_end(h, &c);
    mpin_map_vartime(r, h);
}
