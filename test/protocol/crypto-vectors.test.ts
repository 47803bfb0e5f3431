// Published vectors through the code paths envelopes use: Wycheproof AES-GCM (aesGcm, the factory behind
// aes256gcm), HKDF-SHA256 (kdf.ts), X25519 (the x25519 that X-Wing's classical half runs), the X-Wing draft's
// vectors (xwing.ts), and RFC 9180 A.1.1 for the HPKE key schedule (hpke.ts). Skipped with a message when
// ../shared/vectors is absent; vectors-dir.ts makes that a failure under CI.
import { describe, expect, it } from 'vitest';
import {
  aesGcm,
  DecryptionError,
  hkdf,
  hpke,
  InvalidKeyError,
  keyScheduleBase,
  suiteId,
  x25519,
  xwing,
} from '../../src/core/crypto/index.ts';
import { haveVectors } from '../core/vectors-dir.ts';
import { checkAesGcmWycheproof } from './aes-gcm-wycheproof.ts';
import { errorName, hex, readJson, toHex, type WycheproofTest, wycheproof } from './wycheproof.ts';

const suite = describe.skipIf(!haveVectors);

suite('Wycheproof aes_gcm_test.json through aesGcm', () => {
  const groups = haveVectors ? wycheproof('aes_gcm_test.json') : [];
  const cases = groups.flatMap((g) => g.tests.map((t) => ({ g, t })));

  it('96-bit IVs: every valid case seals and opens to the listed bytes, every invalid case fails', () => {
    expect(checkAesGcmWycheproof()).toEqual({ valid: 116, invalid: 81 });
  });

  it('other IV sizes are refused with BadLengthError (skipped as vectors: the AEAD is 96-bit only, as HPKE)', () => {
    const other = cases.filter(({ g }) => g['ivSize'] !== 96);
    for (const { g, t } of other) {
      const aead = aesGcm(((g['keySize'] as number) / 8) as 16 | 24 | 32);
      const sealed = new Uint8Array([...hex(t['ct']), ...hex(t['tag'])]);
      expect(errorName(() => aead.open(hex(t['key']), hex(t['iv']), hex(t['aad']), sealed))).toBe('BadLengthError');
    }
    // 119 cases: IVs of 0, 8..80, 120..2056 bits; the valid ones among them are the skipped vectors.
    expect(other.length).toBe(119);
  });

  it('a wrong key size for the AES-256 instance is a BadLengthError', () => {
    expect(
      errorName(() => aesGcm(32).seal(new Uint8Array(16), new Uint8Array(12), new Uint8Array(0), new Uint8Array(1))),
    ).toBe('BadLengthError');
  });
});

suite('Wycheproof hkdf_sha256_test.json through kdf.ts', () => {
  it('every valid case gives okm; sizes above 255*32 are refused', () => {
    const tests: WycheproofTest[] = wycheproof('hkdf_sha256_test.json').flatMap((g) => [...g.tests]);
    let valid = 0,
      invalid = 0;
    for (const t of tests) {
      const run = () => hkdf(hex(t['ikm']), hex(t['salt']), hex(t['info']), t['size'] as number);
      if (t.result === 'valid') {
        expect(toHex(run()), `tcId ${t.tcId}`).toBe(t['okm']);
        valid++;
      } else {
        expect(errorName(run), `tcId ${t.tcId}`).toBe('BadLengthError');
        invalid++;
      }
    }
    expect([valid, invalid]).toEqual([83, 3]);
  });
});

suite('Wycheproof x25519_test.json through the X25519 of X-Wing', () => {
  it('valid cases match; acceptable ones match or are refused (only the all-zero result is refused)', () => {
    const tests = wycheproof('x25519_test.json').flatMap((g) => [...g.tests]);
    let matched = 0,
      refused = 0;
    for (const t of tests) {
      const shared = t['shared'] as string;
      let out: string | undefined;
      try {
        out = toHex(x25519(hex(t['private']), hex(t['public'])));
      } catch (e) {
        expect((e as Error).name, `tcId ${t.tcId}`).toBe('InvalidKeyError');
        // RFC 7748 6.1: the one refusal we make is an all-zero shared secret.
        expect(shared, `tcId ${t.tcId} refused a nonzero result`).toBe('00'.repeat(32));
        expect(t.result).toBe('acceptable');
        refused++;
        continue;
      }
      expect(out, `tcId ${t.tcId}`).toBe(shared);
      matched++;
    }
    expect(matched + refused).toBe(518);
    expect(refused).toBeLessThanOrEqual(31);
  });
});

