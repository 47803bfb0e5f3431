/*
 * dta crypto core: the one public header.
 *
 * BLS12-381 fields, groups, pairing, RFC 9380 hash-to-curve, IETF BLS
 * signatures and Shamir sharing, in freestanding C11 built for wasm32.
 *
 * Conventions (read these once):
 *  - Output first, caller allocates: op(out, in...). No malloc anywhere.
 *  - Every function returns a dta_error; 0 is success. On failure every
 *    output buffer is zeroed.
 *  - Byte strings are big-endian. Points cross this boundary only in the
 *    ZCash/IETF encodings (compressed or uncompressed, with flag bits) and
 *    are fully validated on the way in: canonical field elements, flags,
 *    on curve, in the prime-order subgroup.
 *  - Scalars are 32-byte big-endian integers that must be < r.
 *  - Secret inputs (secret keys, scalars of _mult) are processed in
 *    constant time. Functions whose name ends in _public are variable
 *    time and must only see public inputs.
 *  - Sizes are data: each DTA_*_BYTES macro has a dta_*_bytes() function
 *    so bindings never hard-code them.
 */
#ifndef DTA_H
#define DTA_H

/* Freestanding and self-contained: the fixed-width types come from the
 * compiler's predefined macros (GCC, clang), so neither libc nor another
 * header is needed; identical to <stdint.h>'s where both are included. */
#if defined(__UINT8_TYPE__) && defined(__UINT32_TYPE__) && defined(__INT32_TYPE__) && \
    defined(__SIZE_TYPE__)
typedef __UINT8_TYPE__  uint8_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __INT32_TYPE__  int32_t;
typedef __SIZE_TYPE__   size_t;
#else
#include <stddef.h>
#include <stdint.h>
#endif

/* A result the caller must look at: a verification, a validation, a
 * decoding. Ignoring it would accept what failed, so the compiler warns. */
#if defined(__GNUC__) || defined(__clang__)
#define DTA_MUST_CHECK __attribute__((warn_unused_result))
#else
#define DTA_MUST_CHECK
#endif

typedef enum {
    DTA_OK = 0,
    DTA_BAD_ENCODING = 1,       /* flags, non-canonical field element, malformed */
    DTA_BAD_LENGTH = 2,         /* a length argument is wrong or too large */
    DTA_NOT_ON_CURVE = 3,
    DTA_NOT_IN_SUBGROUP = 4,
    DTA_INFINITY = 5,           /* the point at infinity where it is not allowed */
    DTA_BAD_SCALAR = 6,         /* scalar >= r, or zero where a secret key is required */
    DTA_VERIFY_FAIL = 7,        /* a signature or pairing check failed */
    DTA_BAD_ARGUMENT = 8        /* anything else the caller got wrong (n = 0, duplicate share index...) */
} dta_error;

#define DTA_FP_BYTES 48U
#define DTA_SCALAR_BYTES 32U
#define DTA_G1_COMPRESSED_BYTES 48U
#define DTA_G1_UNCOMPRESSED_BYTES 96U
#define DTA_G2_COMPRESSED_BYTES 96U
#define DTA_G2_UNCOMPRESSED_BYTES 192U
#define DTA_GT_BYTES 576U
#define DTA_SECRET_KEY_BYTES 32U

size_t dta_fp_bytes(void);
size_t dta_scalar_bytes(void);
size_t dta_g1_compressed_bytes(void);
size_t dta_g1_uncompressed_bytes(void);
size_t dta_g2_compressed_bytes(void);
size_t dta_g2_uncompressed_bytes(void);
size_t dta_gt_bytes(void);
size_t dta_secret_key_bytes(void);

/* ---- Points: encodings -------------------------------------------------
 * A point argument named *_in accepts either encoding, told apart by its
 * length argument (48/96 for G1, 96/192 for G2). Outputs are uncompressed
 * unless the name says compressed. Infinity is allowed in points; the BLS
 * functions refuse it where the IETF draft does. */
DTA_MUST_CHECK dta_error dta_g1_validate(const uint8_t *in, size_t in_len);
dta_error dta_g1_compress(uint8_t out[48], const uint8_t *in, size_t in_len);
dta_error dta_g1_uncompress(uint8_t out[96], const uint8_t *in, size_t in_len);
DTA_MUST_CHECK dta_error dta_g2_validate(const uint8_t *in, size_t in_len);
dta_error dta_g2_compress(uint8_t out[96], const uint8_t *in, size_t in_len);
dta_error dta_g2_uncompress(uint8_t out[192], const uint8_t *in, size_t in_len);

