/*
 * M-Pin on BLS12-381, byte-compatible with Apache Milagro crypto-c
 * (src/mpin.c.in, BLS381 build). The math and encodings are in the shared
 * MPIN.md; section numbers below refer to it.
 *
 * Roles: D-TAs hold master-secret shares s_i; a client holds TOKEN =
 * (s - pin) H(ID) in G1; a server holds s Q in G2. A login proves
 * knowledge of s H(ID) with one two-pair pairing product.
 *
 * Constant time: anything derived from a master secret, a PIN, a token,
 * a client secret or the protocol randomness (x, r, w, z) goes through
 * g1_mult / g2_mult, the PIN ladder or the windowed GT power below, all
 * free of secret-dependent branches and indices. Variable-time code
 * (_vartime) sees only public values: identities, dates, U, V, y, h.
 * Validity errors do branch: an invalid input ends the call.
 *
 * Names of the static helpers carry the mpin_ prefix: the unity build
 * puts every layer in one translation unit.
 */
#include "mpin.h"
#include "pairing.h"
#include "sha256.h"

#define MPIN_MB 48                  /* Milagro's MODBYTES on BLS381 */
#define MPIN_G1 97
#define MPIN_G2 192
#define MPIN_GT 576
#define MPIN_KEY 16                 /* Milagro's AESKEY on BLS381 */
#define MPIN_PIN_BITS 14            /* Milagro's PBLEN */
#define MPIN_MAX_PIN 10000U         /* Milagro's MAXPIN */
#define MPIN_GT_WINDOW 4            /* bits per window of the GT power */

/* The G1 cofactor h = (u - 1)^2 / 3 = 0x396c8c005555e1568c00aaab0000aaab:
 * Milagro's mapit clears with h itself, not with RFC 9380's h_eff. */
static const scalar MPIN_G1_COFACTOR = {{ 0x0000aaab, 0x8c00aaab, 0x5555e156, 0x396c8c00 }};

/* Zero the output when e is an error, then pass e on. */
static dta_error mpin_finish(dta_error e, void *out, size_t out_len)
{
    if (e != DTA_OK && out) secure_zero(out, out_len);
    return e;
}

/* ---- Milagro encodings (MPIN.md 1.4) ---------------------------------------- */

/* Affine (0, 0) is how g1.h spells infinity; it never crosses this API. */
dta_error mpin_g1_decode(g1 *r, const uint8_t in[97])
{
    g1_affine a;
    if (in[0] != 0x04) return DTA_BAD_ENCODING;
    limb_t ok = fp_from_bytes(&a.x, in + 1) & fp_from_bytes(&a.y, in + 1 + MPIN_MB);
    if (!ok) return DTA_BAD_ENCODING;
    if (fp_is_zero(&a.x) & fp_is_zero(&a.y)) return DTA_INFINITY;
    if (!g1_affine_on_curve(&a)) return DTA_NOT_ON_CURVE;
    g1_from_affine(r, &a);
    if (!g1_in_subgroup(r)) return DTA_NOT_IN_SUBGROUP;
    return DTA_OK;
}

dta_error mpin_g1_encode(uint8_t out[97], const g1 *p)
{
    g1_affine a;
    if (g1_is_inf(p)) return DTA_INFINITY;
    g1_to_affine(&a, p);
    out[0] = 0x04;
    fp_to_bytes(out + 1, &a.x);
    fp_to_bytes(out + 1 + MPIN_MB, &a.y);
    return DTA_OK;
}

/* G2 is x.re || x.im || y.re || y.im: no prefix, real part first. */
dta_error mpin_g2_decode(g2 *r, const uint8_t in[192])
{
    g2_affine a;
    limb_t ok = fp_from_bytes(&a.x.c0, in) & fp_from_bytes(&a.x.c1, in + MPIN_MB) &
                fp_from_bytes(&a.y.c0, in + 2 * MPIN_MB) & fp_from_bytes(&a.y.c1, in + 3 * MPIN_MB);
    if (!ok) return DTA_BAD_ENCODING;
    if (fp2_is_zero(&a.x) & fp2_is_zero(&a.y)) return DTA_INFINITY;
    if (!g2_affine_on_curve(&a)) return DTA_NOT_ON_CURVE;
    g2_from_affine(r, &a);
    if (!g2_in_subgroup(r)) return DTA_NOT_IN_SUBGROUP;
    return DTA_OK;
}

dta_error mpin_g2_encode(uint8_t out[192], const g2 *p)
{
    g2_affine a;
    if (g2_is_inf(p)) return DTA_INFINITY;
    g2_to_affine(&a, p);
    fp_to_bytes(out, &a.x.c0);
    fp_to_bytes(out + MPIN_MB, &a.x.c1);
    fp_to_bytes(out + 2 * MPIN_MB, &a.y.c0);
    fp_to_bytes(out + 3 * MPIN_MB, &a.y.c1);
    return DTA_OK;
}

/* A 48-byte big-endian scalar: 16 zero bytes, then 32 bytes < r. Milagro
 * reads scalars unreduced; every scalar it produces is < r, and we accept
 * only those. Constant time in the value. */
dta_error mpin_fr_decode(fr *r, const uint8_t in[48])
{
    limb_t high = 0;
    for (int i = 0; i < MPIN_MB - 32; i++) high |= in[i];
    limb_t ok = fr_from_bytes(r, in + MPIN_MB - 32) & ct_is_zero(launder(high));
    if (!ok) {
        *r = FR_ZERO;
        return DTA_BAD_SCALAR;
    }
    return DTA_OK;
}

void mpin_fr_encode(uint8_t out[48], const fr *a)
{
    memset(out, 0, MPIN_MB - 32);
    fr_to_bytes(out + MPIN_MB - 32, a);
}

