/*
 * M-Pin Full (docs/mpin.md#full): after a login both sides derive the
 * same 16-byte AES key from e(A, Q)^(s (r + h)) and x w A'. The client
 * raises its precomputed pairings to secret powers in constant time.
 */
#include "mpin.h"

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

/* 1 when a secret scalar is zero; looks at every limb, whatever their values. */
static limb_t mpin_scalar_is_zero(const scalar *s)
{
    limb_t any = 0;
    for (int i = 0; i < FR_LIMBS; i++) any |= s->l[i];
    return ct_is_zero(launder(any));
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
    /* x = 0 would leave the key no Diffie-Hellman part (W = x T = infinity). */
    if (e == DTA_OK && mpin_scalar_is_zero(&in.x)) e = DTA_BAD_SCALAR;
    if (e == DTA_OK) {
        mpin_gt_pow(&in.g2pre, &in.g2pre, pin_limb, (MPIN_PIN_BITS + 3) / 4);
        fp12_mul(&in.g1pre, &in.g1pre, &in.g2pre);
        fr_add(&in.r, &in.r, &in.h);
        fr_to_scalar(&e_s, &in.r);
        mpin_gt_pow(&in.g1pre, &in.g1pre, e_s.l, 64);
        g1_mult(&in.t, &in.t, &in.x);
        if (g1_is_inf(&in.t)) e = DTA_INFINITY;
        else mpin_key(key, &in.g1pre, &in.t);
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
    if (e == DTA_OK && mpin_scalar_is_zero(&ws)) e = DTA_BAD_SCALAR;     /* no DH part, as x = 0 */
    if (e == DTA_OK) e = mpin_g1_decode(&a, hid);
    if (e == DTA_OK) e = mpin_g1_decode(&up, u_bytes);
    if (e == DTA_OK) {
        fr_from_bytes_reduce(&hf, h, MPIN_MB);
        fr_to_scalar(&hs, &hf);
        g1_mult_vartime(&a, &a, &hs);   /* h and HID are public */
        g1_add(&rp, &rp, &a);
        mpin_pair(&g, &rp, &s);
        g1_mult(&up, &up, &ws);
        if (g1_is_inf(&up)) e = DTA_INFINITY;                       /* W' at infinity */
        else mpin_key(key, &g, &up);
    }
    secure_zero(&ws, sizeof ws);
    secure_zero(&up, sizeof up);
    secure_zero(&g, sizeof g);
    secure_zero(&s, sizeof s);         /* the decoded sQ, at every exit */
    return mpin_finish(e, key, MPIN_KEY);
}
