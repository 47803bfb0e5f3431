/*
 * Unity build: one translation unit, so every internal function can stay
 * static-able and inline across layers, and only the DTA_EXPORT symbols of
 * exports.c escape the module. Layers in dependency order.
 */
#include "mem.c"
#include "sha256.c"
#include "fp.c"
#include "fr.c"
#include "fp2.c"
#include "fp6.c"
#include "fp12.c"
#include "g1.c"
#include "g2.c"
#include "msm.c"
#include "encoding.c"
#include "pairing.c"
#include "pair_batch.c"
#include "hash_to_curve.c"
#include "map_to_g1.c"
#include "map_to_g2.c"
#include "bls.c"
#include "shamir.c"
#include "self_test.c"
#include "mpin.c"
#include "exports_mpin.c"
#include "exports.c"