static dta_error mpin_scalar_decode(scalar *s, const uint8_t in[48])
{
    fr a;
    dta_error e = mpin_fr_decode(&a, in);
    fr_to_scalar(s, &a);
    secure_zero(&a, sizeof a);
    return e;
}

/*
 * GT bytes in Milagro's tower (MPIN.md 1.3-1.4). Milagro builds
 * Fp12 = Fp4[W]/(W^3 - V) over Fp4 = Fp2[V]/(V^2 - (1+u)); ours is
 * Fp6[w]/(w^2 - v) over Fp6 = Fp2[v]/(v^3 - (1+u)). Both are
 * Fp2[w]/(w^6 - (1+u)) with W = w and V = w^3, and both pairings untwist
 * by (x w^-2, y w^-3), so the same element just lists its six Fp2
 * coefficients (of w^0..w^5) in another order. Milagro's octet order
 * a.a, a.b, b.a, b.b, c.a, c.b is the coefficient of
 * W^0, W^3, W^1, W^4, W^2, W^5; ours holds w^k in c(k mod 2).c(k div 2).
 */
static fp2 *mpin_gt_slot(fp12 *a, int k)
{
    static const int power[6] = { 0, 3, 1, 4, 2, 5 };
    int j = power[k];
    fp6 *half = (j & 1) ? &a->c1 : &a->c0;
    return j / 2 == 0 ? &half->c0 : j / 2 == 1 ? &half->c1 : &half->c2;
}

void mpin_gt_encode(uint8_t out[576], const fp12 *a)
{
    fp12 t = *a;
    for (int k = 0; k < 6; k++) {
        const fp2 *c = mpin_gt_slot(&t, k);
        fp_to_bytes(out + 96 * k, &c->c0);
        fp_to_bytes(out + 96 * k + MPIN_MB, &c->c1);
    }
    secure_zero(&t, sizeof t);
}

static limb_t mpin_gt_is_member(const fp12 *g);

/* Canonical coefficients and membership in GT (a GT value from outside
 * could otherwise steer the key derivation into a small subgroup). */
dta_error mpin_gt_decode(fp12 *r, const uint8_t in[576])
{
    limb_t ok = 1;
    for (int k = 0; k < 6; k++) {
        fp2 *c = mpin_gt_slot(r, k);
        ok &= fp_from_bytes(&c->c0, in + 96 * k);
        ok &= fp_from_bytes(&c->c1, in + 96 * k + MPIN_MB);
    }
    if (!ok) return DTA_BAD_ENCODING;
    if (!mpin_gt_is_member(r)) return DTA_NOT_IN_SUBGROUP;
    return DTA_OK;
}

/* ---- GT arithmetic --------------------------------------------------------- */

/* r = a^|u| conjugated = a^u, for a in the cyclotomic subgroup. */
static void mpin_gt_exp_u(fp12 *r, const fp12 *a)
{
    const uint64_t u_abs = 0xd201000000010000ULL;
    fp12 acc = *a;
    for (int bit = 62; bit >= 0; bit--) {
        fp12_cyclotomic_sqr(&acc, &acc);
        if ((u_abs >> bit) & 1) fp12_mul(&acc, &acc, a);
    }
    fp12_conj(r, &acc);
}

/*
 * g in GT, the order-r subgroup of Fp12*: g is unitary (g conj(g) = 1,
 * which also excludes 0), in the cyclotomic subgroup (g^(p^4 - p^2 + 1)
 * = 1) and g^p = g^u. The last test is Scott's for BLS12 curves, where
 * p = u mod r: https://eprint.iacr.org/2021/1130 section 6.
 */
static limb_t mpin_gt_is_member(const fp12 *g)
{
    fp12 a, b;
    fp12_conj(&a, g);
    fp12_mul(&a, &a, g);
    limb_t ok = fp12_is_one(&a);
    fp12_frobenius(&a, g, 2);           /* g^(p^2) */
    fp12_frobenius(&b, &a, 2);          /* g^(p^4) */
    fp12_mul(&b, &b, g);
    ok &= fp12_eq(&a, &b);
    mpin_gt_exp_u(&a, g);
    fp12_frobenius(&b, g, 1);
    return ok & fp12_eq(&a, &b);
}

/*
 * r = g^k for g in GT and k given as `windows` 4-bit windows of the
 * little-endian limbs k: fixed-window exponentiation whose table lookups
 * scan all sixteen entries, so neither branches nor addresses depend on k.
 */
static void mpin_gt_pow(fp12 *r, const fp12 *g, const limb_t *k, int windows)
{
    fp12 table[1 << MPIN_GT_WINDOW], t, acc = FP12_ONE;
    table[0] = FP12_ONE;
    table[1] = *g;
    for (int i = 2; i < (1 << MPIN_GT_WINDOW); i++) fp12_mul(&table[i], &table[i - 1], g);
    for (int w = windows - 1; w >= 0; w--) {
        for (int j = 0; j < MPIN_GT_WINDOW; j++) fp12_cyclotomic_sqr(&acc, &acc);
        limb_t d = (k[w / 8] >> (MPIN_GT_WINDOW * (w % 8))) & 15;
        t = table[0];
        for (int i = 1; i < (1 << MPIN_GT_WINDOW); i++) fp12_cmov(&t, &table[i], ct_is_zero(d ^ (limb_t)i));
        fp12_mul(&acc, &acc, &t);
    }
    *r = acc;
    secure_zero(table, sizeof table);
    secure_zero(&t, sizeof t);
    secure_zero(&acc, sizeof acc);
}

/* Milagro's GT value e(P, Q): the same bytes as PAIR_ate + PAIR_fexp,
 * whose exponent carries the same factor 3 as final_exponentiation. */
