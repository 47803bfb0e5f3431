/*
 * PIN-error estimation after a failed login (docs/mpin.md#pin-error): the
 * server forms E and F from the login's public values and finds how far
 * the entered PIN was from the registered one.
 */
#include "mpin.h"

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
    secure_zero(&s, sizeof s);         /* the decoded sQ, at every exit */
    mpin_finish(err, f, MPIN_GT);
    return mpin_finish(err, e, MPIN_GT);
}

/* A 64-bit fingerprint of a GT value: the low bits of its first coordinate,
 * reduced first so that the representative is unique (fp.h keeps [0, 2p)). */
static uint64_t mpin_gt_print(const fp12 *g)
{
    fp c;
    fp_canonical(&c, &g->c0.c0.c0);
    return (uint64_t)c.l[0] | ((uint64_t)c.l[1] << FP_LIMB_BITS) | ((uint64_t)c.l[2] << (2 * FP_LIMB_BITS));
}

#define MPIN_BSGS_M 142             /* 142^2 > 2 * MAXPIN - 1 */

/*
 * The PIN error pin2 - pin1 = -k with E = F^k and |k| < MAXPIN, by baby-step
 * giant-step over d = k + MAXPIN - 1 in [0, 2 MAXPIN - 2]: T = E F^(MAXPIN-1)
 * = F^(i + M j). Baby steps keep only fingerprints; a hit is confirmed by
 * recomputing F^i. Deterministic and complete where Milagro's kangaroo
 * (docs/mpin.md#pin-error) is best-effort. Variable time: E and F are public.
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
