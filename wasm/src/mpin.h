/*
 * M-Pin, the zero-knowledge multi-factor authentication of Apache Milagro,
 * byte-compatible with Milagro's BLS381 build (see /MPIN.md of the shared
 * docs): its identity hash and try-and-increment map to G1, secret shares,
 * PIN tokens, time permits, the two-pass and one-pass protocols, the
 * key-escrow-less (DVS) variant and M-Pin Full key agreement.
 *
 * Every function here speaks Milagro's encodings and mirrors one
 * dta_mpin_* export of include/dta.h (same arguments, same rules): G1 is
 * 04 || x || y (97 bytes), G2 is x.re || x.im || y.re || y.im (192 bytes),
 * scalars are 48 bytes big-endian and < r, GT is 576 bytes in Milagro's
 * tower. Points are validated on the way in (canonical, on the curve, in
 * the subgroup, not infinity); outputs are zeroed on any error.
 */
#ifndef DTA_MPIN_H
#define DTA_MPIN_H
#include "fp12.h"
#include "g1.h"
#include "g2.h"
#include "../include/dta.h"

/* Milagro codecs, exposed for the exports and tests. */
dta_error mpin_g1_decode(g1 *r, const uint8_t in[97]);
dta_error mpin_g1_encode(uint8_t out[97], const g1 *p);
dta_error mpin_g2_decode(g2 *r, const uint8_t in[192]);
dta_error mpin_g2_encode(uint8_t out[192], const g2 *p);
dta_error mpin_fr_decode(fr *r, const uint8_t in[48]);
void mpin_fr_encode(uint8_t out[48], const fr *a);
dta_error mpin_gt_decode(fp12 *r, const uint8_t in[576]);
void mpin_gt_encode(uint8_t out[576], const fp12 *a);

/* H(ID) and the permit point; public inputs, variable time. */
void mpin_hash_id(uint8_t hid[48], const uint8_t *id, size_t id_len);
void mpin_map_vartime(g1 *r, const uint8_t w[48]);

/* Issuing. */
dta_error mpin_random_scalar(uint8_t out[48], const uint8_t random[64]);
dta_error mpin_map_to_g1(uint8_t out[97], const uint8_t hid[48]);
dta_error mpin_server_secret(uint8_t out[192], const uint8_t s[48]);
dta_error mpin_client_secret(uint8_t out[97], const uint8_t s[48], const uint8_t hid[48]);
dta_error mpin_client_permit(uint8_t out[97], uint32_t date, const uint8_t s[48],
                             const uint8_t hid[48]);
dta_error mpin_recombine_g1(uint8_t out[97], const uint8_t *shares, size_t n);
dta_error mpin_recombine_g2(uint8_t out[192], const uint8_t *shares, size_t n);
dta_error mpin_g1_mul(uint8_t out[97], const uint8_t k[48], const uint8_t p[97]);

/* Factors: out = cs -/+ factor * H(ID), factor < 2^bits, 1 <= bits <= 32. */
dta_error mpin_factor(uint8_t out[97], const uint8_t *id, size_t id_len, uint32_t factor,
                      uint32_t bits, const uint8_t cs[97], int restore);
dta_error mpin_pin(uint8_t out[97], const uint8_t *id, size_t id_len, uint32_t pin,
                   const uint8_t cs[97], int restore);

/* Authentication. */
dta_error mpin_client_1(uint8_t sec[97], uint8_t u[97], uint8_t *ut, const uint8_t *id,
                        size_t id_len, uint32_t date, const uint8_t x[48], uint32_t pin,
                        const uint8_t token[97], const uint8_t *permit);
dta_error mpin_client_2(uint8_t v[97], const uint8_t x[48], const uint8_t y[48],
                        const uint8_t sec[97]);
dta_error mpin_server_1(uint8_t hid[97], uint8_t *htid, const uint8_t *id, size_t id_len,
                        uint32_t date);
dta_error mpin_server_2(uint32_t date, const uint8_t *hid, const uint8_t *htid,
                        const uint8_t y[48], const uint8_t ss[192], const uint8_t *u,
                        const uint8_t *ut, const uint8_t v[97], const uint8_t *pa);
dta_error mpin_challenge(uint8_t y[48], uint32_t t, const uint8_t u[97], const uint8_t *msg,
                         size_t msg_len);
dta_error mpin_client(uint8_t v[97], uint8_t u[97], uint8_t *ut, uint8_t y[48],
                      const uint8_t *id, size_t id_len, uint32_t date, const uint8_t x[48],
                      uint32_t pin, const uint8_t token[97], const uint8_t *permit,
                      uint32_t t, const uint8_t *msg, size_t msg_len);
dta_error mpin_server(const uint8_t *id, size_t id_len, uint32_t date, uint32_t t,
                      const uint8_t ss[192], const uint8_t *u, const uint8_t *ut,
                      const uint8_t v[97], const uint8_t *msg, size_t msg_len,
                      const uint8_t *pa);
dta_error mpin_dvs_keypair(uint8_t pa[192], const uint8_t z[48]);

/* PIN-error estimation. */
dta_error mpin_pin_error_values(uint8_t e[576], uint8_t f[576], uint32_t date, const uint8_t hid[97],
                                const uint8_t *htid, const uint8_t y[48], const uint8_t ss[192],
                                const uint8_t u[97], const uint8_t *ut, const uint8_t v[97]);
dta_error mpin_pin_error(int32_t *err, const uint8_t e[576], const uint8_t f[576]);

/* M-Pin Full and Milagro's GT. */
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