static void mpin_pair(fp12 *r, const g1 *p, const g2 *q)
{
    g1_affine pa;
    g2_affine qa;
    g1_to_affine(&pa, p);
    g2_to_affine(&qa, q);
    pairing(r, &pa, &qa);
}

/* ---- Hashes and the map to G1 (MPIN.md 1.6) ---------------------------------- */

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
            g1_mult_vartime(r, r, &MPIN_G1_COFACTOR);
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

/* The permit point A_T = mapit(mhashit(date, HASH_ID(ID))) (MPIN.md 2.4). */
static void mpin_permit_base_vartime(g1 *r, uint32_t date, const uint8_t hid[48])
{
    sha256_ctx c;
    uint8_t h[MPIN_MB];
    mpin_hash_begin(&c, date);
    sha256_update(&c, hid, MPIN_MB);
    mpin_hash_end(h, &c);
    mpin_map_vartime(r, h);
}

/* ---- Small secret multipliers ------------------------------------------------ */

static void mpin_g1_cswap(g1 *a, g1 *b, limb_t flag)
{
    g1 t = *a;
    g1_cmov(a, b, flag);
    g1_cmov(b, &t, flag);
}

/* r = k p over the low `bits` bits of k: a Montgomery ladder with complete
 * formulas and conditional swaps (Milagro's ECP_pinmul), constant time. */
static void mpin_g1_mul_small(g1 *r, const g1 *p, uint32_t k, unsigned bits)
{
    g1 r0 = G1_INFINITY, r1 = *p;
    for (unsigned i = bits; i-- > 0;) {
        limb_t b = (k >> i) & 1;
        mpin_g1_cswap(&r0, &r1, b);
        g1_add(&r1, &r0, &r1);
        g1_dbl(&r0, &r0);
        mpin_g1_cswap(&r0, &r1, b);
    }
    *r = r0;
    secure_zero(&r1, sizeof r1);
}

/* ---- Issuing (MPIN.md 2.2, 2.4) -------------------------------------------- */

/* A uniform scalar in [1, r) from 64 random bytes (512 bits reduced mod r:
 * bias below 2^-256), as Milagro's RANDOM_GENERATE draws from 2 nbits(r). */
dta_error mpin_random_scalar(uint8_t out[48], const uint8_t random[64])
{
    fr a;
    fr_from_bytes_reduce(&a, random, 64);
    dta_error e = fr_is_zero(&a) ? DTA_BAD_SCALAR : DTA_OK;
    mpin_fr_encode(out, &a);
    secure_zero(&a, sizeof a);
    return mpin_finish(e, out, MPIN_MB);
}

dta_error mpin_map_to_g1(uint8_t out[97], const uint8_t hid[48])
{
    g1 a;
    mpin_map_vartime(&a, hid);
    return mpin_finish(mpin_g1_encode(out, &a), out, MPIN_G1);
}

/* Server-secret share s_i Q. */
dta_error mpin_server_secret(uint8_t out[192], const uint8_t s[48])
{
    scalar k;
    g2 q;
    dta_error e = mpin_scalar_decode(&k, s);
    if (e == DTA_OK) {
        g2_mult(&q, &G2_GENERATOR, &k);
        e = mpin_g2_encode(out, &q);
    }
    secure_zero(&k, sizeof k);
    return mpin_finish(e, out, MPIN_G2);
}

/* k * base, the shared tail of the client secret and the permit. */
static dta_error mpin_mul_encode(uint8_t out[97], const uint8_t k48[48], const g1 *base)
{
    scalar k;
    g1 p;
    dta_error e = mpin_scalar_decode(&k, k48);
    if (e == DTA_OK) {
        g1_mult(&p, base, &k);
        e = mpin_g1_encode(out, &p);
    }
    secure_zero(&k, sizeof k);
    secure_zero(&p, sizeof p);
    return mpin_finish(e, out, MPIN_G1);
}

/* Client-secret share s_i H(ID); the caller passes HASH_ID(ID), as in Milagro. */
dta_error mpin_client_secret(uint8_t out[97], const uint8_t s[48], const uint8_t hid[48])
{
    g1 a;
    mpin_map_vartime(&a, hid);
    return mpin_mul_encode(out, s, &a);
}

/* Time-permit share s_i H(date || HASH_ID(ID)); date in days, > 0. */
dta_error mpin_client_permit(uint8_t out[97], uint32_t date, const uint8_t s[48],
                             const uint8_t hid[48])
{
    g1 a;
    if (date == 0) return mpin_finish(DTA_BAD_ARGUMENT, out, MPIN_G1);
    mpin_permit_base_vartime(&a, date, hid);
    return mpin_mul_encode(out, s, &a);
}

/* W = k P for any valid G1 point (Milagro's GET_G1_MULTIPLE, type 0). */
dta_error mpin_g1_mul(uint8_t out[97], const uint8_t k[48], const uint8_t p[97])
{
    g1 base;
    dta_error e = mpin_g1_decode(&base, p);
    if (e != DTA_OK) return mpin_finish(e, out, MPIN_G1);
    e = mpin_mul_encode(out, k, &base);
    secure_zero(&base, sizeof base);
    return e;
}

/* Sum of n >= 1 shares (RECOMBINE_G1 applied n - 1 times). */
dta_error mpin_recombine_g1(uint8_t out[97], const uint8_t *shares, size_t n)
{
    g1 acc = G1_INFINITY, p;
    dta_error e = n == 0 ? DTA_BAD_ARGUMENT : DTA_OK;
    for (size_t i = 0; i < n && e == DTA_OK; i++) {
        e = mpin_g1_decode(&p, shares + MPIN_G1 * i);
        g1_add(&acc, &acc, &p);
    }
    if (e == DTA_OK) e = mpin_g1_encode(out, &acc);
    secure_zero(&acc, sizeof acc);
    secure_zero(&p, sizeof p);
    return mpin_finish(e, out, MPIN_G1);
}