suite('X-Wing vectors (draft-connolly-cfrg-xwing-kem) through xwing.ts', () => {
  const vectors = haveVectors ? readJson<Record<string, string>[]>('xwing', 'xwing-test-vectors.json') : [];

  it('keygen from seed, encapsulation with eseed and decapsulation give pk, ct and ss', () => {
    expect(vectors.length).toBe(3);
    for (const v of vectors) {
      const kp = xwing.keygen(hex(v['seed']));
      expect(toHex(kp.secretKey)).toBe(v['sk']);
      expect(toHex(kp.publicKey)).toBe(v['pk']);
      const { enc, sharedSecret } = xwing.encap(hex(v['pk']), hex(v['eseed']));
      expect(toHex(enc)).toBe(v['ct']);
      expect(toHex(sharedSecret)).toBe(v['ss']);
      expect(toHex(xwing.decap(hex(v['ct']), hex(v['sk'])))).toBe(v['ss']);
    }
  });

  it('HPKE over the vector keys: a deterministic seal opens; a flipped enc or tag does not', () => {
    const v = vectors[0]!;
    const info = new TextEncoder().encode('dta/envelope/v1 key');
    const aad = new TextEncoder().encode('header');
    const pt = new Uint8Array(32).fill(7);
    const a = hpke.seal(hex(v['pk']), info, aad, pt, hex(v['eseed']));
    const b = hpke.seal(hex(v['pk']), info, aad, pt, hex(v['eseed']));
    expect(toHex(a.enc)).toBe(v['ct']);
    expect(toHex(a.ciphertext)).toBe(toHex(b.ciphertext));
    expect(toHex(hpke.open(a.enc, hex(v['sk']), info, aad, a.ciphertext))).toBe(toHex(pt));
    const enc = a.enc.slice();
    enc[5]! ^= 1; // ML-KEM implicit rejection: a different shared secret, so the tag fails
    expect(() => hpke.open(enc, hex(v['sk']), info, aad, a.ciphertext)).toThrow(DecryptionError);
    const ct = a.ciphertext.slice();
    ct[ct.length - 1]! ^= 1;
    expect(() => hpke.open(a.enc, hex(v['sk']), info, aad, ct)).toThrow(DecryptionError);
  });
});

describe('HPKE key schedule (RFC 9180)', () => {
  // RFC 9180 A.1.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode): from the KEM's
  // shared_secret onward the key schedule is the one X-Wing uses; only suite_id and Nk differ.
  const A11 = {
    info: '4f6465206f6e2061204772656369616e2055726e',
    sharedSecret: 'fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc',
    key: '4531685d41d65f03dc48f6b8302c05b0',
    baseNonce: '56d890e5accaaf011cff4b7d',
    pt: '4265617574792069732074727574682c20747275746820626561757479',
    aad0: '436f756e742d30',
    ct0: 'f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a',
  };

  it('RFC 9180 A.1.1: key, base_nonce and the first ciphertext', () => {
    const s = suiteId(0x0020, 0x0001, 0x0001);
    const { key, baseNonce } = keyScheduleBase(s, hex(A11.sharedSecret), hex(A11.info), 16, 12);
    expect(toHex(key)).toBe(A11.key);
    expect(toHex(baseNonce)).toBe(A11.baseNonce);
    expect(toHex(aesGcm(16).seal(key, baseNonce, hex(A11.aad0), hex(A11.pt)))).toBe(A11.ct0);
  });

  it('the protocol suite is "HPKE" 0x647A 0x0001 0x0002', () => {
    expect(toHex(hpke.suiteId)).toBe(`${toHex(new TextEncoder().encode('HPKE'))}647a00010002`);
  });

  it('open refuses the wrong recipient, info or aad with DecryptionError; bad lengths with BadLengthError', () => {
    const me = xwing.keygen(),
      other = xwing.keygen();
    const info = new Uint8Array([1]),
      aad = new Uint8Array([2]);
    const { enc, ciphertext } = hpke.seal(me.publicKey, info, aad, new Uint8Array([3, 4]));
    expect(Array.from(hpke.open(enc, me.secretKey, info, aad, ciphertext))).toEqual([3, 4]);
    expect(() => hpke.open(enc, other.secretKey, info, aad, ciphertext)).toThrow(DecryptionError);
    expect(() => hpke.open(enc, me.secretKey, new Uint8Array([9]), aad, ciphertext)).toThrow(DecryptionError);
    expect(() => hpke.open(enc, me.secretKey, info, new Uint8Array(0), ciphertext)).toThrow(DecryptionError);
    expect(errorName(() => hpke.open(enc.subarray(1), me.secretKey, info, aad, ciphertext))).toBe('BadLengthError');
    expect(errorName(() => hpke.seal(me.publicKey.subarray(1), info, aad, ciphertext))).toBe('BadLengthError');
  });

  it('an X-Wing public key whose ML-KEM part fails the modulus check is an InvalidKeyError', () => {
    const pk = xwing.keygen().publicKey.slice();
    pk[0] = 0xff; // first coefficient 0xfff >= q = 3329
    pk[1] = 0xff;
    expect(() => xwing.encap(pk)).toThrow(InvalidKeyError);
  });
});