/* ---- Group arithmetic on uncompressed points ---------------------------- */
dta_error dta_g1_generator(uint8_t out[96]);
dta_error dta_g1_add(uint8_t out[96], const uint8_t a[96], const uint8_t b[96]);
dta_error dta_g1_neg(uint8_t out[96], const uint8_t a[96]);
/* Constant time in the scalar. */
dta_error dta_g1_mult(uint8_t out[96], const uint8_t p[96], const uint8_t scalar[32]);
dta_error dta_g1_mult_public(uint8_t out[96], const uint8_t p[96], const uint8_t scalar[32]);
/* Sum of scalars[i]*points[i], variable time (Pippenger); n >= 1. */
dta_error dta_g1_msm_public(uint8_t out[96], const uint8_t *points, const uint8_t *scalars, size_t n);

dta_error dta_g2_generator(uint8_t out[192]);
dta_error dta_g2_add(uint8_t out[192], const uint8_t a[192], const uint8_t b[192]);
dta_error dta_g2_neg(uint8_t out[192], const uint8_t a[192]);
dta_error dta_g2_mult(uint8_t out[192], const uint8_t p[192], const uint8_t scalar[32]);
dta_error dta_g2_mult_public(uint8_t out[192], const uint8_t p[192], const uint8_t scalar[32]);
dta_error dta_g2_msm_public(uint8_t out[192], const uint8_t *points, const uint8_t *scalars, size_t n);

/* ---- Hash to curve (RFC 9380), suites BLS12381G{1,2}_XMD:SHA-256_SSWU_{RO,NU}_ */
dta_error dta_g1_hash_to_curve(uint8_t out[96], const uint8_t *msg, size_t msg_len,
                               const uint8_t *dst, size_t dst_len);
dta_error dta_g1_encode_to_curve(uint8_t out[96], const uint8_t *msg, size_t msg_len,
                                 const uint8_t *dst, size_t dst_len);
dta_error dta_g2_hash_to_curve(uint8_t out[192], const uint8_t *msg, size_t msg_len,
                               const uint8_t *dst, size_t dst_len);
dta_error dta_g2_encode_to_curve(uint8_t out[192], const uint8_t *msg, size_t msg_len,
                                 const uint8_t *dst, size_t dst_len);

/* ---- Pairing ------------------------------------------------------------
 * GT elements are 576 bytes: the twelve Fp coefficients of the tower
 * Fp2 = Fp[u]/(u^2+1), Fp6 = Fp2[v]/(v^3-(u+1)), Fp12 = Fp6[w]/(w^2-v),
 * in the order c0.c0.c0, c0.c0.c1, c0.c1.c0, ..., c1.c2.c1, each 48 bytes BE.
 * The value is e(P,Q)^3 = f^(3(p^12-1)/r), the cube of the reduced optimal-ate
 * pairing: the fast final-exponentiation chain (Hayashida-Hayasaka-Teruya)
 * computes 3(p^4-p^2+1)/r, as @noble/curves does, and cubing is a bijection
 * on GT (3 does not divide r), so it is the same bilinear, non-degenerate map. */
dta_error dta_pairing(uint8_t out[576], const uint8_t p[96], const uint8_t q[192]);
/* Product of n pairings with one shared final exponentiation. */
dta_error dta_multi_pairing(uint8_t out[576], const uint8_t *ps, const uint8_t *qs, size_t n);
/* DTA_OK when prod e(ps[i], qs[i]) == 1, DTA_VERIFY_FAIL otherwise. */
DTA_MUST_CHECK dta_error dta_pairing_check(const uint8_t *ps, const uint8_t *qs, size_t n);

/* ---- Hashes and KDFs ------------------------------------------------------ */
dta_error dta_sha256(uint8_t out[32], const uint8_t *msg, size_t len);
dta_error dta_hmac_sha256(uint8_t out[32], const uint8_t *key, size_t key_len,
                          const uint8_t *msg, size_t len);
dta_error dta_hkdf_extract(uint8_t prk[32], const uint8_t *salt, size_t salt_len,
                           const uint8_t *ikm, size_t ikm_len);
/* out_len <= 255*32 */
dta_error dta_hkdf_expand(uint8_t *out, size_t out_len, const uint8_t prk[32],
                          const uint8_t *info, size_t info_len);