dta_error mpin_recombine_g2(uint8_t out[192], const uint8_t *shares, size_t n)
{
    g2 acc = G2_INFINITY, q;
    dta_error e = n == 0 ? DTA_BAD_ARGUMENT : DTA_OK;
    for (size_t i = 0; i < n && e == DTA_OK; i++) {
        e = mpin_g2_decode(&q, shares + MPIN_G2 * i);
        g2_add(&acc, &acc, &q);
    }
    if (e == DTA_OK) e = mpin_g2_encode(out, &acc);
    return mpin_finish(e, out, MPIN_G2);
}

/* ---- PIN and factors (MPIN.md 2.3) ------------------------------------------- */

/* out = cs - factor H(ID), or + when restoring; H(ID) from the raw ID. */
dta_error mpin_factor(uint8_t out[97], const uint8_t *id, size_t id_len, uint32_t factor,
                      uint32_t bits, const uint8_t cs[97], int restore)
{
    g1 p, a;
    if (bits == 0 || bits > 32 || (bits < 32 && (factor >> bits) != 0))
        return mpin_finish(DTA_BAD_ARGUMENT, out, MPIN_G1);
    dta_error e = mpin_g1_decode(&p, cs);
    if (e == DTA_OK) {
        mpin_hash_to_g1_vartime(&a, 0, id, id_len);
        mpin_g1_mul_small(&a, &a, factor, bits);
        if (!restore) g1_neg(&a, &a);
        g1_add(&p, &p, &a);
        e = mpin_g1_encode(out, &p);
    }
    secure_zero(&p, sizeof p);
    secure_zero(&a, sizeof a);
    return mpin_finish(e, out, MPIN_G1);
}

/* TOKEN = CS - pin H(ID) (EXTRACT_PIN) and back; pin < 10000. Milagro
 * reduces the PIN mod 10000 here but not at login, so a larger PIN could
 * never log in: it is refused instead. */
dta_error mpin_pin(uint8_t out[97], const uint8_t *id, size_t id_len, uint32_t pin,
                   const uint8_t cs[97], int restore)
{
    if (pin >= MPIN_MAX_PIN) return mpin_finish(DTA_BAD_ARGUMENT, out, MPIN_G1);
    return mpin_factor(out, id, id_len, pin, MPIN_PIN_BITS, cs, restore);
}

/* ---- Authentication (MPIN.md 2.5, 2.7, 2.8) ------------------------------------- */

/* What the client computes in pass 1: SEC = TOKEN + pin A (+ permit),
 * U = x A and, with a permit, UT = x (A + A_T). */
typedef struct { g1 sec, u, ut; } mpin_pass1;

static dta_error mpin_client_pass1(mpin_pass1 *o, const uint8_t *id, size_t id_len,
                                   uint32_t date, const scalar *x, uint32_t pin,
                                   const uint8_t token[97], const uint8_t *permit)
{
    g1 a, t, tp;
    uint8_t hid[MPIN_MB];
    if (pin >= MPIN_MAX_PIN || (date != 0 && !permit)) return DTA_BAD_ARGUMENT;
    dta_error e = mpin_g1_decode(&o->sec, token);
    if (e == DTA_OK && date != 0) e = mpin_g1_decode(&tp, permit);
    if (e != DTA_OK) return e;
    mpin_hash_to_g1_vartime(&a, hid, id, id_len);
    mpin_g1_mul_small(&t, &a, pin, MPIN_PIN_BITS);
    g1_add(&o->sec, &o->sec, &t);           /* SEC = s A */
    g1_mult(&o->u, &a, x);                  /* U = x A */
    if (date != 0) {
        g1_add(&o->sec, &o->sec, &tp);      /* SEC = s A + s A_T */
        mpin_permit_base_vartime(&t, date, hid);
        g1_add(&t, &a, &t);
        g1_mult(&o->ut, &t, x);             /* UT = x (A + A_T) */
    }
    secure_zero(&t, sizeof t);
    secure_zero(&tp, sizeof tp);
    return DTA_OK;
}

/* V = -((x + y) mod r) SEC. */
static void mpin_client_pass2(g1 *v, const fr *x, const fr *y, const g1 *sec)
{
    fr e;
    scalar k;
    fr_add(&e, x, y);
    fr_neg(&e, &e);
    fr_to_scalar(&k, &e);
    g1_mult(v, sec, &k);
    secure_zero(&e, sizeof e);
    secure_zero(&k, sizeof k);
}

static dta_error mpin_encode_pass1(uint8_t sec[97], uint8_t u[97], uint8_t *ut, uint32_t date,
                                   const mpin_pass1 *o)
{
    dta_error e = DTA_OK;
    if (sec) e = mpin_g1_encode(sec, &o->sec);
    if (e == DTA_OK) e = mpin_g1_encode(u, &o->u);
    if (e == DTA_OK && date != 0) e = mpin_g1_encode(ut, &o->ut);
    return e;
}

