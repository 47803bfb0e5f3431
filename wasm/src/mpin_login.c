/*
 * Two-pass login (docs/mpin.md#two-pass): the client's passes, the
 * server's points and its one check, e(V, Qhat) e(y A' + U', sQ) = 1,
 * shared with the one-pass server; and the DVS key pair whose public half
 * takes the place of Q in that check (docs/mpin.md#dvs).
 */
#include "mpin.h"
#include "pairing.h"

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
    secure_zero(qs, sizeof qs);        /* qs[0] is sQ */
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
    if (e == DTA_OK) e = mpin_verify(&a, &up, &yf, &s, &vp, &q);
    secure_zero(&s, sizeof s);         /* the decoded sQ, at every exit */
    return e;
}

/* DVS key pair (GET_DVS_KEYPAIR, docs/mpin.md#dvs): the client keeps z, publishes Pa = z^-1 Q. */
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
