/*
 * Batch verification of n min-pk signatures (pk_i, msg_i, sig_i), and
 * FastAggregateVerify over public keys validated once.
 *
 * Batch: with random nonzero 64-bit r_i from the caller's CSPRNG,
 *   prod e(r_i pk_i, H(msg_i)) * e(-G1, sum r_i sig_i) == 1
 * holds for valid triples, and for a set with an invalid one only with
 * probability 2^-64 over the r_i: n + 1 Miller loops and one final
 * exponentiation instead of 2n and n. When the batch fails, the failing
 * triples are found by bisection over the same decoded, multiplied and
 * hashed values (kept in the caller's scratch): k bad signatures among n
 * cost about 2k log2(n) smaller products, where individual checks would
 * cost n final exponentiations; the common failure is one forgery in a
 * batch.
 *
 * Validated keys: dta_bls_public_key decodes and KeyValidates a key once
 * and hands out the core's internal affine form; the _validated entry
 * point only checks that each block is a point of the curve (two field
 * multiplications), not the subgroup, so it is as fast as a library with
 * pre-decoded keys. The bindings keep these blocks in a handle that
 * callers cannot construct.
 */
#include "bls.h"
#include "encoding.h"
#include "hash_to_curve.h"
#include "pairing.h"

#define BLS_BATCH_MAX 65536U

/* The caller's scratch, split into three arrays so that the Miller loop
 * runs over contiguous (r_i pk_i, H_i) pairs of any sub-range. */
typedef struct {
    g1_affine *rpk;               /* r_i pk_i */
    g2_affine *h;                 /* H(msg_i) */
    g2_affine *rsig;              /* r_i sig_i */
} bls_batch;

size_t bls_batch_scratch_bytes(size_t n)
{
    return n > BLS_BATCH_MAX ? 0 : n * (sizeof(g1_affine) + 2 * sizeof(g2_affine));
}

static uint64_t load_u64_be(const uint8_t b[8])
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | b[i];
    return v;
}

/* A block from bls_public_key, with the cheap guard: a finite point of the
 * curve (a corrupted block, not a validation). */
static dta_error load_validated_g1(g1_affine *a, const uint8_t *key)
{
    memcpy(a, key, sizeof *a);
    if (g1_affine_is_inf(a)) return DTA_INFINITY;
    if (!g1_affine_on_curve(a)) return DTA_NOT_ON_CURVE;
    return DTA_OK;
}

/* The key of a batch item, decoded and KeyValidated, or a validated block. */
static dta_error batch_key(g1 *p, const uint8_t *pk, int validated)
{
    g1_affine a;
    dta_error e;
    if (!validated) return parse_pk_g1(p, pk, 48);
    if ((e = load_validated_g1(&a, pk)) == DTA_OK) g1_from_affine(p, &a);
    return e;
}

/* Item i: the key (KeyValidated here, or a validated block), the signature
 * decoded (subgroup-checked), both multiplied by r, the message hashed. */
static dta_error bls_batch_item(bls_batch *b, size_t i, const uint8_t *pk, int validated, const uint8_t sig[96],
                                const uint8_t *msg, size_t msg_len, uint64_t r,
                                const uint8_t *dst, size_t dst_len)
{
    g1 p;
    g2 q;
    dta_error e = batch_key(&p, pk, validated);
    if (e == DTA_OK) e = g2_decode(&q, sig, 96);
    if (e != DTA_OK) return e;
    if (r == 0) r = 1;            /* a zero r_i would drop the triple from the check */
    g1_mult_by_u64_vartime(&p, &p, r);
    g2_mult_by_u64_vartime(&q, &q, r);
    g1_to_affine(&b->rpk[i], &p);
    g2_to_affine(&b->rsig[i], &q);
    hash_to_g2(&q, msg, msg_len, dst, dst_len);
    g2_to_affine(&b->h[i], &q);
    return DTA_OK;
}

/* The randomized check over items [lo, hi). Not inlined: the bisection
 * recurses, and its frames stay small while this one holds the GT values. */
