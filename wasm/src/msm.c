/*
 * Multi-scalar multiplication sum s[i] P[i] for public inputs: Pippenger's
 * bucket method with Booth's signed digits, so a c-bit window needs only
 * 2^(c-1) buckets (a negative digit adds -P[i]). The buckets live in the
 * caller's scratch (g1_msm_scratch_size), nothing on the stack grows with n.
 * Bernstein, Doumen, Lange, Oosterwijk, "Faster batch forgery identification",
 * https://eprint.iacr.org/2012/549 section 4 (the bucket method).
 */
#include "g1.h"
#include "g2.h"
#include "recode.h"

#define MSM_SCALAR_BITS 256                       /* scalars < r < 2^255: top Booth bit is 0 */
#define MSM_MAX_WINDOW 16

/* Booth windows of c bits that cover 256 bits with the top bit to spare. */
static int msm_windows(int c) { return (MSM_SCALAR_BITS + c - 1) / c; }

/*
 * The window width minimising the additions: every window costs n bucket
 * additions plus about 2 * 2^(c-1) to sum the buckets. Depends on n only.
 */
static int msm_window_bits(size_t n)
{
    int best = 1;
    uint64_t best_cost = ~(uint64_t)0;
    for (int c = 1; c <= MSM_MAX_WINDOW; c++) {
        uint64_t cost = (uint64_t)msm_windows(c) * ((uint64_t)n + ((uint64_t)1 << c));
        if (cost < best_cost) {
            best_cost = cost;
            best = c;
        }
    }
    return best;
}

static size_t msm_buckets(size_t n) { return (size_t)1 << (msm_window_bits(n) - 1); }

/* ---- G1 ---------------------------------------------------------------------- */

size_t g1_msm_scratch_size(size_t n) { return msm_buckets(n) * sizeof(g1); }

/* w = sum over i of digit_j(s[i]) P[i], through buckets: sum_b b B_b = sum of running sums. */
static void g1_msm_window(g1 *w, g1 *bucket, size_t nb, const g1_affine *p, const scalar *s,
                          size_t n, int j, int c)
{
    g1 run = G1_INFINITY, sum = G1_INFINITY;
    g1_affine q;
    limb_t neg, d;
    for (size_t b = 0; b < nb; b++) bucket[b] = G1_INFINITY;
    for (size_t i = 0; i < n; i++) {
        d = recode_booth(&neg, s[i].l, FR_LIMBS, j, c);
        if (d == 0) continue;
        q.x = p[i].x;
        q.y = p[i].y;
        if (neg) fp_neg(&q.y, &q.y);
        g1_add_affine(&bucket[d - 1], &bucket[d - 1], &q);
    }
    for (size_t b = nb; b-- > 0;) {
        g1_add(&run, &run, &bucket[b]);           /* run = B_nb + ... + B_b */
        g1_add(&sum, &sum, &run);
    }
    *w = sum;
}

void g1_msm_vartime(g1 *r, const g1_affine *p, const scalar *s, size_t n, void *scratch)
{
    int c = msm_window_bits(n), windows = msm_windows(c);
    size_t nb = msm_buckets(n);
    g1 acc = G1_INFINITY, w;
    for (int j = windows - 1; j >= 0; j--) {
        for (int i = 0; i < c && j != windows - 1; i++) g1_dbl(&acc, &acc);
        g1_msm_window(&w, (g1 *)scratch, nb, p, s, n, j, c);
        g1_add(&acc, &acc, &w);
    }
    *r = acc;
}

/* ---- G2 ---------------------------------------------------------------------- */

size_t g2_msm_scratch_size(size_t n) { return msm_buckets(n) * sizeof(g2); }

static void g2_msm_window(g2 *w, g2 *bucket, size_t nb, const g2_affine *p, const scalar *s,
                          size_t n, int j, int c)
{
    g2 run = G2_INFINITY, sum = G2_INFINITY;
    g2_affine q;
    limb_t neg, d;
    for (size_t b = 0; b < nb; b++) bucket[b] = G2_INFINITY;
    for (size_t i = 0; i < n; i++) {
        d = recode_booth(&neg, s[i].l, FR_LIMBS, j, c);
        if (d == 0) continue;
        q.x = p[i].x;
        q.y = p[i].y;
        if (neg) fp2_neg(&q.y, &q.y);
        g2_add_affine(&bucket[d - 1], &bucket[d - 1], &q);
    }
    for (size_t b = nb; b-- > 0;) {
        g2_add(&run, &run, &bucket[b]);
        g2_add(&sum, &sum, &run);
    }
    *w = sum;
}

void g2_msm_vartime(g2 *r, const g2_affine *p, const scalar *s, size_t n, void *scratch)
{
    int c = msm_window_bits(n), windows = msm_windows(c);
    size_t nb = msm_buckets(n);
    g2 acc = G2_INFINITY, w;
    for (int j = windows - 1; j >= 0; j--) {
        for (int i = 0; i < c && j != windows - 1; i++) g2_dbl(&acc, &acc);
        g2_msm_window(&w, (g2 *)scratch, nb, p, s, n, j, c);
        g2_add(&acc, &acc, &w);
    }
    *r = acc;
}
