/*
 * A running product of pairings of any length: Miller loops are taken in
 * chunks so that any number of pairs fits the fixed wasm stack, and one
 * final exponentiation covers them all.
 */
#ifndef DTA_PAIR_BATCH_H
#define DTA_PAIR_BATCH_H
#include "pairing.h"

#define PAIR_CHUNK 8

typedef struct {
    g1_affine p[PAIR_CHUNK];
    g2_affine q[PAIR_CHUNK];
    size_t n;
    fp12 f;           /* product of the Miller loops flushed so far */
} pair_batch;

void pair_batch_init(pair_batch *b);
void pair_batch_add(pair_batch *b, const g1 *p, const g2 *q);
void pair_batch_result(fp12 *r, pair_batch *b);      /* the reduced product */
DTA_MUST_CHECK limb_t pair_batch_is_one(pair_batch *b);

#endif
