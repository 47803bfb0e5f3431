/*
 * Test-only hooks into Fp, built by `bash wasm/build.sh --field-test OUT`
 * into a separate module (never into wasm/dta.wasm): the differential test
 * test/core/fp-field.test.ts drives the base field through them and checks
 * every result against BigInt arithmetic.
 *
 * An operand is the internal representation itself, given as a big-endian
 * 48-byte integer below 2p (the lazy range of fp.h): the hooks load it into
 * 29-bit limbs as is, so the test can hand in p, p + 1 or 2p - 1 as well as
 * their canonical twins. The result comes back twice: canonical bytes, and
 * the raw limbs, so the test can check the [0, 2p) and 29-bit invariants.
 */
#include "../src/lib.c"

enum { OP_ADD, OP_SUB, OP_MUL, OP_SQR, OP_INV, OP_SQRT, OP_NEG, OP_HALF, OP_DBL,
       OP_MUL_UNREDUCED, OP_EQ, OP_IS_ZERO, OP_FP2_MUL, OP_FP2_SQR };

static uint8_t hook_io[4 * 48];                  /* a, b in; canonical r, then flag */
static limb_t hook_raw[2 * FP_LIMBS];            /* r's (and r1's) limbs as computed */

static void hook_load(fp *r, const uint8_t in[48])
{
    limb_t w[12];
    limbs_from_be(w, in, 48, 12);
    fp_words_to_limbs(r->l, w);
}

static void hook_store(uint8_t out[48], limb_t *raw, const fp *a)
{
    limb_t w[12];
    fp c;
    for (int i = 0; i < FP_LIMBS; i++) raw[i] = a->l[i];
    fp_canonical(&c, a);
    fp_limbs_to_words(w, c.l);
    limbs_to_be(out, w, 12);
}

__attribute__((export_name("hook_io"))) uint8_t *hook_io_ptr(void) { return hook_io; }
__attribute__((export_name("hook_raw"))) limb_t *hook_raw_ptr(void) { return hook_raw; }

/* Fp2 operands are (a, b) and (c, d) read from the four 48-byte slots. */
static void hook_fp2(int op)
{
    fp2 x, y, r;
    hook_load(&x.c0, hook_io);
    hook_load(&x.c1, hook_io + 48);
    hook_load(&y.c0, hook_io + 96);
    hook_load(&y.c1, hook_io + 144);
    if (op == OP_FP2_MUL) fp2_mul(&r, &x, &y);
    else fp2_sqr(&r, &x);
    hook_store(hook_io, hook_raw, &r.c0);
    hook_store(hook_io + 48, hook_raw + FP_LIMBS, &r.c1);
}

/* Runs op on a (and b); returns the op's flag (sqrt, eq, is_zero) or 0. */
__attribute__((export_name("hook_fp"))) limb_t hook_fp(int op)
{
    fp a, b, r = FP_ZERO;
    limb_t flag = 0;
    if (op == OP_FP2_MUL || op == OP_FP2_SQR) {
        hook_fp2(op);
        return 0;
    }
    hook_load(&a, hook_io);
    hook_load(&b, hook_io + 48);
    switch (op) {
    case OP_ADD: fp_add(&r, &a, &b); break;
    case OP_SUB: fp_sub(&r, &a, &b); break;
    case OP_MUL: fp_mul(&r, &a, &b); break;
    case OP_SQR: fp_sqr(&r, &a); break;
    case OP_INV: fp_inv(&r, &a); break;
    case OP_SQRT: flag = fp_sqrt(&r, &a); break;
    case OP_NEG: fp_neg(&r, &a); break;
    case OP_HALF: fp_half(&r, &a); break;
    case OP_DBL: fp_dbl(&r, &a); break;
    case OP_MUL_UNREDUCED:                       /* (a + b)(a - b + 2p): both factors up to 4p */
        fp_add_unreduced(&r, &a, &b);
        fp_sub_unreduced(&b, &a, &b);
        fp_mul(&r, &r, &b);
        break;
    case OP_EQ: flag = fp_eq(&a, &b); break;
    case OP_IS_ZERO: flag = fp_is_zero(&a); break;
    default: return 0xffffffffU;
    }
    hook_store(hook_io, hook_raw, &r);
    return flag;
}

/* Pointer-level calls for the base-field bench rows (bench/field.ts): one
 * operation per call, operands in this module's memory, like mcl's mclBnFp_mul. */
static fp hook_scratch[3];
__attribute__((export_name("hook_scratch"))) fp *hook_scratch_ptr(void) { return hook_scratch; }
__attribute__((export_name("hook_set"))) void hook_set(fp *r, uint32_t v) { fp_from_u32(r, v); }
__attribute__((export_name("hook_mul"))) void hook_mul(fp *r, const fp *a, const fp *b) { fp_mul(r, a, b); }
__attribute__((export_name("hook_sqr"))) void hook_sqr(fp *r, const fp *a) { fp_sqr(r, a); }
