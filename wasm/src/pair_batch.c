/* Products of many pairings with one final exponentiation; see pair_batch.h. */
#include "pair_batch.h"

void pair_batch_init(pair_batch *b)
{
    b->n = 0;
    b->f = FP12_ONE;
}

static void pair_batch_flush(pair_batch *b)
{
    fp12 m;
    if (b->n == 0) return;
    miller_loop_n(&m, b->p, b->q, b->n);
    fp12_mul(&b->f, &b->f, &m);
    b->n = 0;
}

void pair_batch_add(pair_batch *b, const g1 *p, const g2 *q)
{
    g1_to_affine(&b->p[b->n], p);
    g2_to_affine(&b->q[b->n], q);
    if (++b->n == PAIR_CHUNK) pair_batch_flush(b);
}

void pair_batch_result(fp12 *r, pair_batch *b)
{
    pair_batch_flush(b);
    final_exponentiation(r, &b->f);
}

limb_t pair_batch_is_one(pair_batch *b)
{
    fp12 r;
    pair_batch_result(&r, b);
    return fp12_is_one(&r);
}
