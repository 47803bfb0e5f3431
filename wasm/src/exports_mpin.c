/*
 * The M-Pin exports: one-line wrappers over the mpin_*.c files (see
 * mpin.h), which already give them the boundary rules of include/dta.h
 * (Milagro encodings fully validated on the way in, outputs zeroed on any
 * error). The protocol is described in docs/mpin.md.
 */
#include "../include/dta.h"
#include "mpin.h"

/* ---- sizes ------------------------------------------------------------------ */
DTA_EXPORT(dta_mpin_scalar_bytes) size_t dta_mpin_scalar_bytes(void) { return DTA_MPIN_SCALAR_BYTES; }
DTA_EXPORT(dta_mpin_g1_bytes) size_t dta_mpin_g1_bytes(void) { return DTA_MPIN_G1_BYTES; }
DTA_EXPORT(dta_mpin_g2_bytes) size_t dta_mpin_g2_bytes(void) { return DTA_MPIN_G2_BYTES; }
DTA_EXPORT(dta_mpin_gt_bytes) size_t dta_mpin_gt_bytes(void) { return DTA_MPIN_GT_BYTES; }
DTA_EXPORT(dta_mpin_hash_bytes) size_t dta_mpin_hash_bytes(void) { return DTA_MPIN_HASH_BYTES; }
DTA_EXPORT(dta_mpin_key_bytes) size_t dta_mpin_key_bytes(void) { return DTA_MPIN_KEY_BYTES; }
DTA_EXPORT(dta_mpin_random_bytes) size_t dta_mpin_random_bytes(void) { return DTA_MPIN_RANDOM_BYTES; }
DTA_EXPORT(dta_mpin_max_pin) size_t dta_mpin_max_pin(void) { return DTA_MPIN_MAX_PIN; }

/* ---- identities and issuing ---------------------------------------------------- */
DTA_EXPORT(dta_mpin_random_scalar)
dta_error dta_mpin_random_scalar(uint8_t out[48], const uint8_t random[64])
{
    return mpin_random_scalar(out, random);
}

DTA_EXPORT(dta_mpin_hash_id)
dta_error dta_mpin_hash_id(uint8_t hid[48], const uint8_t *id, size_t id_len)
{
    mpin_hash_id(hid, id, id_len);
    return DTA_OK;
}

DTA_EXPORT(dta_mpin_map_to_g1)
dta_error dta_mpin_map_to_g1(uint8_t out[97], const uint8_t hid[48])
{
    return mpin_map_to_g1(out, hid);
}

DTA_EXPORT(dta_mpin_server_secret)
dta_error dta_mpin_server_secret(uint8_t out[192], const uint8_t s[48])
{
    return mpin_server_secret(out, s);
}

DTA_EXPORT(dta_mpin_client_secret)
dta_error dta_mpin_client_secret(uint8_t out[97], const uint8_t s[48], const uint8_t hid[48])
{
    return mpin_client_secret(out, s, hid);
}

DTA_EXPORT(dta_mpin_client_permit)
dta_error dta_mpin_client_permit(uint8_t out[97], uint32_t date, const uint8_t s[48],
                                 const uint8_t hid[48])
{
    return mpin_client_permit(out, date, s, hid);
}

DTA_EXPORT(dta_mpin_recombine_g1)
dta_error dta_mpin_recombine_g1(uint8_t out[97], const uint8_t *shares, size_t n)
{
    return mpin_recombine_g1(out, shares, n);
}

DTA_EXPORT(dta_mpin_recombine_g2)
dta_error dta_mpin_recombine_g2(uint8_t out[192], const uint8_t *shares, size_t n)
{
    return mpin_recombine_g2(out, shares, n);
}

DTA_EXPORT(dta_mpin_g1_mul)
dta_error dta_mpin_g1_mul(uint8_t out[97], const uint8_t k[48], const uint8_t p[97])
{
    return mpin_g1_mul(out, k, p);
}

/* ---- PIN and factors ------------------------------------------------------------- */
DTA_EXPORT(dta_mpin_extract_pin)
dta_error dta_mpin_extract_pin(uint8_t token[97], const uint8_t *id, size_t id_len,
                               uint32_t pin, const uint8_t cs[97])
{
    return mpin_pin(token, id, id_len, pin, cs, 0);
}

DTA_EXPORT(dta_mpin_restore_pin)
dta_error dta_mpin_restore_pin(uint8_t cs[97], const uint8_t *id, size_t id_len,
                               uint32_t pin, const uint8_t token[97])
{
    return mpin_pin(cs, id, id_len, pin, token, 1);
}

DTA_EXPORT(dta_mpin_extract_factor)
dta_error dta_mpin_extract_factor(uint8_t out[97], const uint8_t *id, size_t id_len,
                                  uint32_t factor, uint32_t bits, const uint8_t cs[97])
{
    return mpin_factor(out, id, id_len, factor, bits, cs, 0);
}

DTA_EXPORT(dta_mpin_restore_factor)
dta_error dta_mpin_restore_factor(uint8_t out[97], const uint8_t *id, size_t id_len,
                                  uint32_t factor, uint32_t bits, const uint8_t cs[97])
{
    return mpin_factor(out, id, id_len, factor, bits, cs, 1);
}

