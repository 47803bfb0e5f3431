#!/usr/bin/env python3
"""Generates wasm/src/field_consts.h: the BLS12-381 moduli and every derived
Montgomery-form constant the field layers use, computed here with Python big
integers so that none of them is typed in by hand.

    python3 wasm/gen/field_consts.py > wasm/src/field_consts.h

Sources: p and r from draft-irtf-cfrg-pairing-friendly-curves-11 section 4.2.1;
the tower Fp2 = Fp[u]/(u^2+1), Fp6 = Fp2[v]/(v^3-(1+u)), Fp12 = Fp6[w]/(w^2-v).
"""

P = 0x1A0111EA397FE69A4B1BA7B6434BACD764774B84F38512BF6730D2A0F6B0F6241EABFFFEB153FFFFB9FEFFFFFFFFAAAB
R = 0x73EDA753299D7D483339D80809A1D80553BDA402FFFE5BFEFFFFFFFF00000001


def limbs(x, n):
    assert 0 <= x < 1 << (32 * n)
    return [(x >> (32 * i)) & 0xFFFFFFFF for i in range(n)]


def c_words(x, n):
    """n 32-bit little-endian words, for integers the field code reads bit by bit."""
    ls = ["0x%08x" % v for v in limbs(x, n)]
    return "{\n    " + ",\n    ".join(", ".join(ls[i:i + 6]) for i in range(0, n, 6)) + "\n}"


FP_LIMBS, FP_BITS = 14, 29        # Fp: fourteen unsaturated 29-bit limbs (fp.h)
FP_MONT = 1 << (FP_LIMBS * FP_BITS)


def c_fp29(x, n=FP_LIMBS):
    """n 29-bit little-endian limbs of the integer x, as an fp (or fp_wide) initializer."""
    assert 0 <= x < 1 << (FP_BITS * n)
    ls = ["0x%08x" % ((x >> (FP_BITS * i)) & ((1 << FP_BITS) - 1)) for i in range(n)]
    rows = [", ".join(ls[i:i + 7]) for i in range(0, n, 7)]
    return "{{\n    " + ",\n    ".join(rows) + "\n}}"


def c_limbs(x, n):
    ls = ["0x%08x" % v for v in limbs(x, n)]
    rows = [", ".join(ls[i:i + 6]) for i in range(0, n, 6)]
    return "{{\n    " + ",\n    ".join(rows) + "\n}}"


# Fp2 arithmetic on pairs, only to derive the Frobenius coefficients.
def f2_mul(a, b):
    return ((a[0] * b[0] - a[1] * b[1]) % P, (a[0] * b[1] + a[1] * b[0]) % P)


def f2_pow(a, e):
    r = (1, 0)
    while e:
        if e & 1:
            r = f2_mul(r, a)
        a = f2_mul(a, a)
        e >>= 1
    return r