/* RFC 9380 5.3.1; out_len <= 255*32 and <= 65535; dst may exceed 255 bytes. */
dta_error dta_expand_message_xmd(uint8_t *out, size_t out_len, const uint8_t *msg, size_t msg_len,
                                 const uint8_t *dst, size_t dst_len);

/* ---- BLS signatures --------------------------------------------------------
 * min-pk (the dta ciphersuite): public keys in G1 (48 B compressed),
 * signatures in G2 (96 B compressed). The DST is an argument; the bindings
 * pass dta_bls_dst() / dta_bls_pop_dst() for
 * BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_. */
const uint8_t *dta_bls_dst(void);
size_t dta_bls_dst_len(void);
const uint8_t *dta_bls_pop_dst(void);
size_t dta_bls_pop_dst_len(void);

/* KeyGen (draft-irtf-cfrg-bls-signature-05 2.3): ikm_len >= 32. */
dta_error dta_bls_keygen(uint8_t sk[32], const uint8_t *ikm, size_t ikm_len,
                         const uint8_t *info, size_t info_len);
/* The same with the first HKDF salt given (Milagro's vectors). */
dta_error dta_bls_keygen_salt(uint8_t sk[32], const uint8_t *ikm, size_t ikm_len,
                              const uint8_t *salt, size_t salt_len,
                              const uint8_t *info, size_t info_len);
dta_error dta_bls_sk_to_pk(uint8_t pk[48], const uint8_t sk[32]);
dta_error dta_bls_sign(uint8_t sig[96], const uint8_t sk[32], const uint8_t *msg, size_t msg_len,
                       const uint8_t *dst, size_t dst_len);
DTA_MUST_CHECK dta_error dta_bls_verify(const uint8_t pk[48], const uint8_t *msg, size_t msg_len,
                                        const uint8_t sig[96], const uint8_t *dst, size_t dst_len);
/* n >= 1 compressed signatures back to back. */
dta_error dta_bls_aggregate(uint8_t out[96], const uint8_t *sigs, size_t n);
/* msgs: the n messages back to back; msg_lens: n little-endian uint32. */
DTA_MUST_CHECK dta_error dta_bls_aggregate_verify(const uint8_t *pks, size_t n, const uint8_t *msgs,
                                                  const uint32_t *msg_lens, const uint8_t sig[96],
                                                  const uint8_t *dst, size_t dst_len);
DTA_MUST_CHECK dta_error dta_bls_fast_aggregate_verify(const uint8_t *pks, size_t n, const uint8_t *msg,
                                                       size_t msg_len, const uint8_t sig[96],
                                                       const uint8_t *dst, size_t dst_len);
dta_error dta_bls_pop_prove(uint8_t proof[96], const uint8_t sk[32],
                            const uint8_t *dst, size_t dst_len);

/* Long messages without copying them whole into wasm memory (which can
 * grow but never shrink): a state of dta_msg_stream_bytes() bytes (8-byte
 * aligned) is initialised, fed the message in chunks of any size, then
 * signed or verified with exactly the result of dta_bls_sign/_verify on
 * the whole message. The state holds public data only. */
size_t dta_msg_stream_bytes(void);
dta_error dta_msg_stream_init(void *state);
dta_error dta_msg_stream_update(void *state, const uint8_t *chunk, size_t len);
dta_error dta_bls_sign_stream(uint8_t sig[96], const uint8_t sk[32], const void *state,
                              const uint8_t *dst, size_t dst_len);
DTA_MUST_CHECK dta_error dta_bls_verify_stream(const uint8_t pk[48], const void *state, const uint8_t sig[96],
                                               const uint8_t *dst, size_t dst_len);

/* Batch verification of n min-pk triples (pks[i] 48 B, msgs back to back
 * with msg_lens[i], sigs[i] 96 B) as one randomized multi-pairing:
 * prod e(r_i pk_i, H(m_i)) e(-G1, sum r_i sig_i) == 1 with one final
 * exponentiation; a batch with an invalid triple passes with probability
 * 2^-64. randomness: n * 8 bytes from a CSPRNG (r_i, big-endian; 0 counts
 * as 1). scratch: dta_bls_batch_scratch_bytes(n) bytes, 16-byte aligned,
 * caller-allocated (1 <= n <= 65536; 0 = n too large). valid: n bytes
 * out, 1 or 0 per triple. DTA_OK when all verify; DTA_VERIFY_FAIL when
 * some do not: they are found by bisection over the scratch (no hashing
 * or decoding again), which costs about 2k log2(n) smaller products for k
 * bad among n, against n final exponentiations for individual checks. An
 * invalid key or signature encoding, a key at infinity or an empty DST is
 * an error, as in dta_bls_verify. Variable time: public inputs only. */
