/*
 * The exports of Feldman VSS (vss.c). Same boundary rules as exports.c:
 * every commitment fully validated, every scalar checked against r, every
 * output zeroed on failure.
 */
#include "../include/dta.h"
#include "vss.h"

static dta_error vss_finish(dta_error e, void *out, size_t out_len)
{
    if (e != DTA_OK) secure_zero(out, out_len);
    return e;
}

DTA_EXPORT(dta_vss_deal)
dta_error dta_vss_deal(uint8_t *shares, uint8_t *commitments, const uint8_t secret[32], uint32_t t, uint32_t n,
                       const uint8_t *random)
{
    dta_error e = vss_deal(shares, commitments, secret, t, n, random);
    if (e == DTA_BAD_ARGUMENT) return e;                 /* t, n out of range: the buffers' sizes are unknown */
    vss_finish(e, commitments, 48 * (size_t)t);
    return vss_finish(e, shares, 32 * (size_t)n);
}

DTA_EXPORT(dta_vss_verify)
dta_error dta_vss_verify(uint32_t index, const uint8_t share[32], const uint8_t *commitments, size_t t)
{
    return vss_verify(index, share, commitments, t);
}

DTA_EXPORT(dta_vss_public_share)
dta_error dta_vss_public_share(uint8_t out[48], uint32_t index, const uint8_t *commitments, size_t t)
{
    return vss_finish(vss_public_share(out, index, commitments, t), out, 48);
}

DTA_EXPORT(dta_vss_sum) dta_error dta_vss_sum(uint8_t out[32], const uint8_t *scalars, size_t n)
{
    return vss_finish(vss_sum(out, scalars, n), out, 32);
}

DTA_EXPORT(dta_vss_random) dta_error dta_vss_random(uint8_t out[32], const uint8_t random[64])
{
    return vss_finish(vss_random(out, random), out, 32);
}