__attribute__((noinline)) static limb_t bls_batch_range_ok(const bls_batch *b, size_t lo, size_t hi)
{
    fp12 f, g;
    g1 neg_g;
    g1_affine neg_ga;
    g2 acc = G2_INFINITY;
    g2_affine acc_a;
    for (size_t i = lo; i < hi; i++) g2_add_affine(&acc, &acc, &b->rsig[i]);
    g1_neg(&neg_g, &G1_GENERATOR);
    g1_to_affine(&neg_ga, &neg_g);
    g2_to_affine(&acc_a, &acc);
    miller_loop_n(&f, b->rpk + lo, b->h + lo, hi - lo);
    miller_loop_n(&g, &neg_ga, &acc_a, 1);
    fp12_mul(&f, &f, &g);
    final_exponentiation(&f, &f);
    return fp12_is_one(&f);
}

/* Marks valid[lo..hi); known_bad: the range is known to fail (its sibling
 * passed while their parent failed), so its own check is skipped. */
static void bls_batch_bisect(const bls_batch *b, uint8_t *valid, size_t lo, size_t hi, int known_bad)
{
    size_t mid = lo + (hi - lo) / 2;
    int left_ok = 1;
    if (!known_bad && bls_batch_range_ok(b, lo, hi)) {
        memset(valid + lo, 1, hi - lo);
        return;
    }
    if (hi - lo == 1) {
        valid[lo] = 0;
        return;
    }
    bls_batch_bisect(b, valid, lo, mid, 0);
    for (size_t i = lo; i < mid; i++) left_ok &= valid[i];
    bls_batch_bisect(b, valid, mid, hi, left_ok);
}

dta_error bls_verify_batch(uint8_t *valid, const uint8_t *pks, int validated, const uint8_t *msgs,
                           const uint32_t *msg_lens, const uint8_t *sigs, size_t n, const uint8_t *randomness,
                           const uint8_t *dst, size_t dst_len, void *scratch, size_t scratch_len)
{
    size_t key_len = validated ? sizeof(g1_affine) : 48;
    bls_batch b;
    if (dst_len == 0) return DTA_BAD_ARGUMENT;                  /* RFC 9380 3.1 */
    if (n == 0 || n > BLS_BATCH_MAX) return DTA_BAD_ARGUMENT;
    if (scratch_len < bls_batch_scratch_bytes(n) || ((size_t)scratch & 15) != 0) return DTA_BAD_ARGUMENT;
    b.rpk = scratch;
    b.h = (g2_affine *)(b.rpk + n);
    b.rsig = b.h + n;
    for (size_t i = 0; i < n; i++) {
        dta_error e = bls_batch_item(&b, i, pks + key_len * i, validated, sigs + 96 * i, msgs, msg_lens[i],
                                     load_u64_be(randomness + 8 * i), dst, dst_len);
        if (e != DTA_OK) return e;
        msgs += msg_lens[i];
    }
    bls_batch_bisect(&b, valid, 0, n, 0);
    for (size_t i = 0; i < n; i++) {
        if (!valid[i]) return DTA_VERIFY_FAIL;
    }
    return DTA_OK;
}

/* ---- Validated public keys ------------------------------------------------------ */

dta_error bls_public_key(uint8_t out[96], const uint8_t *pk, size_t pk_len)
{
    g1 p;
    g1_affine a;
    dta_error e = parse_pk_g1(&p, pk, pk_len);
    if (e != DTA_OK) return e;
    g1_to_affine(&a, &p);
    memcpy(out, &a, sizeof a);
    return DTA_OK;
}

/* Sum of n blocks from bls_public_key. */
static dta_error sum_validated_g1(g1 *acc, const uint8_t *keys, size_t n)
{
    g1_affine a;
    *acc = G1_INFINITY;
    for (size_t i = 0; i < n; i++) {
        dta_error e = load_validated_g1(&a, keys + sizeof a * i);
        if (e != DTA_OK) return e;
        g1_add_affine(acc, acc, &a);
    }
    return DTA_OK;
}

dta_error bls_fast_aggregate_verify_validated(const uint8_t *keys, size_t n, const uint8_t *msg, size_t msg_len,
                                              const uint8_t sig[96], const uint8_t *dst, size_t dst_len)
{
    g1 apk;
    dta_error e;
    if (dst_len == 0 || n == 0) return DTA_BAD_ARGUMENT;
    if ((e = sum_validated_g1(&apk, keys, n)) != DTA_OK) return e;
    if (g1_is_inf(&apk)) return DTA_INFINITY;                   /* as bls_fast_aggregate_verify */
    return core_verify_g2(&apk, msg, msg_len, sig, dst, dst_len);
}