size_t dta_bls_batch_scratch_bytes(size_t n);
DTA_MUST_CHECK dta_error dta_bls_verify_batch(uint8_t *valid, const uint8_t *pks, const uint8_t *msgs,
                                              const uint32_t *msg_lens, const uint8_t *sigs, size_t n,
                                              const uint8_t *randomness, const uint8_t *dst, size_t dst_len,
                                              void *scratch, size_t scratch_len);

/* Validated public keys: KeyValidate once (decode, subgroup, not
 * infinity), then reuse. out: dta_bls_public_key_bytes() (96) bytes of
 * the core's internal affine form, opaque. The _validated verify sums such
 * blocks after checking only that each is a finite point of the curve:
 * pass nothing but blocks from dta_bls_public_key (the bindings keep them
 * in a handle callers cannot build). */
size_t dta_bls_public_key_bytes(void);
DTA_MUST_CHECK dta_error dta_bls_public_key(uint8_t out[96], const uint8_t *pk, size_t pk_len);
DTA_MUST_CHECK dta_error dta_bls_fast_aggregate_verify_validated(const uint8_t *keys, size_t n,
                                                                 const uint8_t *msg, size_t msg_len,
                                                                 const uint8_t sig[96], const uint8_t *dst,
                                                                 size_t dst_len);
/* dta_bls_verify_batch with keys: n such blocks back to back. */
DTA_MUST_CHECK dta_error dta_bls_verify_batch_validated(uint8_t *valid, const uint8_t *keys, const uint8_t *msgs,
                                                        const uint32_t *msg_lens, const uint8_t *sigs, size_t n,
                                                        const uint8_t *randomness, const uint8_t *dst,
                                                        size_t dst_len, void *scratch, size_t scratch_len);
DTA_MUST_CHECK dta_error dta_bls_pop_verify(const uint8_t pk[48], const uint8_t proof[96],
                                            const uint8_t *dst, size_t dst_len);

/* min-sig (the swapped variant of Milagro's bls12_381.rsp): pk in G2
 * (96 B compressed), signature in G1 (48 B compressed). */
dta_error dta_bls_minsig_sk_to_pk(uint8_t pk[96], const uint8_t sk[32]);
dta_error dta_bls_minsig_sign(uint8_t sig[48], const uint8_t sk[32], const uint8_t *msg,
                              size_t msg_len, const uint8_t *dst, size_t dst_len);
DTA_MUST_CHECK dta_error dta_bls_minsig_verify(const uint8_t pk[96], const uint8_t *msg, size_t msg_len,
                                               const uint8_t sig[48], const uint8_t *dst, size_t dst_len);
dta_error dta_bls_minsig_aggregate(uint8_t out[48], const uint8_t *sigs, size_t n);
DTA_MUST_CHECK dta_error dta_bls_minsig_fast_aggregate_verify(const uint8_t *pks, size_t n, const uint8_t *msg,
                                                              size_t msg_len, const uint8_t sig[48],
                                                              const uint8_t *dst, size_t dst_len);
dta_error dta_bls_minsig_pop_prove(uint8_t proof[48], const uint8_t sk[32],
                                   const uint8_t *dst, size_t dst_len);
DTA_MUST_CHECK dta_error dta_bls_minsig_pop_verify(const uint8_t pk[96], const uint8_t proof[48],
                                                   const uint8_t *dst, size_t dst_len);

/* ---- Shamir secret sharing over Fr -----------------------------------------
 * Share i (1-based) of n is f(i) for f(x) = secret + c1 x + ... + c_{t-1} x^{t-1}.
 * random: (t-1) * 64 bytes from a CSPRNG, each block reduced mod r to a
 * coefficient. shares: n * 32 bytes out. 1 <= t <= n <= 255. */
dta_error dta_shamir_split(uint8_t *shares, const uint8_t secret[32], uint32_t t, uint32_t n,
                           const uint8_t *random);
/* Lagrange interpolation at 0 from k shares with distinct nonzero indices. */
dta_error dta_shamir_recover(uint8_t secret[32], const uint32_t *indices,
                             const uint8_t *shares, size_t k);
