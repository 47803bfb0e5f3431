/*
 * Freestanding integer types and the constant-time toolbox every layer uses.
 * No libc: the core is built with -nostdlib for wasm32 (and natively for tests).
 */
#ifndef DTA_TYPES_H
#define DTA_TYPES_H

/* uint8_t, uint32_t, int32_t, size_t, dta_error and DTA_MUST_CHECK come
 * from the public header, which defines them for itself; the wider types
 * only the layers need are here. */
#include "../include/dta.h"

typedef __UINT64_TYPE__ uint64_t;
typedef __INT64_TYPE__  int64_t;

/* A limb is 32 bits: wasm32 has a native 64-bit multiply but no 64x64->128,
 * so 32x32->64 products accumulated in uint64_t are the fast path. */
typedef uint32_t limb_t;
#define LIMB_BITS 32

/* Keep only the symbols of include/dta.h visible in the module. */
#define DTA_EXPORT(name) __attribute__((export_name(#name), visibility("default")))

/* Stops the compiler from turning mask arithmetic back into branches. */
static inline limb_t launder(limb_t x)
{
    __asm__ volatile("" : "+r"(x));
    return x;
}

/* All-ones if x == 0, else zero; no branch on x. */
static inline limb_t ct_is_zero_mask(limb_t x)
{
    return launder((limb_t)0 - (limb_t)(((uint64_t)x - 1) >> 63));
}

/* 1 if x == 0 else 0, for flags. */
static inline limb_t ct_is_zero(limb_t x)
{
    return (limb_t)(((uint64_t)x - 1) >> 63);
}

/* All-ones from a 0/1 flag. */
static inline limb_t ct_mask(limb_t bit)
{
    return launder((limb_t)0 - (bit & 1));
}

/* Secret-safe helpers from mem.c: the compiler may call memcpy/memset,
 * and secrets are wiped with a store the optimiser cannot drop. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void secure_zero(void *p, size_t n);
void wipe_stack(void);
/* 0 if equal, nonzero otherwise; time depends on n only. */
limb_t ct_memneq(const void *a, const void *b, size_t n);

#endif
