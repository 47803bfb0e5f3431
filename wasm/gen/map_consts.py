#!/usr/bin/env python3
"""Generates the constants of the RFC 9380 maps to BLS12-381 G1 and G2:

    python3 wasm/gen/map_consts.py g1 > wasm/src/iso_g1_consts.h
    python3 wasm/gen/map_consts.py g2 > wasm/src/iso_g2_consts.h

Spec data (typed in from RFC 9380): the SSWU curves E1', E2' and their Z
(section 8.8.1, 8.8.2) and the isogeny map coefficients k_(i,j) (appendix
E.2, E.3). Everything else (Montgomery form, sqrt(-Z), the root sqrt(-N(Z))
that the Fp2 sqrt_ratio takes through the norm) is derived here,
and the script checks that each isogeny really maps E' onto E before printing.
"""
import random
import sys

P = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab
MONT = 1 << 406  # fp.h: 14 x 29-bit limbs, R = 2^406

# ---- RFC 9380 8.8.1 and appendix E.2 (G1) -------------------------------
G1_A = 0x144698a3b8e9433d693a02c96d4982b0ea985383ee66a8d8e8981aefd881ac98936f8da0e0f97f5cf428082d584c1d
G1_B = 0x12e2908d11688030018b12e8753eee3b2016c1f0f24f4070a0b9c14fcef35ef55a23215a316ceaa5d1cc48e98e172be0
G1_Z = 11
G1_XNUM = [  # k_(1,0) .. k_(1,11)
    0x11a05f2b1e833340b809101dd99815856b303e88a2d7005ff2627b56cdb4e2c85610c2d5f2e62d6eaeac1662734649b7,
    0x17294ed3e943ab2f0588bab22147a81c7c17e75b2f6a8417f565e33c70d1e86b4838f2a6f318c356e834eef1b3cb83bb,
    0xd54005db97678ec1d1048c5d10a9a1bce032473295983e56878e501ec68e25c958c3e3d2a09729fe0179f9dac9edcb0,
    0x1778e7166fcc6db74e0609d307e55412d7f5e4656a8dbf25f1b33289f1b330835336e25ce3107193c5b388641d9b6861,
    0xe99726a3199f4436642b4b3e4118e5499db995a1257fb3f086eeb65982fac18985a286f301e77c451154ce9ac8895d9,
    0x1630c3250d7313ff01d1201bf7a74ab5db3cb17dd952799b9ed3ab9097e68f90a0870d2dcae73d19cd13c1c66f652983,
    0xd6ed6553fe44d296a3726c38ae652bfb11586264f0f8ce19008e218f9c86b2a8da25128c1052ecaddd7f225a139ed84,
    0x17b81e7701abdbe2e8743884d1117e53356de5ab275b4db1a682c62ef0f2753339b7c8f8c8f475af9ccb5618e3f0c88e,
    0x80d3cf1f9a78fc47b90b33563be990dc43b756ce79f5574a2c596c928c5d1de4fa295f296b74e956d71986a8497e317,
    0x169b1f8e1bcfa7c42e0c37515d138f22dd2ecb803a0c5c99676314baf4bb1b7fa3190b2edc0327797f241067be390c9e,
    0x10321da079ce07e272d8ec09d2565b0dfa7dccdde6787f96d50af36003b14866f69b771f8c285decca67df3f1605fb7b,
    0x6e08c248e260e70bd1e962381edee3d31d79d7e22c837bc23c0bf1bc24c6b68c24b1b80b64d391fa9c8ba2e8ba2d229,
]
G1_XDEN = [  # k_(2,0) .. k_(2,9); x'^10 has coefficient 1
    0x8ca8d548cff19ae18b2e62f4bd3fa6f01d5ef4ba35b48ba9c9588617fc8ac62b558d681be343df8993cf9fa40d21b1c,
    0x12561a5deb559c4348b4711298e536367041e8ca0cf0800c0126c2588c48bf5713daa8846cb026e9e5c8276ec82b3bff,
    0xb2962fe57a3225e8137e629bff2991f6f89416f5a718cd1fca64e00b11aceacd6a3d0967c94fedcfcc239ba5cb83e19,
    0x3425581a58ae2fec83aafef7c40eb545b08243f16b1655154cca8abc28d6fd04976d5243eecf5c4130de8938dc62cd8,
    0x13a8e162022914a80a6f1d5f43e7a07dffdfc759a12062bb8d6b44e833b306da9bd29ba81f35781d539d395b3532a21e,
    0xe7355f8e4e667b955390f7f0506c6e9395735e9ce9cad4d0a43bcef24b8982f7400d24bc4228f11c02df9a29f6304a5,
    0x772caacf16936190f3e0c63e0596721570f5799af53a1894e2e073062aede9cea73b3538f0de06cec2574496ee84a3a,
    0x14a7ac2a9d64a8b230b3f5b074cf01996e7f63c21bca68a81996e1cdf9822c580fa5b9489d11e2d311f7d99bbdcc5a5e,
    0xa10ecf6ada54f825e920b3dafc7a3cce07f8d1d7161366b74100da67f39883503826692abba43704776ec3a79a1d641,
    0x95fc13ab9e92ad4476d6e3eb3a56680f682b4ee96f7d03776df533978f31c1593174e4b4b7865002d6384d168ecdd0a,
]
G1_YNUM = [  # k_(3,0) .. k_(3,15)
    0x90d97c81ba24ee0259d1f094980dcfa11ad138e48a869522b52af6c956543d3cd0c7aee9b3ba3c2be9845719707bb33,
    0x134996a104ee5811d51036d776fb46831223e96c254f383d0f906343eb67ad34d6c56711962fa8bfe097e75a2e41c696,
    0xcc786baa966e66f4a384c86a3b49942552e2d658a31ce2c344be4b91400da7d26d521628b00523b8dfe240c72de1f6,
    0x1f86376e8981c217898751ad8746757d42aa7b90eeb791c09e4a3ec03251cf9de405aba9ec61deca6355c77b0e5f4cb,
    0x8cc03fdefe0ff135caf4fe2a21529c4195536fbe3ce50b879833fd221351adc2ee7f8dc099040a841b6daecf2e8fedb,
    0x16603fca40634b6a2211e11db8f0a6a074a7d0d4afadb7bd76505c3d3ad5544e203f6326c95a807299b23ab13633a5f0,
    0x4ab0b9bcfac1bbcb2c977d027796b3ce75bb8ca2be184cb5231413c4d634f3747a87ac2460f415ec961f8855fe9d6f2,
    0x987c8d5333ab86fde9926bd2ca6c674170a05bfe3bdd81ffd038da6c26c842642f64550fedfe935a15e4ca31870fb29,
    0x9fc4018bd96684be88c9e221e4da1bb8f3abd16679dc26c1e8b6e6a1f20cabe69d65201c78607a360370e577bdba587,
    0xe1bba7a1186bdb5223abde7ada14a23c42a0ca7915af6fe06985e7ed1e4d43b9b3f7055dd4eba6f2bafaaebca731c30,
    0x19713e47937cd1be0dfd0b8f1d43fb93cd2fcbcb6caf493fd1183e416389e61031bf3a5cce3fbafce813711ad011c132,
    0x18b46a908f36f6deb918c143fed2edcc523559b8aaf0c2462e6bfe7f911f643249d9cdf41b44d606ce07c8a4d0074d8e,
    0xb182cac101b9399d155096004f53f447aa7b12a3426b08ec02710e807b4633f06c851c1919211f20d4c04f00b971ef8,
    0x245a394ad1eca9b72fc00ae7be315dc757b3b080d4c158013e6632d3c40659cc6cf90ad1c232a6442d9d3f5db980133,
    0x5c129645e44cf1102a159f748c4a3fc5e673d81d7e86568d9ab0f5d396a7ce46ba1049b6579afb7866b1e715475224b,
    0x15e6be4e990f03ce4ea50b3b42df2eb5cb181d8f84965a3957add4fa95af01b2b665027efec01c7704b456be69c8b604,
]
G1_YDEN = [  # k_(4,0) .. k_(4,14); x'^15 has coefficient 1
    0x16112c4c3a9c98b252181140fad0eae9601a6de578980be6eec3232b5be72e7a07f3688ef60c206d01479253b03663c1,
    0x1962d75c2381201e1a0cbd6c43c348b885c84ff731c4d59ca4a10356f453e01f78a4260763529e3532f6102c2e49a03d,
    0x58df3306640da276faaae7d6e8eb15778c4855551ae7f310c35a5dd279cd2eca6757cd636f96f891e2538b53dbf67f2,
    0x16b7d288798e5395f20d23bf89edb4d1d115c5dbddbcd30e123da489e726af41727364f2c28297ada8d26d98445f5416,
    0xbe0e079545f43e4b00cc912f8228ddcc6d19c9f0f69bbb0542eda0fc9dec916a20b15dc0fd2ededda39142311a5001d,
    0x8d9e5297186db2d9fb266eaac783182b70152c65550d881c5ecd87b6f0f5a6449f38db9dfa9cce202c6477faaf9b7ac,
    0x166007c08a99db2fc3ba8734ace9824b5eecfdfa8d0cf8ef5dd365bc400a0051d5fa9c01a58b1fb93d1a1399126a775c,
    0x16a3ef08be3ea7ea03bcddfabba6ff6ee5a4375efa1f4fd7feb34fd206357132b920f5b00801dee460ee415a15812ed9,
    0x1866c8ed336c61231a1be54fd1d74cc4f9fb0ce4c6af5920abc5750c4bf39b4852cfe2f7bb9248836b233d9d55535d4a,
    0x167a55cda70a6e1cea820597d94a84903216f763e13d87bb5308592e7ea7d4fbc7385ea3d529b35e346ef48bb8913f55,
    0x4d2f259eea405bd48f010a01ad2911d9c6dd039bb61a6290e591b36e636a5c871a5c29f4f83060400f8b49cba8f6aa8,
    0xaccbb67481d033ff5852c1e48c50c477f94ff8aefce42d28c0f9a88cea7913516f968986f7ebbea9684b529e2561092,
    0xad6b9514c767fe3c3613144b45f1496543346d98adf02267d5ceef9a00d9b8693000763e3b90ac11e99b138573345cc,
    0x2660400eb2e4f3b628bdd0d53cd76f2bf565b94e72927c1cb748df27942480e420517bd8714cc80d1fadc1326ed06f7,
    0xe0fa1d816ddc03e6b24255e0d7819c171c40f65e273b853324efcd6356caa205ca2f570f13497804415473a1d634b8f,
]