/* The same in the exponent: G1 points (48 B compressed, e.g. public-key
 * shares) and G2 points (96 B compressed, e.g. signature shares). */
dta_error dta_shamir_recover_g1(uint8_t out[48], const uint32_t *indices,
                                const uint8_t *points, size_t k);
dta_error dta_shamir_recover_g2(uint8_t out[96], const uint32_t *indices,
                                const uint8_t *points, size_t k);

/* ---- Feldman verifiable secret sharing over Fr, commitments in G1 ----------
 * The Shamir split above plus commitments C_j = a_j G1 (48 B compressed,
 * j = 0..t-1, a_0 the secret) to the polynomial's coefficients. The public
 * share of index i is X_i = sum_j C_j i^j; share i is valid iff share G1 == X_i.
 * Commitments are validated in full (canonical, on curve, in G1); C_0 must not
 * be infinity, so the secret must be nonzero. Shares and coefficients are
 * processed in constant time; X_i (public data) in variable time. */
/* random: (t-1) * 64 bytes (as dta_shamir_split, which gives the same shares);
 * shares: n * 32 bytes out; commitments: t * 48 bytes out. 1 <= t <= n <= 255. */
dta_error dta_vss_deal(uint8_t *shares, uint8_t *commitments, const uint8_t secret[32], uint32_t t, uint32_t n,
                       const uint8_t *random);
/* DTA_OK when share G1 == X_index, DTA_VERIFY_FAIL when not; the decoding
 * errors for a malformed commitment. 1 <= index <= 255, 1 <= t <= 255. */
DTA_MUST_CHECK dta_error dta_vss_verify(uint32_t index, const uint8_t share[32], const uint8_t *commitments,
                                        size_t t);
dta_error dta_vss_public_share(uint8_t out[48], uint32_t index, const uint8_t *commitments, size_t t);
/* The sum of n scalars (each < r) mod r, constant time; n = 0 gives zero. */
dta_error dta_vss_sum(uint8_t out[32], const uint8_t *scalars, size_t n);
/* 64 random bytes reduced mod r; DTA_BAD_SCALAR (draw again) if that is zero. */
dta_error dta_vss_random(uint8_t out[32], const uint8_t random[64]);

/* ---- Raw handles (benchmarks, advanced callers) ---------------------------
 * Opaque internal points in wasm memory, sized by these functions.
 * _from_bytes validates exactly like the functions above. */
size_t dta_p1_sizeof(void);
size_t dta_p2_sizeof(void);
size_t dta_gt_sizeof(void);
dta_error dta_p1_from_bytes(void *p, const uint8_t *in, size_t in_len);
dta_error dta_p1_to_bytes(uint8_t out[96], const void *p);
dta_error dta_p1_mult(void *out, const void *p, const uint8_t scalar[32]);
dta_error dta_p1_mult_public(void *out, const void *p, const uint8_t scalar[32]);
dta_error dta_p2_from_bytes(void *p, const uint8_t *in, size_t in_len);
dta_error dta_p2_to_bytes(uint8_t out[192], const void *p);
dta_error dta_p2_mult(void *out, const void *p, const uint8_t scalar[32]);
dta_error dta_p2_mult_public(void *out, const void *p, const uint8_t scalar[32]);
dta_error dta_gt_pairing(void *out, const void *p1, const void *p2);
dta_error dta_gt_to_bytes(uint8_t out[576], const void *gt);

/* Zero the unused part of the module's stack, where secret temporaries of
 * earlier calls may remain. Call it after any call that handled a secret;
 * the TypeScript bindings call it after every call. */
void dta_wipe_stack(void);

/* Self-test: 0 when the known-answer checks built into the core pass. */
DTA_MUST_CHECK dta_error dta_self_test(void);

/* ---- M-Pin (Milagro-compatible zero-knowledge multi-factor authentication) --
 * Apache Milagro's M-Pin on BLS381, byte for byte. Its encodings, not the
 * ZCash ones: G1 = 04 || x || y (97 bytes), G2 = x.re || x.im || y.re ||
 * y.im (192 bytes), scalars 48 bytes big-endian and < r (16 leading zero
 * bytes), GT 576 bytes in Milagro's tower Fp4[W]/(W^3 - V). Every point
 * is validated (canonical, on the curve, in the subgroup, not infinity).
 * A = H(ID) is Milagro's try-and-increment map of HASH_ID(ID) = 16 zero
 * bytes || SHA-256(ID) ("hid", 48 bytes). date: days since the epoch,
 * 0 = no time permits; a pointer marked "or NULL" is 0 when absent, and
 * needed exactly when date != 0 (ut, permit, htid). PINs are < 10000.
 * Random scalars come from dta_mpin_random_scalar over 64 caller-supplied
 * random bytes (the core has no RNG). Secrets (master shares, PIN, token,
 * x, r, w, z) are processed in constant time. */