dta_error mpin_client_1(uint8_t sec[97], uint8_t u[97], uint8_t *ut, const uint8_t *id,
                        size_t id_len, uint32_t date, const uint8_t x[48], uint32_t pin,
                        const uint8_t token[97], const uint8_t *permit)
{
    mpin_pass1 o;
    fr xf = FR_ZERO;
    scalar xs;
    dta_error e = date != 0 && !ut ? DTA_BAD_ARGUMENT : mpin_fr_decode(&xf, x);
    fr_to_scalar(&xs, &xf);
    if (e == DTA_OK) e = mpin_client_pass1(&o, id, id_len, date, &xs, pin, token, permit);
    if (e == DTA_OK) e = mpin_encode_pass1(sec, u, ut, date, &o);
    secure_zero(&o, sizeof o);
    secure_zero(&xf, sizeof xf);
    secure_zero(&xs, sizeof xs);
    if (ut) mpin_finish(e, ut, MPIN_G1);
    mpin_finish(e, u, MPIN_G1);
    return mpin_finish(e, sec, MPIN_G1);
}

dta_error mpin_client_2(uint8_t v[97], const uint8_t x[48], const uint8_t y[48],
                        const uint8_t sec[97])
{
    fr xf, yf;
    g1 s;
    dta_error e = mpin_fr_decode(&xf, x);
    if (e == DTA_OK) e = mpin_fr_decode(&yf, y);
    if (e == DTA_OK) e = mpin_g1_decode(&s, sec);
    if (e == DTA_OK) {
        mpin_client_pass2(&s, &xf, &yf, &s);
        e = mpin_g1_encode(v, &s);
    }
    secure_zero(&xf, sizeof xf);
    secure_zero(&s, sizeof s);
    return mpin_finish(e, v, MPIN_G1);
}

/* The server's points: HID = A and, with permits, HTID = A + A_T. */
static void mpin_server_points(g1 *a, g1 *at, const uint8_t *id, size_t id_len, uint32_t date)
{
    uint8_t hid[MPIN_MB];
    mpin_hash_to_g1_vartime(a, hid, id, id_len);
    if (date == 0) return;
    mpin_permit_base_vartime(at, date, hid);
    g1_add(at, a, at);
}

dta_error mpin_server_1(uint8_t hid[97], uint8_t *htid, const uint8_t *id, size_t id_len,
                        uint32_t date)
{
    g1 a, at;
    dta_error e = date != 0 && !htid ? DTA_BAD_ARGUMENT : DTA_OK;
    if (e == DTA_OK) {
        mpin_server_points(&a, &at, id, id_len, date);
        e = mpin_g1_encode(hid, &a);
    }
    if (e == DTA_OK && date != 0) e = mpin_g1_encode(htid, &at);
    if (htid) mpin_finish(e, htid, MPIN_G1);
    return mpin_finish(e, hid, MPIN_G1);
}

/*
 * g = e(V, Qhat) e(y A' + U', SS) with one two-pair Miller loop and one
 * final exponentiation; v = 0 leaves out the first pair. Public data only,
 * so y A' is computed in variable time.
 */
static void mpin_product(fp12 *g, const g1 *a, const g1 *u, const fr *y, const g2 *ss, const g1 *v,
                         const g2 *qhat)
{
    g1_affine ps[2];
    g2_affine qs[2];
    scalar ys;
    g1 p;
    size_t n = v ? 2 : 1;
    fr_to_scalar(&ys, y);
    g1_mult_vartime(&p, a, &ys);
    g1_add(&p, &p, u);
    g1_to_affine(&ps[0], &p);
    g2_to_affine(&qs[0], v ? ss : qhat);
    if (v) {
        g1_to_affine(&ps[1], v);
        g2_to_affine(&qs[1], qhat);
    }
    miller_loop_n(g, ps, qs, n);
    final_exponentiation(g, g);
}

/*
 * The server's check (SERVER_2): with P = y A' + U' = (x + y) A',
 *   e(V, Qhat) e(P, sQ) = 1.
 * A' is HID or HTID, U' is U or UT, Qhat is Q or the client's DVS key Pa.
 */
static dta_error mpin_verify(const g1 *a, const g1 *u, const fr *y, const g2 *ss, const g1 *v,
                             const g2 *qhat)
{
    fp12 g;
    mpin_product(&g, a, u, y, ss, v, qhat);
    return fp12_is_one(&g) ? DTA_OK : DTA_VERIFY_FAIL;
}

/* Q, or the DVS public key Pa when given. */
static dta_error mpin_qhat(g2 *q, const uint8_t *pa)
{
    if (!pa) {
        *q = G2_GENERATOR;
        return DTA_OK;
    }
    return mpin_g2_decode(q, pa);
}

dta_error mpin_server_2(uint32_t date, const uint8_t *hid, const uint8_t *htid,
                        const uint8_t y[48], const uint8_t ss[192], const uint8_t *u,
                        const uint8_t *ut, const uint8_t v[97], const uint8_t *pa)
{
    const uint8_t *a_bytes = date != 0 ? htid : hid, *u_bytes = date != 0 ? ut : u;
    g1 a, up, vp;
    g2 s, q;
    fr yf;
    if (!a_bytes || !u_bytes) return DTA_BAD_ARGUMENT;
    dta_error e = mpin_g1_decode(&a, a_bytes);
    if (e == DTA_OK) e = mpin_g1_decode(&up, u_bytes);
    if (e == DTA_OK) e = mpin_g1_decode(&vp, v);
    if (e == DTA_OK) e = mpin_fr_decode(&yf, y);
    if (e == DTA_OK) e = mpin_g2_decode(&s, ss);
    if (e == DTA_OK) e = mpin_qhat(&q, pa);
    if (e != DTA_OK) return e;
    return mpin_verify(&a, &up, &yf, &s, &vp, &q);
}

/* y = mhashit(t, U' || msg) mod r, the one-pass challenge (MPIN.md 2.7). */
static void mpin_challenge_fr(fr *y, uint32_t t, const uint8_t u[97], const uint8_t *msg,
                              size_t msg_len)
{
    sha256_ctx c;
    uint8_t h[MPIN_MB];
    mpin_hash_begin(&c, t);
    sha256_update(&c, u, MPIN_G1);
    sha256_update(&c, msg, msg_len);
    mpin_hash_end(h, &c);
    fr_from_bytes_reduce(y, h, MPIN_MB);
}