# ---- RFC 9380 8.8.2 and appendix E.3 (G2); pairs are (c0, c1) = c0 + c1 * I
G2_A = (0, 240)
G2_B = (1012, 1012)
G2_Z = (P - 2, P - 1)
_K10 = 0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97d6
_K30 = 0x1530477c7ab4113b59a4c18b076d11930f7da5d4a07f649bf54439d87d27e500fc8c25ebf8c92f6812cfc71c71c6d706
_K40 = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa8fb
G2_XNUM = [  # k_(1,0) .. k_(1,3)
    (_K10, _K10),
    (0, 0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71a),
    (0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71e,
     0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38d),
    (0x171d6541fa38ccfaed6dea691f5fb614cb14b4e7f4e810aa22d6108f142b85757098e38d0f671c7188e2aaaaaaaa5ed1, 0),
]
G2_XDEN = [  # k_(2,0), k_(2,1); x'^2 has coefficient 1
    (0, 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa63),
    (0xc, 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa9f),
]
G2_YNUM = [  # k_(3,0) .. k_(3,3)
    (_K30, _K30),
    (0, 0x5c759507e8e333ebb5b7a9a47d7ed8532c52d39fd3a042a88b58423c50ae15d5c2638e343d9c71c6238aaaaaaaa97be),
    (0x11560bf17baa99bc32126fced787c88f984f87adf7ae0c7f9a208c6b4f20a4181472aaa9cb8d555526a9ffffffffc71c,
     0x8ab05f8bdd54cde190937e76bc3e447cc27c3d6fbd7063fcd104635a790520c0a395554e5c6aaaa9354ffffffffe38f),
    (0x124c9ad43b6cf79bfbf7043de3811ad0761b0f37a1e26286b0e977c69aa274524e79097a56dc4bd9e1b371c71c718b10, 0),
]
G2_YDEN = [  # k_(4,0) .. k_(4,2); x'^3 has coefficient 1
    (_K40, _K40),
    (0, 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffa9d3),
    (0x12, 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaa99),
]