def emit_safegcd(out, name, m):
    """Constants of the Bernstein-Yang inversion (safegcd.h): m in signed
    30-bit limbs, m^-1 mod 2^30, and the number of 30-divstep batches.
    ePrint 2019/266 Theorem 11.2: with f = m, 0 <= g < m we have
    f^2 + 4 g^2 <= 5 2^(2d) for d = bitlen(m), and floor((49 d + 57)/17)
    divsteps (d >= 46) reach g = 0."""
    d = m.bit_length()
    assert d >= 46
    steps = (49 * d + 57) // 17
    batches = -(-steps // 30)
    # |d|, |e| grow by at most m per batch: they stay below (batches + 1) m.
    k = 1
    while k < batches + 1:
        k *= 2
    limbs = 1
    while 30 * limbs - 1 < (2 * k * m).bit_length():   # room for t < 2 K m plus a sign bit
        limbs += 1
    m30 = [(m >> (30 * i)) & (2**30 - 1) for i in range(limbs)]
    out.append("/* safegcd: %d divsteps (ePrint 2019/266 Thm 11.2, d = %d) in %d batches of 30 */" % (steps, d, batches))
    out.append("#define %s_SG_LIMBS %d" % (name, limbs))
    out.append("#define %s_SG_BATCHES %d" % (name, batches))
    out.append("#define %s_SG_BOUND %d  /* power of two above batches + 1: |d| < BOUND m */" % (name, k))
    out.append("#define %s_SG_MINV30 0x%08xU" % (name, pow(m, -1, 2**30)))
    out.append("static const int32_t %s_SG_M30[%d] = {%s};" % (name, limbs, ", ".join("0x%08x" % v for v in m30)))


def emit_field(out, name, m, n):
    """Montgomery constants for modulus m with n 32-bit limbs (R = 2^(32n))."""
    rr = 1 << (32 * n)
    chunk = 32 * n - 8                       # bits per from_bytes_reduce chunk (< m)
    assert (1 << chunk) < m
    out.append("/* %s: modulus, R mod m (ONE), R^2 mod m, -m^-1 mod 2^32 */" % name)
    out.append("static const %s %s_MODULUS = %s;" % (name.lower(), name, c_limbs(m, n)))
    out.append("#define %s_ONE_INIT %s" % (name, c_limbs(rr % m, n).replace("\n", " \\\n")))
    out.append("static const %s %s_R2 = %s;" % (name.lower(), name, c_limbs(rr * rr % m, n)))
    out.append("#define %s_N0 0x%08xU" % (name, (-pow(m, -1, 1 << 32)) % (1 << 32)))
    out.append("/* 2^%d in Montgomery form: one step of the chunked byte reduction */" % chunk)
    out.append("#define %s_CHUNK_BYTES %dU" % (name, chunk // 8))
    out.append("static const %s %s_CHUNK_SHIFT = %s;" % (name.lower(), name, c_limbs((1 << chunk) * rr % m, n)))
    out.append("/* R^3 mod m: turns the integer inverse of a Montgomery value back into Montgomery form */")
    out.append("static const %s %s_R3 = %s;" % (name.lower(), name, c_limbs(rr ** 3 % m, n)))
    emit_safegcd(out, name, m)


def emit_fp(out):
    """Fp constants for fp.c: 14 x 29-bit limbs, Montgomery radix R = 2^406;
    the integers read as bits or compared word by word as 32-bit words."""
    m, rr = P, FP_MONT
    chunk = 376                              # bits per from_bytes_reduce chunk (< p)
    assert (1 << chunk) < m and m % 4 == 3
    out.append("/* FP: modulus, 2p (the lazy bound), R mod p (ONE), R^2 mod p, -p^-1 mod 2^29; R = 2^%d */"
               % (FP_LIMBS * FP_BITS))
    out.append("static const fp FP_MODULUS = %s;" % c_fp29(m))
    out.append("static const fp FP_MODULUS_X2 = %s;" % c_fp29(2 * m))
    out.append("#define FP_ONE_INIT %s" % c_fp29(rr % m).replace("\n", " \\\n"))
    out.append("static const fp FP_R2 = %s;" % c_fp29(rr * rr % m))
    out.append("#define FP_N0 0x%08xU" % ((-pow(m, -1, 1 << FP_BITS)) % (1 << FP_BITS)))
    out.append("/* -p^-1 mod 2^58: fp_mul takes the reduction's digits two at a time */")
    out.append("#define FP_N0_58 0x%015xULL" % ((-pow(m, -1, 1 << (2 * FP_BITS))) % (1 << (2 * FP_BITS))))
    out.append("/* 2^%d in Montgomery form: one step of the chunked byte reduction */" % chunk)
    out.append("#define FP_CHUNK_BYTES %dU" % (chunk // 8))
    out.append("static const fp FP_CHUNK_SHIFT = %s;" % c_fp29((1 << chunk) * rr % m))
    out.append("/* R^3 mod p: turns the integer inverse of a Montgomery value back into Montgomery form */")
    out.append("static const fp FP_R3 = %s;" % c_fp29(rr ** 3 % m))
    emit_safegcd(out, "FP", m)
    out.append("/* p as twelve 32-bit words: the range check of a decoded value */")
    out.append("static const limb_t FP_MODULUS_WORDS[12] = %s;" % c_words(m, 12))
    out.append("/* (p-3)/4: sqrt(a) = a * a^((p-3)/4) since p = 3 mod 4 */")
    out.append("static const limb_t FP_P_MINUS_3_DIV_4[12] = %s;" % c_words((m - 3) // 4, 12))
    # fp_add/fp_sub estimate the quotient by p from the top limb x (value >> 377, x < 64):
    # floor(x 2^377 / p) as (x MUL) >> SHIFT, exact for every such x, and 3 at most for x <= 52 (t < 4p).
    top = FP_BITS * (FP_LIMBS - 1)
    want = [x * 2**top // m for x in range(64)]
    shift = next(s for s in range(1, 32) if all((x * ((2**s * 2**top) // m + 1)) >> s == want[x] for x in range(64))
                 or all((x * ((2**s * 2**top) // m)) >> s == want[x] for x in range(64)))
    mul = next(k for k in ((2**shift * 2**top) // m, (2**shift * 2**top) // m + 1)
               if all((x * k) >> shift == want[x] for x in range(64)))
    assert want[52] <= 3 and 3 * 2**top < m and 4 * m < 53 * 2**top
    out.append("/* floor(x 2^%d / p) = (x MUL) >> SHIFT for x < 64: the quotient estimate of fp_add/fp_sub */" % top)
    out.append("#define FP_TOP_QUOTIENT_MUL %dU" % mul)
    out.append("#define FP_TOP_QUOTIENT_SHIFT %d" % shift)
    out.append("/* (p+1)/2: a canonical a is lexicographically largest iff a >= (p+1)/2 */")
    out.append("static const limb_t FP_P_PLUS_1_DIV_2[12] = %s;" % c_words((m + 1) // 2, 12))


def main():
    out = ["/* Generated by wasm/gen/field_consts.py: do not edit. */",
           "#ifndef DTA_FIELD_CONSTS_H", "#define DTA_FIELD_CONSTS_H",
           '#include "fp2.h"', '#include "fr.h"', ""]
    emit_fp(out)
    emit_field(out, "FR", R, 8)
    out.append("")
    rr = FP_MONT
    xi = (1, 1)
    out.append("/* Frobenius coefficients in Montgomery form, index k-1 for a^(p^k):")
    out.append(" * FROB_V[k] = (1+u)^((p^k-1)/3), FROB_V2[k] = its square, FROB_W[k] = (1+u)^((p^k-1)/6). */")
    for label, div, sq in (("FROB_V", 3, False), ("FROB_V2", 3, True), ("FROB_W", 6, False)):
        vals = []
        for k in (1, 2, 3):
            e = (P ** k - 1)
            assert e % div == 0
            g = f2_pow(xi, e // div)
            if sq:
                g = f2_mul(g, g)
            vals.append("    {%s, %s}" % (c_fp29(g[0] * rr % P), c_fp29(g[1] * rr % P)))
        out.append("static const fp2 %s[3] = {\n%s\n};" % (label, ",\n".join(vals)))
    out += ["", "#endif", ""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