/* ---- authentication ---------------------------------------------------------------- */
DTA_EXPORT(dta_mpin_client_1)
dta_error dta_mpin_client_1(uint8_t sec[97], uint8_t u[97], uint8_t *ut, const uint8_t *id,
                            size_t id_len, uint32_t date, const uint8_t x[48], uint32_t pin,
                            const uint8_t token[97], const uint8_t *permit)
{
    return mpin_client_1(sec, u, ut, id, id_len, date, x, pin, token, permit);
}

DTA_EXPORT(dta_mpin_client_2)
dta_error dta_mpin_client_2(uint8_t v[97], const uint8_t x[48], const uint8_t y[48],
                            const uint8_t sec[97])
{
    return mpin_client_2(v, x, y, sec);
}

DTA_EXPORT(dta_mpin_server_1)
dta_error dta_mpin_server_1(uint8_t hid[97], uint8_t *htid, const uint8_t *id, size_t id_len,
                            uint32_t date)
{
    return mpin_server_1(hid, htid, id, id_len, date);
}

DTA_EXPORT(dta_mpin_server_2)
dta_error dta_mpin_server_2(uint32_t date, const uint8_t *hid, const uint8_t *htid,
                            const uint8_t y[48], const uint8_t ss[192], const uint8_t *u,
                            const uint8_t *ut, const uint8_t v[97], const uint8_t *pa)
{
    return mpin_server_2(date, hid, htid, y, ss, u, ut, v, pa);
}

DTA_EXPORT(dta_mpin_challenge)
dta_error dta_mpin_challenge(uint8_t y[48], uint32_t t, const uint8_t u[97], const uint8_t *msg,
                             size_t msg_len)
{
    return mpin_challenge(y, t, u, msg, msg_len);
}

DTA_EXPORT(dta_mpin_client)
dta_error dta_mpin_client(uint8_t v[97], uint8_t u[97], uint8_t *ut, uint8_t y[48],
                          const uint8_t *id, size_t id_len, uint32_t date, const uint8_t x[48],
                          uint32_t pin, const uint8_t token[97], const uint8_t *permit,
                          uint32_t t, const uint8_t *msg, size_t msg_len)
{
    return mpin_client(v, u, ut, y, id, id_len, date, x, pin, token, permit, t, msg, msg_len);
}

DTA_EXPORT(dta_mpin_server)
dta_error dta_mpin_server(const uint8_t *id, size_t id_len, uint32_t date, uint32_t t,
                          const uint8_t ss[192], const uint8_t *u, const uint8_t *ut,
                          const uint8_t v[97], const uint8_t *msg, size_t msg_len,
                          const uint8_t *pa)
{
    return mpin_server(id, id_len, date, t, ss, u, ut, v, msg, msg_len, pa);
}

DTA_EXPORT(dta_mpin_dvs_keypair)
dta_error dta_mpin_dvs_keypair(uint8_t pa[192], const uint8_t z[48])
{
    return mpin_dvs_keypair(pa, z);
}

/* ---- PIN-error estimation ---------------------------------------------------------- */
DTA_EXPORT(dta_mpin_pin_error_values)
dta_error dta_mpin_pin_error_values(uint8_t e[576], uint8_t f[576], uint32_t date,
                                    const uint8_t hid[97], const uint8_t *htid, const uint8_t y[48],
                                    const uint8_t ss[192], const uint8_t u[97], const uint8_t *ut,
                                    const uint8_t v[97])
{
    return mpin_pin_error_values(e, f, date, hid, htid, y, ss, u, ut, v);
}

DTA_EXPORT(dta_mpin_pin_error)
dta_error dta_mpin_pin_error(int32_t *err, const uint8_t e[576], const uint8_t f[576])
{
    return mpin_pin_error(err, e, f);
}

/* ---- M-Pin Full ----------------------------------------------------------------------- */
DTA_EXPORT(dta_mpin_pairing)
dta_error dta_mpin_pairing(uint8_t out[576], const uint8_t p[97], const uint8_t q[192])
{
    return mpin_pairing(out, p, q);
}

DTA_EXPORT(dta_mpin_precompute)
dta_error dta_mpin_precompute(uint8_t g1pre[576], uint8_t g2pre[576], const uint8_t token[97],
                              const uint8_t hid[48], const uint8_t *cp)
{
    return mpin_precompute(g1pre, g2pre, token, hid, cp);
}

DTA_EXPORT(dta_mpin_hash_all)
dta_error dta_mpin_hash_all(uint8_t h[48], const uint8_t hid[48], const uint8_t *u,
                            const uint8_t *ut, const uint8_t v[97], const uint8_t y[48],
                            const uint8_t z[97], const uint8_t t[97])
{
    return mpin_hash_all(h, hid, u, ut, v, y, z, t);
}

DTA_EXPORT(dta_mpin_client_key)
dta_error dta_mpin_client_key(uint8_t key[16], const uint8_t g1pre[576],
                              const uint8_t g2pre[576], uint32_t pin, const uint8_t r[48],
                              const uint8_t x[48], const uint8_t h[48], const uint8_t t[97])
{
    return mpin_client_key(key, g1pre, g2pre, pin, r, x, h, t);
}

DTA_EXPORT(dta_mpin_server_key)
dta_error dta_mpin_server_key(uint8_t key[16], const uint8_t z[97], const uint8_t ss[192],
                              const uint8_t w[48], const uint8_t h[48], const uint8_t hid[97],
                              const uint8_t *u, const uint8_t *ut)
{
    return mpin_server_key(key, z, ss, w, h, hid, u, ut);
}
