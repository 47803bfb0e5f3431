/*
 * X-Wing (draft-connolly-cfrg-xwing-kem-06). The secret key is the 32-byte
 * seed; every use expands it with SHAKE256 into ML-KEM's (d, z) and the
 * X25519 scalar, as the draft specifies. The shared secret is
 * SHA3-256(ss_M || ss_X || ct_X || pk_X || label). An all-zero X25519
 * result (a low-order point in pk or ct) is refused, as the HPKE use of
 * X25519 does.
 */
#include "xwing.h"
#include "keccak.h"
#include "mlkem.h"
#include "x25519.h"

/* The draft's XWingLabel, the six ASCII bytes \.//^\ */
static const uint8_t XWING_LABEL[6] = {0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c};

/* The draft's expandDecapsulationKey: dk_M and the X25519 key pair. */
static dta_error xwing_expand(uint8_t pk_m[1184], uint8_t dk_m[2400], uint8_t sk_x[32], uint8_t pk_x[32],
                              const uint8_t seed[32])
{
    uint8_t expanded[96];
    shake256(expanded, sizeof expanded, seed, 32);
    mlkem768_keygen(pk_m, dk_m, expanded, expanded + 32);
    memcpy(sk_x, expanded + 64, 32);
    secure_zero(expanded, sizeof expanded);
    return x25519_base(pk_x, sk_x);
}

static void xwing_combine(uint8_t ss[32], const uint8_t ss_m[32], const uint8_t ss_x[32], const uint8_t ct_x[32],
                          const uint8_t pk_x[32])
{
    keccak_ctx h;
    keccak_init(&h, SHA3_256_RATE);
    keccak_absorb(&h, ss_m, 32);
    keccak_absorb(&h, ss_x, 32);
    keccak_absorb(&h, ct_x, 32);
    keccak_absorb(&h, pk_x, 32);
    keccak_absorb(&h, XWING_LABEL, sizeof XWING_LABEL);
    keccak_finish(&h, 0x06);
    keccak_squeeze(&h, ss, 32);
    secure_zero(&h, sizeof h);
}

dta_error xwing_keygen(uint8_t pk[1216], const uint8_t seed[32])
{
    uint8_t dk_m[MLKEM768_DK_BYTES], sk_x[32];
    dta_error e = xwing_expand(pk, dk_m, sk_x, pk + MLKEM768_EK_BYTES, seed);
    secure_zero(dk_m, sizeof dk_m);
    secure_zero(sk_x, sizeof sk_x);
    return e;
}

dta_error xwing_encaps(uint8_t ct[1120], uint8_t ss[32], const uint8_t pk[1216], const uint8_t eseed[64])
{
    const uint8_t *pk_x = pk + MLKEM768_EK_BYTES, *ek_x = eseed + 32;
    uint8_t ss_m[32], ss_x[32];
    uint8_t *ct_x = ct + MLKEM768_CT_BYTES;
    dta_error e = mlkem768_encaps(ct, ss_m, pk, eseed);
    if (e == DTA_OK) e = x25519_base(ct_x, ek_x);
    if (e == DTA_OK) e = x25519(ss_x, ek_x, pk_x);
    if (e == DTA_OK) xwing_combine(ss, ss_m, ss_x, ct_x, pk_x);
    secure_zero(ss_m, sizeof ss_m);
    secure_zero(ss_x, sizeof ss_x);
    return e;
}

/* The expansion of the seed inlined: ML-KEM's keygen and decapsulation share
 * the matrix A and skip the hash check of a dk made here (mlkem768_decaps_fresh). */
dta_error xwing_decaps(uint8_t ss[32], const uint8_t ct[1120], const uint8_t seed[32])
{
    uint8_t expanded[96], dk_m[MLKEM768_DK_BYTES], pk_x[32], ss_m[32], ss_x[32];
    const uint8_t *sk_x = expanded + 64, *ct_x = ct + MLKEM768_CT_BYTES;
    shake256(expanded, sizeof expanded, seed, 32);
    mlkem768_decaps_fresh(ss_m, dk_m, ct, expanded, expanded + 32);
    dta_error e = x25519_base(pk_x, sk_x);
    if (e == DTA_OK) e = x25519(ss_x, sk_x, ct_x);
    if (e == DTA_OK) xwing_combine(ss, ss_m, ss_x, ct_x, pk_x);
    secure_zero(expanded, sizeof expanded);
    secure_zero(dk_m, sizeof dk_m);
    secure_zero(ss_m, sizeof ss_m);
    secure_zero(ss_x, sizeof ss_x);
    return e;
}
