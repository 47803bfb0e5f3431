/*
 * M-Pin, the zero-knowledge multi-factor authentication of Apache Milagro,
 * byte-compatible with Milagro's BLS381 build (docs/mpin.md): its identity
 * hash and try-and-increment map to G1, secret shares, PIN tokens, time
 * permits, the two-pass and one-pass protocols, the key-escrow-less (DVS)
 * variant, M-Pin Full key agreement and the PIN-error search.
 *
 * One file per idea, in the order lib.c includes them:
 *   mpin_encoding.c   Milagro's G1, G2, scalar and GT bytes      (docs/mpin.md#encodings)
 *   mpin_gt.c         GT membership, constant-time power, e(P, Q) (docs/mpin.md#gt)
 *   mpin_map.c        HASH_ID, mhashit and mapit                  (docs/mpin.md#mapit)
 *   mpin_issue.c      master/server/client shares, permits, sums  (docs/mpin.md#issuing)
 *   mpin_token.c      TOKEN = CS - pin A, generic factors         (docs/mpin.md#token)
 *   mpin_login.c      two-pass client and server, the check, DVS  (docs/mpin.md#two-pass)
 *   mpin_one_pass.c   the hashed challenge, one-pass client/server (docs/mpin.md#one-pass)
 *   mpin_pin_error.c  E, F and the baby-step giant-step search    (docs/mpin.md#pin-error)
 *   mpin_full.c       M-Pin Full key agreement                    (docs/mpin.md#full)
 *
 * Every non-static function speaks Milagro's encodings and mirrors one
 * dta_mpin_* export of include/dta.h (same arguments, same rules): G1 is
 * 04 || x || y (97 bytes), G2 is x.re || x.im || y.re || y.im (192 bytes),
 * scalars are 48 bytes big-endian and < r, GT is 576 bytes in Milagro's
 * tower. Points are validated on the way in (canonical, on the curve, in
 * the subgroup, not infinity); outputs are zeroed on any error.
 *
 * Constant time: anything derived from a master secret, a PIN, a token,
 * a client secret or the protocol randomness (x, r, w, z) goes through
 * g1_mult / g2_mult, the PIN ladder or the windowed GT power, all free of
 * secret-dependent branches and indices. Variable-time code (_vartime)
 * sees only public values: identities, dates, U, V, y, h. Validity errors
 * do branch: an invalid input ends the call.
 *
 * Names of the static helpers carry the mpin_ prefix: the unity build
 * puts every layer in one translation unit.
 */
#ifndef DTA_MPIN_H
#define DTA_MPIN_H
#include "fp12.h"
#include "g1.h"
#include "g2.h"
#include "sha256.h"
#include "../include/dta.h"

#define MPIN_MB 48                  /* Milagro's MODBYTES on BLS381 */
#define MPIN_G1 97
#define MPIN_G2 192
#define MPIN_GT 576
#define MPIN_KEY 16                 /* Milagro's AESKEY on BLS381 */
#define MPIN_PIN_BITS 14            /* Milagro's PBLEN */
#define MPIN_MAX_PIN 10000U         /* Milagro's MAXPIN */

/* ---- Milagro codecs (mpin_encoding.c) ------------------------------------------- */
DTA_MUST_CHECK dta_error mpin_g1_decode(g1 *r, const uint8_t in[97]);
dta_error mpin_g1_encode(uint8_t out[97], const g1 *p);
DTA_MUST_CHECK dta_error mpin_g2_decode(g2 *r, const uint8_t in[192]);
dta_error mpin_g2_encode(uint8_t out[192], const g2 *p);
DTA_MUST_CHECK dta_error mpin_fr_decode(fr *r, const uint8_t in[48]);
void mpin_fr_encode(uint8_t out[48], const fr *a);
DTA_MUST_CHECK dta_error mpin_gt_decode(fp12 *r, const uint8_t in[576]);
void mpin_gt_encode(uint8_t out[576], const fp12 *a);
/* Zero the output when e is an error, then pass e on. */
static dta_error mpin_finish(dta_error e, void *out, size_t out_len);
/* A 48-byte scalar as the scalar type of g1_mult; wiped on error. */
static DTA_MUST_CHECK dta_error mpin_scalar_decode(scalar *s, const uint8_t in[48]);
/* The Fp2 coefficient that Milagro lists k-th in a GT octet. */
static fp2 *mpin_gt_slot(fp12 *a, int k);

