/*
 * One-pass login (docs/mpin.md#one-pass): both sides derive the
 * challenge y from the time, U' and an optional message, so the client
 * sends one message and the server answers with one check.
 */
#include "mpin.h"

/* y = mhashit(t, U' || msg) mod r, the one-pass challenge (docs/mpin.md#one-pass). */
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
    if (e == DTA_OK) {
        mpin_server_points(&a, &at, id, id_len, date);
        mpin_challenge_fr(&yf, t, u_bytes, msg, msg_len);
        e = mpin_verify(date != 0 ? &at : &a, &up, &yf, &s, &vp, &q);
    }
    secure_zero(&s, sizeof s);         /* the decoded sQ, at every exit */
    return e;
}