dta_error mpin_challenge(uint8_t y[48], uint32_t t, const uint8_t u[97], const uint8_t *msg,
                         size_t msg_len)
{
    fr yf;
    mpin_challenge_fr(&yf, t, u, msg, msg_len);
    mpin_fr_encode(y, &yf);
    return DTA_OK;
}

/* One-pass client (MPIN_CLIENT): pass 1, y from the time and U', pass 2;
 * SEC never leaves the core. */
dta_error mpin_client(uint8_t v[97], uint8_t u[97], uint8_t *ut, uint8_t y[48],
                      const uint8_t *id, size_t id_len, uint32_t date, const uint8_t x[48],
                      uint32_t pin, const uint8_t token[97], const uint8_t *permit,
                      uint32_t t, const uint8_t *msg, size_t msg_len)
{
    mpin_pass1 o;
    fr xf = FR_ZERO, yf;
    scalar xs;
    dta_error e = date != 0 && !ut ? DTA_BAD_ARGUMENT : mpin_fr_decode(&xf, x);
    fr_to_scalar(&xs, &xf);
    if (e == DTA_OK) e = mpin_client_pass1(&o, id, id_len, date, &xs, pin, token, permit);
    if (e == DTA_OK) e = mpin_encode_pass1(0, u, ut, date, &o);
    if (e == DTA_OK) {
        mpin_challenge_fr(&yf, t, date != 0 ? ut : u, msg, msg_len);
        mpin_fr_encode(y, &yf);
        mpin_client_pass2(&o.sec, &xf, &yf, &o.sec);
        e = mpin_g1_encode(v, &o.sec);
    }
    secure_zero(&o, sizeof o);
    secure_zero(&xf, sizeof xf);
    secure_zero(&xs, sizeof xs);
    if (ut) mpin_finish(e, ut, MPIN_G1);
    mpin_finish(e, u, MPIN_G1);
    mpin_finish(e, y, MPIN_MB);
    return mpin_finish(e, v, MPIN_G1);
}

/* One-pass server (MPIN_SERVER): SERVER_1, the same y, SERVER_2. */
dta_error mpin_server(const uint8_t *id, size_t id_len, uint32_t date, uint32_t t,
                      const uint8_t ss[192], const uint8_t *u, const uint8_t *ut,
                      const uint8_t v[97], const uint8_t *msg, size_t msg_len,
                      const uint8_t *pa)
{
    const uint8_t *u_bytes = date != 0 ? ut : u;
    g1 a, at, up, vp;
    g2 s, q;
    fr yf;
    if (!u_bytes) return DTA_BAD_ARGUMENT;
    dta_error e = mpin_g1_decode(&up, u_bytes);
    if (e == DTA_OK) e = mpin_g1_decode(&vp, v);
    if (e == DTA_OK) e = mpin_g2_decode(&s, ss);
    if (e == DTA_OK) e = mpin_qhat(&q, pa);
    if (e != DTA_OK) return e;
    mpin_server_points(&a, &at, id, id_len, date);
    mpin_challenge_fr(&yf, t, u_bytes, msg, msg_len);
    return mpin_verify(date != 0 ? &at : &a, &up, &yf, &s, &vp, &q);
}

/* DVS key pair (GET_DVS_KEYPAIR): the client keeps z, publishes Pa = z^-1 Q. */
dta_error mpin_dvs_keypair(uint8_t pa[192], const uint8_t z[48])
{
    fr zf;
    scalar k;
    g2 q;
    dta_error e = mpin_fr_decode(&zf, z);
    if (e == DTA_OK && fr_is_zero(&zf)) e = DTA_BAD_SCALAR;
    if (e == DTA_OK) {
        fr_inv(&zf, &zf);
        fr_to_scalar(&k, &zf);
        g2_mult(&q, &G2_GENERATOR, &k);
        e = mpin_g2_encode(pa, &q);
    }
    secure_zero(&zf, sizeof zf);
    secure_zero(&k, sizeof k);
    return mpin_finish(e, pa, MPIN_G2);
}

/* ---- M-Pin Full (MPIN.md 2.9) -------------------------------------------------- */

dta_error mpin_pairing(uint8_t out[576], const uint8_t p[97], const uint8_t q[192])
{
    g1 a;
    g2 b;
    fp12 g;
    dta_error e = mpin_g1_decode(&a, p);
    if (e == DTA_OK) e = mpin_g2_decode(&b, q);
    if (e == DTA_OK) {
        mpin_pair(&g, &a, &b);
        mpin_gt_encode(out, &g);
    }
    return mpin_finish(e, out, MPIN_GT);
}

/* G1pre = e(TOKEN, Q~) and G2pre = e(A, Q~), Q~ = CP (DVS key) or Q;
 * A is the map of the hashed ID here. */
dta_error mpin_precompute(uint8_t g1pre[576], uint8_t g2pre[576], const uint8_t token[97],
                          const uint8_t hid[48], const uint8_t *cp)
{
    g1 t, a;
    g2 q;
    fp12 g;
    dta_error e = mpin_g1_decode(&t, token);
    if (e == DTA_OK) e = mpin_qhat(&q, cp);
    if (e == DTA_OK) {
        mpin_pair(&g, &t, &q);
        mpin_gt_encode(g1pre, &g);
        mpin_map_vartime(&a, hid);
        mpin_pair(&g, &a, &q);
        mpin_gt_encode(g2pre, &g);
    }
    secure_zero(&t, sizeof t);
    secure_zero(&g, sizeof g);
    mpin_finish(e, g2pre, MPIN_GT);
    return mpin_finish(e, g1pre, MPIN_GT);
}

