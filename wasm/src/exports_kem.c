/*
 * The exports of the envelope KEM: X25519, the FIPS 202 hashes, ML-KEM-768
 * and X-Wing. Same boundary rules as exports.c: fixed-size buffers, every
 * output zeroed on failure.
 */
#include "../include/dta.h"
#include "keccak.h"
#include "mlkem.h"
#include "x25519.h"
#include "xwing.h"

static dta_error kem_finish(dta_error e, void *out, size_t out_len)
{
    if (e != DTA_OK) secure_zero(out, out_len);
    return e;
}

/* ---- sizes ---------------------------------------------------------------- */
DTA_EXPORT(dta_x25519_bytes) size_t dta_x25519_bytes(void) { return DTA_X25519_BYTES; }
DTA_EXPORT(dta_shake_state_bytes) size_t dta_shake_state_bytes(void) { return sizeof(keccak_ctx); }
DTA_EXPORT(dta_mlkem768_encaps_key_bytes) size_t dta_mlkem768_encaps_key_bytes(void) { return DTA_MLKEM768_EK_BYTES; }
DTA_EXPORT(dta_mlkem768_decaps_key_bytes) size_t dta_mlkem768_decaps_key_bytes(void) { return DTA_MLKEM768_DK_BYTES; }
DTA_EXPORT(dta_mlkem768_ciphertext_bytes) size_t dta_mlkem768_ciphertext_bytes(void) { return DTA_MLKEM768_CT_BYTES; }
DTA_EXPORT(dta_xwing_seed_bytes) size_t dta_xwing_seed_bytes(void) { return DTA_XWING_SEED_BYTES; }
DTA_EXPORT(dta_xwing_public_key_bytes) size_t dta_xwing_public_key_bytes(void) { return DTA_XWING_PUBLIC_KEY_BYTES; }
DTA_EXPORT(dta_xwing_ciphertext_bytes) size_t dta_xwing_ciphertext_bytes(void) { return DTA_XWING_CIPHERTEXT_BYTES; }
DTA_EXPORT(dta_xwing_eseed_bytes) size_t dta_xwing_eseed_bytes(void) { return DTA_XWING_ESEED_BYTES; }

/* ---- X25519 ----------------------------------------------------------------- */
DTA_EXPORT(dta_x25519) dta_error dta_x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t u[32])
{
    return kem_finish(x25519(out, scalar, u), out, 32);
}

DTA_EXPORT(dta_x25519_base) dta_error dta_x25519_base(uint8_t out[32], const uint8_t scalar[32])
{
    return kem_finish(x25519_base(out, scalar), out, 32);
}

/* ---- FIPS 202 ---------------------------------------------------------------- */
DTA_EXPORT(dta_sha3_256) dta_error dta_sha3_256(uint8_t out[32], const uint8_t *msg, size_t len)
{
    sha3_256(out, msg, len);
    return DTA_OK;
}

DTA_EXPORT(dta_shake128) dta_error dta_shake128(uint8_t *out, size_t out_len, const uint8_t *msg, size_t len)
{
    shake128(out, out_len, msg, len);
    return DTA_OK;
}

DTA_EXPORT(dta_shake256) dta_error dta_shake256(uint8_t *out, size_t out_len, const uint8_t *msg, size_t len)
{
    shake256(out, out_len, msg, len);
    return DTA_OK;
}

/* The incremental state lives in the caller's memory and comes back in
 * on every call, so it is checked before use: a rate that is not
 * SHAKE's or a position past it would index outside the lanes. */
static int shake_state_ok(const keccak_ctx *c)
{
    return (c->rate == SHAKE128_RATE || c->rate == SHAKE256_RATE) && c->pos <= c->rate && c->squeezing <= 1;
}

DTA_EXPORT(dta_shake128_init) dta_error dta_shake128_init(void *state)
{
    keccak_init(state, SHAKE128_RATE);
    return DTA_OK;
}

DTA_EXPORT(dta_shake256_init) dta_error dta_shake256_init(void *state)
{
    keccak_init(state, SHAKE256_RATE);
    return DTA_OK;
}

DTA_EXPORT(dta_shake_absorb) dta_error dta_shake_absorb(void *state, const uint8_t *in, size_t len)
{
    keccak_ctx *c = state;
    if (!shake_state_ok(c)) return DTA_BAD_ARGUMENT;
    if (c->squeezing) return DTA_BAD_ARGUMENT;               /* FIPS 202: no absorbing after squeezing */
    if (c->pos == c->rate) return DTA_BAD_ARGUMENT;
    keccak_absorb(c, in, len);
    return DTA_OK;
}

DTA_EXPORT(dta_shake_squeeze) dta_error dta_shake_squeeze(void *state, uint8_t *out, size_t len)
{
    keccak_ctx *c = state;
    if (!shake_state_ok(c)) return kem_finish(DTA_BAD_ARGUMENT, out, len);
    if (!c->squeezing) {
        if (c->pos == c->rate) return kem_finish(DTA_BAD_ARGUMENT, out, len);
        keccak_finish(c, 0x1f);
    }
    keccak_squeeze(c, out, len);
    return DTA_OK;
}

/* ---- ML-KEM-768 ------------------------------------------------------------------- */
DTA_EXPORT(dta_mlkem768_keygen)
dta_error dta_mlkem768_keygen(uint8_t ek[1184], uint8_t dk[2400], const uint8_t d[32], const uint8_t z[32])
{
    mlkem768_keygen(ek, dk, d, z);
    return DTA_OK;
}

DTA_EXPORT(dta_mlkem768_encaps)
dta_error dta_mlkem768_encaps(uint8_t ct[1088], uint8_t ss[32], const uint8_t ek[1184], const uint8_t m[32])
{
    dta_error e = mlkem768_encaps(ct, ss, ek, m);
    kem_finish(e, ct, DTA_MLKEM768_CT_BYTES);
    return kem_finish(e, ss, 32);
}

DTA_EXPORT(dta_mlkem768_decaps)
dta_error dta_mlkem768_decaps(uint8_t ss[32], const uint8_t ct[1088], const uint8_t dk[2400])
{
    return kem_finish(mlkem768_decaps(ss, ct, dk), ss, 32);
}

/* ---- X-Wing ------------------------------------------------------------------------- */
DTA_EXPORT(dta_xwing_keygen) dta_error dta_xwing_keygen(uint8_t pk[1216], const uint8_t seed[32])
{
    return kem_finish(xwing_keygen(pk, seed), pk, DTA_XWING_PUBLIC_KEY_BYTES);
}

DTA_EXPORT(dta_xwing_encaps)
dta_error dta_xwing_encaps(uint8_t ct[1120], uint8_t ss[32], const uint8_t pk[1216], const uint8_t eseed[64])
{
    dta_error e = xwing_encaps(ct, ss, pk, eseed);
    kem_finish(e, ct, DTA_XWING_CIPHERTEXT_BYTES);
    return kem_finish(e, ss, 32);
}

DTA_EXPORT(dta_xwing_decaps) dta_error dta_xwing_decaps(uint8_t ss[32], const uint8_t ct[1120], const uint8_t seed[32])
{
    return kem_finish(xwing_decaps(ss, ct, seed), ss, 32);
}