/* ---- GT arithmetic (mpin_gt.c) ------------------------------------------------ */
static limb_t mpin_gt_is_member(const fp12 *g);
/* r = g^k over `windows` 4-bit windows of the little-endian limbs of k. */
static void mpin_gt_pow(fp12 *r, const fp12 *g, const limb_t *k, int windows);
/* Milagro's GT value e(P, Q). */
static void mpin_pair(fp12 *r, const g1 *p, const g2 *q);

/* ---- Hashes and the map to G1 (mpin_map.c); public inputs, variable time ---------- */
void mpin_hash_id(uint8_t hid[48], const uint8_t *id, size_t id_len);
void mpin_map_vartime(g1 *r, const uint8_t w[48]);
/* mhashit: SHA-256 of [n as 4 bytes BE when n > 0] || ..., left-padded to 48 bytes. */
static void mpin_hash_begin(sha256_ctx *c, uint32_t n);
static void mpin_hash_end(uint8_t out[48], sha256_ctx *c);
static void mpin_hash_to_g1_vartime(g1 *r, uint8_t *hid, const uint8_t *id, size_t id_len);
static void mpin_permit_base_vartime(g1 *r, uint32_t date, const uint8_t hid[48]);

/* ---- Issuing (mpin_issue.c) ------------------------------------------------------ */
dta_error mpin_random_scalar(uint8_t out[48], const uint8_t random[64]);
dta_error mpin_map_to_g1(uint8_t out[97], const uint8_t hid[48]);
dta_error mpin_server_secret(uint8_t out[192], const uint8_t s[48]);
dta_error mpin_client_secret(uint8_t out[97], const uint8_t s[48], const uint8_t hid[48]);
dta_error mpin_client_permit(uint8_t out[97], uint32_t date, const uint8_t s[48],
                             const uint8_t hid[48]);
dta_error mpin_recombine_g1(uint8_t out[97], const uint8_t *shares, size_t n);
dta_error mpin_recombine_g2(uint8_t out[192], const uint8_t *shares, size_t n);
dta_error mpin_g1_mul(uint8_t out[97], const uint8_t k[48], const uint8_t p[97]);

/* ---- PIN and factors (mpin_token.c) ---------------------------------------------- */
/* out = cs -/+ factor * H(ID), factor < 2^bits, 1 <= bits <= 32. */
dta_error mpin_factor(uint8_t out[97], const uint8_t *id, size_t id_len, uint32_t factor,
                      uint32_t bits, const uint8_t cs[97], int restore);
dta_error mpin_pin(uint8_t out[97], const uint8_t *id, size_t id_len, uint32_t pin,
                   const uint8_t cs[97], int restore);
/* r = k p over the low `bits` bits of k, constant time (the PIN ladder). */
static void mpin_g1_mul_small(g1 *r, const g1 *p, uint32_t k, unsigned bits);

/* ---- Two-pass login and DVS (mpin_login.c) ------------------------------------------ */
dta_error mpin_client_1(uint8_t sec[97], uint8_t u[97], uint8_t *ut, const uint8_t *id,
                        size_t id_len, uint32_t date, const uint8_t x[48], uint32_t pin,
                        const uint8_t token[97], const uint8_t *permit);
dta_error mpin_client_2(uint8_t v[97], const uint8_t x[48], const uint8_t y[48],
                        const uint8_t sec[97]);
dta_error mpin_server_1(uint8_t hid[97], uint8_t *htid, const uint8_t *id, size_t id_len,
                        uint32_t date);
DTA_MUST_CHECK dta_error mpin_server_2(uint32_t date, const uint8_t *hid, const uint8_t *htid,
                                       const uint8_t y[48], const uint8_t ss[192], const uint8_t *u,
                                       const uint8_t *ut, const uint8_t v[97], const uint8_t *pa);
