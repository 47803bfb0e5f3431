/*
 * Issuing (docs/mpin.md#issuing): a D-TA's master-secret share s_i, its
 * server-secret share s_i Q, client-secret share s_i A and time-permit
 * share s_i A_T, and the sums by which clients and servers recombine the
 * shares of several D-TAs without anyone holding s = sum s_i.
 */
#include "mpin.h"

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
    secure_zero(&q, sizeof q);
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
    secure_zero(&acc, sizeof acc);     /* sQ and its shares: the caller's stack wipe is not relied on */
    secure_zero(&q, sizeof q);
    return mpin_finish(e, out, MPIN_G2);
}