#define DTA_MPIN_SCALAR_BYTES 48U
#define DTA_MPIN_G1_BYTES 97U
#define DTA_MPIN_G2_BYTES 192U
#define DTA_MPIN_GT_BYTES 576U
#define DTA_MPIN_HASH_BYTES 48U
#define DTA_MPIN_KEY_BYTES 16U
#define DTA_MPIN_RANDOM_BYTES 64U
#define DTA_MPIN_MAX_PIN 10000U

size_t dta_mpin_scalar_bytes(void);
size_t dta_mpin_g1_bytes(void);
size_t dta_mpin_g2_bytes(void);
size_t dta_mpin_gt_bytes(void);
size_t dta_mpin_hash_bytes(void);
size_t dta_mpin_key_bytes(void);
size_t dta_mpin_random_bytes(void);
size_t dta_mpin_max_pin(void);

/* A scalar in [1, r) from 64 random bytes (master shares, x, y, r, w, z). */
dta_error dta_mpin_random_scalar(uint8_t out[48], const uint8_t random[64]);
dta_error dta_mpin_hash_id(uint8_t hid[48], const uint8_t *id, size_t id_len);
/* mapit(hid): the G1 point A. */
dta_error dta_mpin_map_to_g1(uint8_t out[97], const uint8_t hid[48]);

/* Issuing: s_i Q, s_i A, s_i A_T (A_T = mapit(SHA-256(date || hid))). */
dta_error dta_mpin_server_secret(uint8_t out[192], const uint8_t s[48]);
dta_error dta_mpin_client_secret(uint8_t out[97], const uint8_t s[48], const uint8_t hid[48]);
dta_error dta_mpin_client_permit(uint8_t out[97], uint32_t date, const uint8_t s[48],
                                 const uint8_t hid[48]);
/* Sum of n >= 1 shares back to back (97 or 192 bytes each). */
dta_error dta_mpin_recombine_g1(uint8_t out[97], const uint8_t *shares, size_t n);
dta_error dta_mpin_recombine_g2(uint8_t out[192], const uint8_t *shares, size_t n);
/* out = k P (constant time in k): DVS z CS, Full's T = w A'. */
dta_error dta_mpin_g1_mul(uint8_t out[97], const uint8_t k[48], const uint8_t p[97]);

/* TOKEN = CS - pin A and back; generic factors f < 2^bits, 1 <= bits <= 32. */
dta_error dta_mpin_extract_pin(uint8_t token[97], const uint8_t *id, size_t id_len,
                               uint32_t pin, const uint8_t cs[97]);
dta_error dta_mpin_restore_pin(uint8_t cs[97], const uint8_t *id, size_t id_len,
                               uint32_t pin, const uint8_t token[97]);
dta_error dta_mpin_extract_factor(uint8_t out[97], const uint8_t *id, size_t id_len,
                                  uint32_t factor, uint32_t bits, const uint8_t cs[97]);
dta_error dta_mpin_restore_factor(uint8_t out[97], const uint8_t *id, size_t id_len,
                                  uint32_t factor, uint32_t bits, const uint8_t cs[97]);

/* Two-pass login. Client pass 1: SEC = TOKEN + pin A (+ permit), U = x A,
 * UT = x (A + A_T). Pass 2: V = -(x + y) SEC. Server pass 1: HID = A,
 * HTID = A + A_T. Server pass 2: DTA_OK when e(V, Q or pa) e(y A' + U', SS)
 * = 1 with A', U' = HTID, UT (date != 0) or HID, U; DTA_VERIFY_FAIL when
 * well-formed inputs do not verify (wrong PIN, token, permit or key). */
dta_error dta_mpin_client_1(uint8_t sec[97], uint8_t u[97], uint8_t *ut, const uint8_t *id,
                            size_t id_len, uint32_t date, const uint8_t x[48], uint32_t pin,
                            const uint8_t token[97], const uint8_t *permit);