# ---- Fp and Fp2 arithmetic in Python -------------------------------------
def f_sqrt(a):
    r = pow(a, (P + 1) // 4, P)
    return r if r * r % P == a % P else None


def f2_add(a, b): return ((a[0] + b[0]) % P, (a[1] + b[1]) % P)
def f2_mul(a, b): return ((a[0] * b[0] - a[1] * b[1]) % P, (a[0] * b[1] + a[1] * b[0]) % P)
def f2_neg(a): return (-a[0] % P, -a[1] % P)


def f2_pow(a, e):
    r = (1, 0)
    while e:
        if e & 1:
            r = f2_mul(r, a)
        a = f2_mul(a, a)
        e >>= 1
    return r


def f2_inv(a):
    n = pow(a[0] * a[0] + a[1] * a[1], P - 2, P)
    return (a[0] * n % P, -a[1] * n % P)


Q2 = P * P
assert Q2 % 16 == 9


def f2_sqrt(a):
    """Square root in Fp2 by the norm ("complex") method; None for non-squares.
    Variable time, which is fine for a generator."""
    a0, a1 = a
    if a1 == 0:
        r = f_sqrt(a0)
        z = (r, 0) if r is not None else (0, f_sqrt(-a0 % P))
    else:
        alpha = f_sqrt((a0 * a0 + a1 * a1) % P)
        if alpha is None:
            return None
        inv2 = pow(2, P - 2, P)
        x0 = f_sqrt((a0 + alpha) * inv2 % P) or f_sqrt((a0 - alpha) * inv2 % P)
        if x0 is None:
            return None
        z = (x0, a1 * pow(2 * x0, P - 2, P) % P)
    return z if z[1] is not None and f2_mul(z, z) == a else None


def f2_is_square(a): return f2_pow(a, (Q2 - 1) // 2) == (1, 0)


# ---- checks: the isogenies map E' onto E ----------------------------------
def horner(coeffs, x, mul, add, one):
    acc = None
    for k in reversed(coeffs):
        acc = k if acc is None else add(mul(acc, x), k)
    return acc


def check_g1():
    assert pow(G1_Z, (P - 1) // 2, P) == P - 1          # Z is a non-square
    rnd = random.Random(1)
    mul = lambda a, b: a * b % P
    add = lambda a, b: (a + b) % P
    for _ in range(8):
        while True:
            x = rnd.randrange(P)
            y = f_sqrt((x ** 3 + G1_A * x + G1_B) % P)
            if y is not None:
                break
        xn = horner(G1_XNUM, x, mul, add, 1)
        xd = horner(G1_XDEN + [1], x, mul, add, 1)
        yn = horner(G1_YNUM, x, mul, add, 1)
        yd = horner(G1_YDEN + [1], x, mul, add, 1)
        X = xn * pow(xd, P - 2, P) % P
        Y = y * yn * pow(yd, P - 2, P) % P
        assert (Y * Y - X ** 3 - 4) % P == 0, "G1 isogeny does not land on E"


def check_g2():
    assert not f2_is_square(G2_Z)
    rnd = random.Random(2)
    b_e = (4, 4)
    for _ in range(4):
        while True:
            x = (rnd.randrange(P), rnd.randrange(P))
            g = f2_add(f2_add(f2_mul(f2_mul(x, x), x), f2_mul(G2_A, x)), G2_B)
            if f2_is_square(g):
                y = f2_sqrt(g)
                break
        xn = horner(G2_XNUM, x, f2_mul, f2_add, (1, 0))
        xd = horner(G2_XDEN + [(1, 0)], x, f2_mul, f2_add, (1, 0))
        yn = horner(G2_YNUM, x, f2_mul, f2_add, (1, 0))
        yd = horner(G2_YDEN + [(1, 0)], x, f2_mul, f2_add, (1, 0))
        X = f2_mul(xn, f2_inv(xd))
        Y = f2_mul(f2_mul(y, yn), f2_inv(yd))
        lhs = f2_mul(Y, Y)
        rhs = f2_add(f2_mul(f2_mul(X, X), X), b_e)
        assert lhs == rhs, "G2 isogeny does not land on E2"


# ---- C output -------------------------------------------------------------
def limbs(x, n=12):
    return ["0x%08x" % ((x >> (32 * i)) & 0xFFFFFFFF) for i in range(n)]


def c_fp(x):
    v = x * MONT % P
    ls = ["0x%08x" % ((v >> (29 * i)) & 0x1FFFFFFF) for i in range(14)]
    return "{{ " + ",\n       ".join(", ".join(ls[i:i + 5]) for i in range(0, 14, 5)) + " }}"


def c_fp2(a):
    return "{ " + c_fp(a[0]) + ",\n     " + c_fp(a[1]) + " }"


def emit_array(out, ctype, name, vals, fmt, comment):
    out.append("/* %s */" % comment)
    out.append("static const %s %s[%d] = {" % (ctype, name, len(vals)))
    out.append(",\n".join("    " + fmt(v) for v in vals))
    out.append("};")


def emit_g1(out):
    c2 = f_sqrt(-G1_Z % P)
    assert c2 is not None
    out.append("/* E1': y^2 = x^3 + A' x + B' (RFC 9380 8.8.1), Montgomery form */")
    out.append("static const fp SSWU1_A = %s;" % c_fp(G1_A))
    out.append("static const fp SSWU1_B = %s;" % c_fp(G1_B))
    out.append("#define SSWU1_Z_SMALL 11U")
    out.append("static const fp SSWU1_Z = %s;" % c_fp(G1_Z))
    out.append("/* c2 = sqrt(-Z) of sqrt_ratio_3mod4 (RFC 9380 F.2.1.2) */")
    out.append("static const fp SSWU1_SQRT_MINUS_Z = %s;" % c_fp(c2))
    emit_array(out, "fp", "ISO11_XNUM", G1_XNUM, c_fp, "k_(1,0..11): x_num (RFC 9380 E.2)")
    emit_array(out, "fp", "ISO11_XDEN", G1_XDEN, c_fp, "k_(2,0..9): x_den, monic of degree 10")
    emit_array(out, "fp", "ISO11_YNUM", G1_YNUM, c_fp, "k_(3,0..15): y_num")
    emit_array(out, "fp", "ISO11_YDEN", G1_YDEN, c_fp, "k_(4,0..14): y_den, monic of degree 15")


def g2_norm_z_root():
    """sqrt(-N(Z)) in Fp, N(Z) = Z0^2 + Z1^2 = 5: the Fp2 sqrt_ratio (map_to_g2.c)
    takes the root of Z w through its norm 5 N(w), whose root is sqrt(-5) s when
    s^2 = -N(w). -5 is a square: 5 = N(Z) is not (Z is not a square in Fp2),
    and neither is -1 (p = 3 mod 4)."""
    nz = (G2_Z[0] * G2_Z[0] + G2_Z[1] * G2_Z[1]) % P
    assert nz == 5 and f_sqrt(nz) is None and not f2_is_square(G2_Z)
    root = f_sqrt(-nz % P)
    assert root is not None
    return root


def emit_g2(out):
    out.append("/* E2': y^2 = x^3 + A' x + B', A' = 240 I, B' = 1012 (1 + I), Z = -(2 + I)")
    out.append(" * (RFC 9380 8.8.2), Montgomery form */")
    out.append("static const fp2 SSWU2_A = %s;" % c_fp2(G2_A))
    out.append("static const fp2 SSWU2_B = %s;" % c_fp2(G2_B))
    out.append("static const fp2 SSWU2_Z = %s;" % c_fp2(G2_Z))
    out.append("/* sqrt(-N(Z)) = sqrt(-5) in Fp, for the root of Z w from that of N(w) */")
    out.append("static const fp SQRT_RATIO2_NORM_Z_ROOT = %s;" % c_fp(g2_norm_z_root()))
    emit_array(out, "fp2", "ISO3_XNUM", G2_XNUM, c_fp2, "k_(1,0..3): x_num (RFC 9380 E.3)")
    emit_array(out, "fp2", "ISO3_XDEN", G2_XDEN, c_fp2, "k_(2,0..1): x_den, monic of degree 2")
    emit_array(out, "fp2", "ISO3_YNUM", G2_YNUM, c_fp2, "k_(3,0..3): y_num")
    emit_array(out, "fp2", "ISO3_YDEN", G2_YDEN, c_fp2, "k_(4,0..2): y_den, monic of degree 3")


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else ""
    if which not in ("g1", "g2"):
        sys.exit("usage: map_consts.py g1|g2")
    guard = "DTA_ISO_%s_CONSTS_H" % which.upper()
    out = ["/* Generated by wasm/gen/map_consts.py %s: do not edit. */" % which,
           "#ifndef " + guard, "#define " + guard]
    if which == "g1":
        check_g1()
        out.append('#include "fp.h"')
        emit_g1(out)
    else:
        check_g2()
        out.append('#include "fp2.h"')
        emit_g2(out)
    out.append("#endif")
    print("\n".join(out))


if __name__ == "__main__":
    main()
