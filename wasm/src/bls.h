/* IETF BLS signatures (draft-irtf-cfrg-bls-signature-05), min-pk and min-sig. */
#ifndef DTA_BLS_H
#define DTA_BLS_H
#include "fr.h"
#include "sha256.h"
#include "../include/dta.h"

const uint8_t *bls_dst(size_t *len);
const uint8_t *bls_pop_dst(size_t *len);
DTA_MUST_CHECK dta_error bls_parse_sk(scalar *s, const uint8_t sk[32]);
dta_error bls_keygen(uint8_t out[32], const uint8_t *ikm, size_t ikm_len, const uint8_t *salt,
                     size_t salt_len, const uint8_t *info, size_t info_len);
dta_error bls_keygen_default(uint8_t out[32], const uint8_t *ikm, size_t ikm_len,
                             const uint8_t *info, size_t info_len);
dta_error bls_sk_to_pk(uint8_t pk[48], const uint8_t sk[32]);
dta_error bls_sign(uint8_t sig[96], const uint8_t sk[32], const uint8_t *msg, size_t msg_len,
                   const uint8_t *dst, size_t dst_len);
DTA_MUST_CHECK dta_error bls_verify(const uint8_t pk[48], const uint8_t *msg, size_t msg_len, const uint8_t sig[96],
                                    const uint8_t *dst, size_t dst_len);
dta_error bls_aggregate(uint8_t out[96], const uint8_t *sigs, size_t n);
DTA_MUST_CHECK dta_error bls_aggregate_verify(const uint8_t *pks, size_t n, const uint8_t *msgs,
                                              const uint32_t *msg_lens, const uint8_t sig[96],
                                              const uint8_t *dst, size_t dst_len);
DTA_MUST_CHECK dta_error bls_fast_aggregate_verify(const uint8_t *pks, size_t n, const uint8_t *msg, size_t msg_len,
                                                   const uint8_t sig[96], const uint8_t *dst, size_t dst_len);
dta_error bls_pop_prove(uint8_t proof[96], const uint8_t sk[32], const uint8_t *dst, size_t dst_len);
DTA_MUST_CHECK dta_error bls_pop_verify(const uint8_t pk[48], const uint8_t proof[96], const uint8_t *dst,
                                        size_t dst_len);
dta_error bls_minsig_sk_to_pk(uint8_t pk[96], const uint8_t sk[32]);
dta_error bls_minsig_sign(uint8_t sig[48], const uint8_t sk[32], const uint8_t *msg, size_t msg_len,
                          const uint8_t *dst, size_t dst_len);
DTA_MUST_CHECK dta_error bls_minsig_verify(const uint8_t pk[96], const uint8_t *msg, size_t msg_len,
                                           const uint8_t sig[48], const uint8_t *dst, size_t dst_len);
dta_error bls_minsig_aggregate(uint8_t out[48], const uint8_t *sigs, size_t n);
DTA_MUST_CHECK dta_error bls_minsig_fast_aggregate_verify(const uint8_t *pks, size_t n, const uint8_t *msg,
                                                          size_t msg_len, const uint8_t sig[48],
                                                          const uint8_t *dst, size_t dst_len);
dta_error bls_minsig_pop_prove(uint8_t proof[48], const uint8_t sk[32], const uint8_t *dst, size_t dst_len);
DTA_MUST_CHECK dta_error bls_minsig_pop_verify(const uint8_t pk[96], const uint8_t proof[48], const uint8_t *dst,
                                               size_t dst_len);

/* Sign and verify with the message absorbed in chunks (see hash_to_curve.h). */
dta_error bls_sign_absorbed(uint8_t sig[96], const uint8_t sk[32], const sha256_ctx *m,
                            const uint8_t *dst, size_t dst_len);
DTA_MUST_CHECK dta_error bls_verify_absorbed(const uint8_t pk[48], const sha256_ctx *m, const uint8_t sig[96],
                                             const uint8_t *dst, size_t dst_len);

/* bls_batch.c: batch verification and validated public keys (see dta.h). */
size_t bls_batch_scratch_bytes(size_t n);
DTA_MUST_CHECK dta_error bls_verify_batch(uint8_t *valid, const uint8_t *pks, int validated, const uint8_t *msgs,
                                          const uint32_t *msg_lens, const uint8_t *sigs, size_t n,
                                          const uint8_t *randomness, const uint8_t *dst, size_t dst_len,
                                          void *scratch, size_t scratch_len);
DTA_MUST_CHECK dta_error bls_public_key(uint8_t out[96], const uint8_t *pk, size_t pk_len);
DTA_MUST_CHECK dta_error bls_fast_aggregate_verify_validated(const uint8_t *keys, size_t n, const uint8_t *msg,
                                                             size_t msg_len, const uint8_t sig[96],
                                                             const uint8_t *dst, size_t dst_len);

#endif