dta_error dta_mpin_client_2(uint8_t v[97], const uint8_t x[48], const uint8_t y[48],
                            const uint8_t sec[97]);
dta_error dta_mpin_server_1(uint8_t hid[97], uint8_t *htid, const uint8_t *id, size_t id_len,
                            uint32_t date);
/* hid, u: or NULL when date != 0; pa: the DVS public key or NULL. */
DTA_MUST_CHECK dta_error dta_mpin_server_2(uint32_t date, const uint8_t *hid, const uint8_t *htid,
                                           const uint8_t y[48], const uint8_t ss[192], const uint8_t *u,
                                           const uint8_t *ut, const uint8_t v[97], const uint8_t *pa);

/* One-pass login: y = SHA-256(t || U' || msg) mod r (t: unix seconds, no
 * prefix when 0; U' = UT when date != 0, else U; msg may be empty). */
dta_error dta_mpin_challenge(uint8_t y[48], uint32_t t, const uint8_t u[97], const uint8_t *msg,
                             size_t msg_len);
dta_error dta_mpin_client(uint8_t v[97], uint8_t u[97], uint8_t *ut, uint8_t y[48],
                          const uint8_t *id, size_t id_len, uint32_t date, const uint8_t x[48],
                          uint32_t pin, const uint8_t token[97], const uint8_t *permit,
                          uint32_t t, const uint8_t *msg, size_t msg_len);
DTA_MUST_CHECK dta_error dta_mpin_server(const uint8_t *id, size_t id_len, uint32_t date, uint32_t t,
                                         const uint8_t ss[192], const uint8_t *u, const uint8_t *ut,
                                         const uint8_t v[97], const uint8_t *msg, size_t msg_len,
                                         const uint8_t *pa);
/* Key-escrow-less variant: Pa = z^-1 Q; the identity becomes ID || Pa. */
dta_error dta_mpin_dvs_keypair(uint8_t pa[192], const uint8_t z[48]);

/* PIN-error estimation after a failed login (not for DVS logins):
 * E = e(V, Q) e(y A' + U', SS) and F = e(y HID + U, Q) (hid and u always,
 * htid and ut when date != 0); then the entered PIN minus the registered one
 * from E = F^(pin1 - pin2) by baby-step giant-step over |error| < 10000:
 * DTA_OK with *err set, or DTA_VERIFY_FAIL when E is no such power of F
 * (a wrong token, permit or server secret rather than a wrong PIN). */
dta_error dta_mpin_pin_error_values(uint8_t e[576], uint8_t f[576], uint32_t date,
                                    const uint8_t hid[97], const uint8_t *htid, const uint8_t y[48],
                                    const uint8_t ss[192], const uint8_t u[97], const uint8_t *ut,
                                    const uint8_t v[97]);
DTA_MUST_CHECK dta_error dta_mpin_pin_error(int32_t *err, const uint8_t e[576], const uint8_t f[576]);

/* M-Pin Full. GT values are Milagro's: e(P, Q) in its tower and with its
 * exponent 3 (p^12 - 1)/r. Client: precompute e(TOKEN, Q~), e(A, Q~)
 * (Q~ = cp or Q), Z = r A (dta_mpin_client_secret with s = r). Server:
 * T = w A' (dta_mpin_g1_mul). Both: h = HASH_ALL(hid, UT or U, V, y, Z, T),
 * then the same 16-byte AES key. */
dta_error dta_mpin_pairing(uint8_t out[576], const uint8_t p[97], const uint8_t q[192]);
dta_error dta_mpin_precompute(uint8_t g1pre[576], uint8_t g2pre[576], const uint8_t token[97],
                              const uint8_t hid[48], const uint8_t *cp);
dta_error dta_mpin_hash_all(uint8_t h[48], const uint8_t hid[48], const uint8_t *u,
                            const uint8_t *ut, const uint8_t v[97], const uint8_t y[48],
                            const uint8_t z[97], const uint8_t t[97]);
dta_error dta_mpin_client_key(uint8_t key[16], const uint8_t g1pre[576],
                              const uint8_t g2pre[576], uint32_t pin, const uint8_t r[48],
                              const uint8_t x[48], const uint8_t h[48], const uint8_t t[97]);
dta_error dta_mpin_server_key(uint8_t key[16], const uint8_t z[97], const uint8_t ss[192],
                              const uint8_t w[48], const uint8_t h[48], const uint8_t hid[97],
                              const uint8_t *u, const uint8_t *ut);