/* h = mhashit(0, HID || (UT or U) || V || y || Z || T) (HASH_ALL). */
dta_error mpin_hash_all(uint8_t h[48], const uint8_t hid[48], const uint8_t *u,
                        const uint8_t *ut, const uint8_t v[97], const uint8_t y[48],
                        const uint8_t z[97], const uint8_t t[97])
{
    sha256_ctx c;
    if (!u && !ut) return mpin_finish(DTA_BAD_ARGUMENT, h, MPIN_MB);
    mpin_hash_begin(&c, 0);
    sha256_update(&c, hid, MPIN_MB);
    sha256_update(&c, ut ? ut : u, MPIN_G1);
    sha256_update(&c, v, MPIN_G1);
    sha256_update(&c, y, MPIN_MB);
    sha256_update(&c, z, MPIN_G1);
    sha256_update(&c, t, MPIN_G1);
    mpin_hash_end(h, &c);
    return DTA_OK;
}

/*
 * K = SHA-256(c.a.re || c.a.im || c.b.re || c.b.im || x(W) || y(W))[0..16)
 * with c = Tr(g) = 3 g.a, the trace to Milagro's Fp4 (its mpin_hash):
 * g.a holds the coefficients of W^0 and W^3.
 */
static void mpin_key(uint8_t key[16], const fp12 *g, const g1 *w)
{
    uint8_t buf[6 * MPIN_MB], d[32];
    fp12 t = *g;
    fp2 c;
    g1_affine wa;
    for (int k = 0; k < 2; k++) {
        fp2_mul_small(&c, mpin_gt_slot(&t, k), 3);
        fp_to_bytes(buf + 2 * MPIN_MB * k, &c.c0);
        fp_to_bytes(buf + 2 * MPIN_MB * k + MPIN_MB, &c.c1);
    }
    g1_to_affine(&wa, w);
    fp_to_bytes(buf + 4 * MPIN_MB, &wa.x);
    fp_to_bytes(buf + 5 * MPIN_MB, &wa.y);
    sha256(d, buf, sizeof buf);
    memcpy(key, d, MPIN_KEY);
    secure_zero(buf, sizeof buf);
    secure_zero(d, sizeof d);
    secure_zero(&t, sizeof t);
    secure_zero(&c, sizeof c);
    secure_zero(&wa, sizeof wa);
}

/* The client's inputs to its key, decoded. */
typedef struct { fp12 g1pre, g2pre; fr r, h; scalar x; g1 t; } mpin_client_key_in;

static dta_error mpin_client_key_decode(mpin_client_key_in *in, const uint8_t g1pre[576],
                                        const uint8_t g2pre[576], const uint8_t r[48],
                                        const uint8_t x[48], const uint8_t h[48],
                                        const uint8_t t[97])
{
    dta_error e = mpin_gt_decode(&in->g1pre, g1pre);
    if (e == DTA_OK) e = mpin_gt_decode(&in->g2pre, g2pre);
    if (e == DTA_OK) e = mpin_fr_decode(&in->r, r);
    if (e == DTA_OK) e = mpin_scalar_decode(&in->x, x);
    if (e == DTA_OK) e = mpin_g1_decode(&in->t, t);
    fr_from_bytes_reduce(&in->h, h, MPIN_MB);   /* a hash: any 48 bytes, taken mod r */
    return e;
}

/* CLIENT_KEY: g = G1pre G2pre^pin = e(s A, Q~), c = Tr(g^(r + h)),
 * W = x T, K from (c, W). */
dta_error mpin_client_key(uint8_t key[16], const uint8_t g1pre[576], const uint8_t g2pre[576],
                          uint32_t pin, const uint8_t r[48], const uint8_t x[48],
                          const uint8_t h[48], const uint8_t t[97])
{
    mpin_client_key_in in;
    scalar e_s;
    limb_t pin_limb[1] = { pin };
    if (pin >= MPIN_MAX_PIN) return mpin_finish(DTA_BAD_ARGUMENT, key, MPIN_KEY);
    dta_error e = mpin_client_key_decode(&in, g1pre, g2pre, r, x, h, t);
    if (e == DTA_OK) {
        mpin_gt_pow(&in.g2pre, &in.g2pre, pin_limb, (MPIN_PIN_BITS + 3) / 4);
        fp12_mul(&in.g1pre, &in.g1pre, &in.g2pre);
        fr_add(&in.r, &in.r, &in.h);
        fr_to_scalar(&e_s, &in.r);
        mpin_gt_pow(&in.g1pre, &in.g1pre, e_s.l, 64);
        g1_mult(&in.t, &in.t, &in.x);
        mpin_key(key, &in.g1pre, &in.t);
    }
    secure_zero(&in, sizeof in);
    secure_zero(&e_s, sizeof e_s);
    secure_zero(pin_limb, sizeof pin_limb);
    return mpin_finish(e, key, MPIN_KEY);
}

/* SERVER_KEY: R = Z + h HID, g = e(R, sQ), c = Tr(g), W = w (UT or U),
 * K from (c, W). */
