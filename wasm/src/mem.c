/*
 * The few memory routines a freestanding build needs. Clang lowers struct
 * copies to memcpy/memset calls, and secrets must be wiped in a way the
 * optimiser cannot elide.
 */
#include "types.h"

#ifdef __wasm__
void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;
    if (d < s) {
        while (n--) *d++ = *s++;
    } else {
        while (n--) d[n] = s[n];
    }
    return dst;
}

/* One memory.fill (bulk memory, -mbulk-memory): the wasm backend lowers the
 * builtin to that instruction, never to a call back here. A byte loop took
 * ~45 us to zero the 64 KiB stack after every call (wipe_stack); this
 * takes ~2 us. */
void *memset(void *dst, int c, size_t n)
{
    __builtin_memset(dst, c, n);
    return dst;
}
#endif

#ifdef __wasm__
/* The linker puts the stack between the static data and __heap_base,
 * growing down from __heap_base. */
extern uint8_t __data_end[];

/* The stack pointer, read from the wasm global: this function keeps no
 * local in linear memory, so it has no frame there and the value is its
 * caller's stack pointer. */
static inline uint8_t *stack_pointer(void)
{
    uint8_t *sp;
    __asm__ volatile(".globaltype __stack_pointer, i32\n\tglobal.get __stack_pointer\n\tlocal.set %0" : "=r"(sp));
    return sp;
}

/* Zero the whole stack below the caller's frame, up to the current stack
 * pointer: secret scalars, digits and intermediate points of earlier
 * calls may still lie there. Called from JS (dta_wipe_stack) the stack is
 * empty, so that is every byte from __data_end to __heap_base. Runs in
 * about 1.5 us for the 64 KiB stack (one memory.fill). */
__attribute__((noinline)) void wipe_stack(void)
{
    uint8_t *end = stack_pointer();
    memset(__data_end, 0, (size_t)(end - __data_end));
    __asm__ volatile("" : : "r"(__data_end) : "memory");
}
#else
void wipe_stack(void) {}
#endif

void secure_zero(void *p, size_t n)
{
    volatile uint8_t *v = p;
    while (n--) *v++ = 0;
    __asm__ volatile("" : : "r"(p) : "memory");
}

limb_t ct_memneq(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    limb_t d = 0;
    for (size_t i = 0; i < n; i++) d |= (limb_t)(x[i] ^ y[i]);
    return launder(d);
}