dta_error mpin_dvs_keypair(uint8_t pa[192], const uint8_t z[48]);

/* What the client computes in pass 1: SEC = TOKEN + pin A (+ permit),
 * U = x A and, with a permit, UT = x (A + A_T). */
typedef struct { g1 sec, u, ut; } mpin_pass1;

static dta_error mpin_client_pass1(mpin_pass1 *o, const uint8_t *id, size_t id_len,
                                   uint32_t date, const scalar *x, uint32_t pin,
                                   const uint8_t token[97], const uint8_t *permit);
static void mpin_client_pass2(g1 *v, const fr *x, const fr *y, const g1 *sec);
static dta_error mpin_encode_pass1(uint8_t sec[97], uint8_t u[97], uint8_t *ut, uint32_t date,
                                   const mpin_pass1 *o);
static void mpin_server_points(g1 *a, g1 *at, const uint8_t *id, size_t id_len, uint32_t date);
/* g = e(V, Qhat) e(y A' + U', SS); v = 0 leaves out the first pair. */
static void mpin_product(fp12 *g, const g1 *a, const g1 *u, const fr *y, const g2 *ss, const g1 *v,
                         const g2 *qhat);
static DTA_MUST_CHECK dta_error mpin_verify(const g1 *a, const g1 *u, const fr *y, const g2 *ss,
                                            const g1 *v, const g2 *qhat);
static DTA_MUST_CHECK dta_error mpin_qhat(g2 *q, const uint8_t *pa);

/* ---- One-pass login (mpin_one_pass.c) ------------------------------------------------ */
dta_error mpin_challenge(uint8_t y[48], uint32_t t, const uint8_t u[97], const uint8_t *msg,
                         size_t msg_len);
dta_error mpin_client(uint8_t v[97], uint8_t u[97], uint8_t *ut, uint8_t y[48],
                      const uint8_t *id, size_t id_len, uint32_t date, const uint8_t x[48],
                      uint32_t pin, const uint8_t token[97], const uint8_t *permit,
                      uint32_t t, const uint8_t *msg, size_t msg_len);
DTA_MUST_CHECK dta_error mpin_server(const uint8_t *id, size_t id_len, uint32_t date, uint32_t t,
                                     const uint8_t ss[192], const uint8_t *u, const uint8_t *ut,
                                     const uint8_t v[97], const uint8_t *msg, size_t msg_len,
                                     const uint8_t *pa);

/* ---- PIN-error estimation (mpin_pin_error.c) ----------------------------------------- */
dta_error mpin_pin_error_values(uint8_t e[576], uint8_t f[576], uint32_t date, const uint8_t hid[97],
                                const uint8_t *htid, const uint8_t y[48], const uint8_t ss[192],
                                const uint8_t u[97], const uint8_t *ut, const uint8_t v[97]);
DTA_MUST_CHECK dta_error mpin_pin_error(int32_t *err, const uint8_t e[576], const uint8_t f[576]);

/* ---- M-Pin Full (mpin_full.c) ------------------------------------------------------ */
dta_error mpin_pairing(uint8_t out[576], const uint8_t p[97], const uint8_t q[192]);
dta_error mpin_precompute(uint8_t g1pre[576], uint8_t g2pre[576], const uint8_t token[97],
                          const uint8_t hid[48], const uint8_t *cp);
dta_error mpin_hash_all(uint8_t h[48], const uint8_t hid[48], const uint8_t *u,
                        const uint8_t *ut, const uint8_t v[97], const uint8_t y[48],
                        const uint8_t z[97], const uint8_t t[97]);
dta_error mpin_client_key(uint8_t key[16], const uint8_t g1pre[576], const uint8_t g2pre[576],
                          uint32_t pin, const uint8_t r[48], const uint8_t x[48],
                          const uint8_t h[48], const uint8_t t[97]);
dta_error mpin_server_key(uint8_t key[16], const uint8_t z[97], const uint8_t ss[192],
                          const uint8_t w[48], const uint8_t h[48], const uint8_t hid[97],
                          const uint8_t *u, const uint8_t *ut);

#endif