dta_error mpin_server_key(uint8_t key[16], const uint8_t z[97], const uint8_t ss[192],
                          const uint8_t w[48], const uint8_t h[48], const uint8_t hid[97],
                          const uint8_t *u, const uint8_t *ut)
{
    g1 rp, a, up;
    g2 s;
    fr hf;
    scalar hs, ws;
    fp12 g;
    const uint8_t *u_bytes = ut ? ut : u;
    dta_error e = u_bytes ? mpin_g1_decode(&rp, z) : DTA_BAD_ARGUMENT;
    if (e == DTA_OK) e = mpin_g2_decode(&s, ss);
    if (e == DTA_OK) e = mpin_scalar_decode(&ws, w);
    if (e == DTA_OK) e = mpin_g1_decode(&a, hid);
    if (e == DTA_OK) e = mpin_g1_decode(&up, u_bytes);
    if (e == DTA_OK) {
        fr_from_bytes_reduce(&hf, h, MPIN_MB);
        fr_to_scalar(&hs, &hf);
        g1_mult_vartime(&a, &a, &hs);   /* h and HID are public */
        g1_add(&rp, &rp, &a);
        mpin_pair(&g, &rp, &s);
        g1_mult(&up, &up, &ws);
        mpin_key(key, &g, &up);
    }
    secure_zero(&ws, sizeof ws);
    secure_zero(&up, sizeof up);
    secure_zero(&g, sizeof g);
    return mpin_finish(e, key, MPIN_KEY);
}

/* ---- PIN-error estimation (MPIN.md 2.5 step 5, 2.6) ------------------------------ */

/*
 * After a failed login, E = e(V, Q) e(y A' + U', sQ) and F = e(y HID + U, Q).
 * A wrong PIN leaves -(x + y)(pin2 - pin1) HID in V, so E = F^(pin1 - pin2);
 * the permit part cancels, which is why F uses HID and U. Not for DVS logins.
 */
dta_error mpin_pin_error_values(uint8_t e[576], uint8_t f[576], uint32_t date, const uint8_t hid[97],
                                const uint8_t *htid, const uint8_t y[48], const uint8_t ss[192],
                                const uint8_t u[97], const uint8_t *ut, const uint8_t v[97])
{
    g1 a, at, up, ut_p, vp;
    g2 s;
    fr yf;
    dta_error err = date != 0 && (!htid || !ut) ? DTA_BAD_ARGUMENT : mpin_g1_decode(&a, hid);
    if (err == DTA_OK) err = mpin_g1_decode(&up, u);
    if (err == DTA_OK && date != 0) err = mpin_g1_decode(&at, htid);
    if (err == DTA_OK && date != 0) err = mpin_g1_decode(&ut_p, ut);
    if (err == DTA_OK) err = mpin_g1_decode(&vp, v);
    if (err == DTA_OK) err = mpin_fr_decode(&yf, y);
    if (err == DTA_OK) err = mpin_g2_decode(&s, ss);
    if (err == DTA_OK) {
        fp12 g;
        mpin_product(&g, date != 0 ? &at : &a, date != 0 ? &ut_p : &up, &yf, &s, &vp, &G2_GENERATOR);
        mpin_gt_encode(e, &g);
        mpin_product(&g, &a, &up, &yf, 0, 0, &G2_GENERATOR);
        mpin_gt_encode(f, &g);
    }
    mpin_finish(err, f, MPIN_GT);
    return mpin_finish(err, e, MPIN_GT);
}

/* A 64-bit fingerprint of a (fully reduced, so unique) GT representation. */
static uint64_t mpin_gt_print(const fp12 *g)
{
    return ((uint64_t)g->c0.c0.c0.l[1] << 32) | g->c0.c0.c0.l[0];
}

#define MPIN_BSGS_M 142             /* 142^2 > 2 * MAXPIN - 1 */

/*
 * The PIN error pin2 - pin1 = -k with E = F^k and |k| < MAXPIN, by baby-step
 * giant-step over d = k + MAXPIN - 1 in [0, 2 MAXPIN - 2]: T = E F^(MAXPIN-1)
 * = F^(i + M j). Baby steps keep only fingerprints; a hit is confirmed by
 * recomputing F^i. Deterministic and complete where Milagro's kangaroo
 * (MPIN.md 2.6) is best-effort. Variable time: E and F are public.
 */
static limb_t mpin_pin_error_vartime(int32_t *err, const fp12 *e, const fp12 *f)
{
    uint64_t baby[MPIN_BSGS_M];
    fp12 t, step, giant;
    limb_t shift[1] = { MPIN_MAX_PIN - 1 };
    t = FP12_ONE;
    for (int i = 0; i < MPIN_BSGS_M; i++) {
        baby[i] = mpin_gt_print(&t);
        fp12_mul(&t, &t, f);
    }
    fp12_conj(&giant, &t);              /* F^-M: F is unitary */
    mpin_gt_pow(&t, f, shift, 4);
    fp12_mul(&t, &t, e);                /* T = E F^(MAXPIN - 1) */
    for (int j = 0; j < MPIN_BSGS_M; j++, fp12_mul(&t, &t, &giant)) {
        for (int i = 0; i < MPIN_BSGS_M; i++) {
            if (baby[i] != mpin_gt_print(&t)) continue;
            limb_t k[1] = { (limb_t)i };
            mpin_gt_pow(&step, f, k, 2);
            if (!fp12_eq(&step, &t)) continue;
            int32_t d = i + MPIN_BSGS_M * j;
            if (d > 2 * (int32_t)MPIN_MAX_PIN - 2) return 0;
            *err = (int32_t)MPIN_MAX_PIN - 1 - d;   /* -k */
            return 1;
        }
    }
    return 0;
}

dta_error mpin_pin_error(int32_t *err, const uint8_t e[576], const uint8_t f[576])
{
    fp12 eg, fg;
    *err = 0;
    dta_error r = mpin_gt_decode(&eg, e);
    if (r == DTA_OK) r = mpin_gt_decode(&fg, f);
    if (r == DTA_OK && !mpin_pin_error_vartime(err, &eg, &fg)) r = DTA_VERIFY_FAIL;
    return r;
}
