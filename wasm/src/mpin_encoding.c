/*
 * Milagro's encodings on BLS381 (docs/mpin.md#encodings): G1 as
 * 04 || x || y, G2 as x.re || x.im || y.re || y.im, 48-byte scalars and
 * GT in Milagro's tower. Decoders validate fully; encoders refuse infinity.
 */
#include "mpin.h"

/* Zero the output when e is an error, then pass e on. */
static dta_error mpin_finish(dta_error e, void *out, size_t out_len)
{
    if (e != DTA_OK && out) secure_zero(out, out_len);
    return e;
}

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
/* G2 points here are often the server secret sQ: the affine copy is wiped. */
static dta_error mpin_g2_decode_affine(g2 *r, g2_affine *a, const uint8_t in[192])
{
    limb_t ok = fp_from_bytes(&a->x.c0, in) & fp_from_bytes(&a->x.c1, in + MPIN_MB) &
                fp_from_bytes(&a->y.c0, in + 2 * MPIN_MB) & fp_from_bytes(&a->y.c1, in + 3 * MPIN_MB);
    if (!ok) return DTA_BAD_ENCODING;
    if (fp2_is_zero(&a->x) & fp2_is_zero(&a->y)) return DTA_INFINITY;
    if (!g2_affine_on_curve(a)) return DTA_NOT_ON_CURVE;
    g2_from_affine(r, a);
    if (!g2_in_subgroup(r)) return DTA_NOT_IN_SUBGROUP;
    return DTA_OK;
}

dta_error mpin_g2_decode(g2 *r, const uint8_t in[192])
{
    g2_affine a;
    dta_error e = mpin_g2_decode_affine(r, &a, in);
    secure_zero(&a, sizeof a);
    return e;
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
    secure_zero(&a, sizeof a);         /* p is often sQ or a share of it */
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
 * GT bytes in Milagro's tower (docs/mpin.md#gt). Milagro builds
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