/* ---- The envelope KEM: X25519, FIPS 202, ML-KEM-768, X-Wing -----------------
 * Byte strings here follow their own standards, not the big-endian rule
 * above: X25519 scalars and u-coordinates are little-endian (RFC 7748),
 * ML-KEM keys and ciphertexts are FIPS 203's encodings. Secrets (scalars,
 * seeds, decapsulation keys, m) are processed in constant time. */
#define DTA_X25519_BYTES 32U
#define DTA_MLKEM768_EK_BYTES 1184U
#define DTA_MLKEM768_DK_BYTES 2400U
#define DTA_MLKEM768_CT_BYTES 1088U
#define DTA_XWING_SEED_BYTES 32U
#define DTA_XWING_PUBLIC_KEY_BYTES 1216U
#define DTA_XWING_CIPHERTEXT_BYTES 1120U
#define DTA_XWING_ESEED_BYTES 64U

size_t dta_x25519_bytes(void);
size_t dta_shake_state_bytes(void);
size_t dta_mlkem768_encaps_key_bytes(void);
size_t dta_mlkem768_decaps_key_bytes(void);
size_t dta_mlkem768_ciphertext_bytes(void);
size_t dta_xwing_seed_bytes(void);
size_t dta_xwing_public_key_bytes(void);
size_t dta_xwing_ciphertext_bytes(void);
size_t dta_xwing_eseed_bytes(void);

/* RFC 7748 5: the scalar is clamped and u's top bit masked. DTA_INFINITY
 * when the result is all zero (u of small order), as X-Wing and HPKE refuse. */
DTA_MUST_CHECK dta_error dta_x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t u[32]);
/* X25519(scalar, 9): the public key. */
DTA_MUST_CHECK dta_error dta_x25519_base(uint8_t out[32], const uint8_t scalar[32]);

dta_error dta_sha3_256(uint8_t out[32], const uint8_t *msg, size_t len);
dta_error dta_shake128(uint8_t *out, size_t out_len, const uint8_t *msg, size_t len);
dta_error dta_shake256(uint8_t *out, size_t out_len, const uint8_t *msg, size_t len);
/* Incremental SHAKE: a state of dta_shake_state_bytes() bytes, absorbed
 * into, then squeezed from (the first squeeze pads); absorbing after a
 * squeeze or a state that is not one of these is DTA_BAD_ARGUMENT. */
dta_error dta_shake128_init(void *state);
dta_error dta_shake256_init(void *state);
dta_error dta_shake_absorb(void *state, const uint8_t *in, size_t len);
dta_error dta_shake_squeeze(void *state, uint8_t *out, size_t len);

/* FIPS 203 ML-KEM.KeyGen_internal(d, z): ek (1184 bytes), dk (2400 bytes). */
dta_error dta_mlkem768_keygen(uint8_t ek[1184], uint8_t dk[2400], const uint8_t d[32], const uint8_t z[32]);
/* ML-KEM.Encaps_internal(ek, m) after the 7.2 modulus check (DTA_BAD_ENCODING
 * when a coefficient of ek is not below q). */
DTA_MUST_CHECK dta_error dta_mlkem768_encaps(uint8_t ct[1088], uint8_t ss[32], const uint8_t ek[1184],
                                             const uint8_t m[32]);
/* ML-KEM.Decaps_internal(dk, c) after the 7.3 hash check (DTA_BAD_ENCODING
 * when H(ek) in dk does not match); a bad ciphertext gives the implicit
 * rejection key, not an error. */
DTA_MUST_CHECK dta_error dta_mlkem768_decaps(uint8_t ss[32], const uint8_t ct[1088], const uint8_t dk[2400]);

/* X-Wing (draft-connolly-cfrg-xwing-kem-06). The secret key is the 32-byte
 * seed; encapsulation takes the draft's 64-byte eseed (m || ek_X). */
DTA_MUST_CHECK dta_error dta_xwing_keygen(uint8_t pk[1216], const uint8_t seed[32]);
DTA_MUST_CHECK dta_error dta_xwing_encaps(uint8_t ct[1120], uint8_t ss[32], const uint8_t pk[1216],
                                          const uint8_t eseed[64]);
DTA_MUST_CHECK dta_error dta_xwing_decaps(uint8_t ss[32], const uint8_t ct[1120], const uint8_t seed[32]);

#endif
