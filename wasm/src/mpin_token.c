/*
 * The PIN and other factors (docs/mpin.md#token): TOKEN = CS - pin A is
 * what a client stores; CS = TOKEN + pin A comes back only with the PIN.
 * The small secret multiplier is a fixed-length ladder, so the PIN does
 * not show in the timing.
 */
#include "mpin.h"

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
