/**
 * The published vectors of ../shared/vectors through core.kem: Wycheproof
 * X25519 (every group, low-order and twist cases included), Wycheproof
 * ML-KEM-768 (keygen from seed, encaps with the FIPS 203 7.2 modulus
 * check, decaps with implicit rejection, semi-expanded decaps with the 7.3
 * checks), C2SP CCTV (780 over-modulus keys, the strcmp case) and the
 * X-Wing draft's vectors. The CCTV fips203-ipd-keygen files are not used:
 * they predate FIPS 203 final's G(d || k) (see vectors/README.md 4b).
 * Skipped with a message when the folder is absent; a failure under CI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.ts';
import type { Core } from '../../src/core/types.ts';
import {
  errorName,
  hex,
  readJson,
  toHex,
  type WycheproofGroup,
  type WycheproofTest,
  wycheproof,
} from '../protocol/wycheproof.ts';
import { haveVectors, VECTORS } from './vectors-dir.ts';

const suite = describe.skipIf(!haveVectors);
let core: Core;
beforeAll(async () => {
  core = await createCore();
});

const mlkem = (file: string): readonly WycheproofTest[] =>
  readJson<{ testGroups: WycheproofGroup[] }>('mlkem', file).testGroups.flatMap((g) => [...g.tests]);

/** CCTV's `name = hex` lines. */
function cctv(file: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of readFileSync(join(VECTORS, 'mlkem', file), 'utf8').split('\n')) {
    const m = /^(\w+) = ([0-9a-f]*)$/.exec(line.trim());
    if (m) fields[m[1]!] = m[2]!;
  }
  return fields;
}

suite('Wycheproof x25519_test.json through core.kem.x25519', () => {
  it('every valid case matches; an acceptable case matches, or is refused exactly when the result is all zero', () => {
    const tests = wycheproof('x25519_test.json').flatMap((g) => [...g.tests]);
    const zero = '00'.repeat(32);
    let matched = 0,
      refused = 0;
    for (const t of tests) {
      const shared = t['shared'] as string;
      const name = errorName(() => core.kem.x25519(hex(t['private']), hex(t['public'])));
      if (shared === zero) {
        expect(name, `tcId ${t.tcId}`).toBe('InfinityError');
        expect(t.result).toBe('acceptable');
        refused++;
        continue;
      }
      expect(name, `tcId ${t.tcId}`).toBeUndefined();
      expect(toHex(core.kem.x25519(hex(t['private']), hex(t['public']))), `tcId ${t.tcId}`).toBe(shared);
      matched++;
    }
    expect(matched + refused).toBe(518);
    expect(refused).toBeGreaterThan(0);
  });
});

suite('Wycheproof ML-KEM-768 through core.kem.mlkem768', () => {
  it('keygen_seed: KeyGen_internal(d, z) gives ek and the expanded dk (100 cases)', () => {
    const tests = mlkem('wycheproof_mlkem_768_keygen_seed_test.json');
    for (const t of tests) {
      const seed = hex(t['seed']);
      const { encapsulationKey, decapsulationKey } = core.kem.mlkem768.keygen(seed.subarray(0, 32), seed.subarray(32));
      expect(toHex(encapsulationKey), `tcId ${t.tcId}`).toBe(t['ek']);
      expect(toHex(decapsulationKey), `tcId ${t.tcId}`).toBe(t['dk']);
    }
    expect(tests.length).toBe(100);
  });

  it('mlkem_768_test: keygen gives ek, decaps gives K (implicit rejection included); bad lengths are refused', () => {
    const tests = mlkem('wycheproof_mlkem_768_test.json');
    let valid = 0,
      invalid = 0;
    for (const t of tests) {
      const seed = hex(t['seed']),
        c = hex(t['c']);
      const run = (): Uint8Array => {
        // A seed that is not 64 bytes gives a d or z that is not 32: the binding refuses it.
        const kp = core.kem.mlkem768.keygen(seed.subarray(0, 32), seed.subarray(32));
        expect(toHex(kp.encapsulationKey), `tcId ${t.tcId}`).toBe(t['ek']);
        return core.kem.mlkem768.decaps(c, kp.decapsulationKey);
      };
      if (t.result === 'valid') {
        expect(toHex(run()), `tcId ${t.tcId}`).toBe(t['K']);
        valid++;
      } else {
        expect(errorName(run), `tcId ${t.tcId}`).toBe('BadLengthError');
        invalid++;
      }
    }
    expect([valid, invalid]).toEqual([153, 40]);
  });

  it('encaps: Encaps_internal(ek, m) gives (c, K); every over-modulus or mis-sized ek is refused', () => {
    const tests = mlkem('wycheproof_mlkem_768_encaps_test.json');
    let valid = 0,
      invalid = 0;
    for (const t of tests) {
      const ek = hex(t['ek']),
        m = hex(t['m']);
      if (t.result === 'valid') {
        const { ciphertext, sharedSecret } = core.kem.mlkem768.encaps(ek, m);
        expect(toHex(ciphertext), `tcId ${t.tcId}`).toBe(t['c']);
        expect(toHex(sharedSecret), `tcId ${t.tcId}`).toBe(t['K']);
        valid++;
      } else {
        const expected = ek.length === 1184 ? 'BadEncodingError' : 'BadLengthError';
        expect(
          errorName(() => core.kem.mlkem768.encaps(ek, m)),
          `tcId ${t.tcId}`,
        ).toBe(expected);
        invalid++;
      }
    }
    expect([valid, invalid]).toEqual([133, 132]);
  });

  it('semi-expanded decaps: valid dk decapsulate to K; a bad H(ek), embedded ek or length is refused', () => {
    const tests = mlkem('wycheproof_mlkem_768_semi_expanded_decaps_test.json');
    let valid = 0,
      invalid = 0;
    for (const t of tests) {
      const run = (): Uint8Array => core.kem.mlkem768.decaps(hex(t['c']), hex(t['dk']));
      if (t.result === 'valid') {
        expect(toHex(run()), `tcId ${t.tcId}`).toBe(t['K']);
        valid++;
      } else {
        expect(['BadLengthError', 'BadEncodingError'], `tcId ${t.tcId}`).toContain(errorName(run));
        invalid++;
      }
    }
    expect([valid, invalid]).toEqual([3, 6]);
  });
});

suite('C2SP CCTV ML-KEM-768', () => {
  it('cctv_modulus: all 780 encapsulation keys fail the modulus check', () => {
    const lines = gunzipSync(readFileSync(join(VECTORS, 'mlkem', 'cctv_modulus_ML-KEM-768.txt.gz')))
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const m = new Uint8Array(32);
    for (const line of lines) {
      expect(errorName(() => core.kem.mlkem768.encaps(hex(line.trim()), m))).toBe('BadEncodingError');
    }
    expect(lines.length).toBe(780);
  });

  it('cctv_strcmp: Decaps(dk, c) = K (the re-encryption compare reads every byte)', () => {
    const v = cctv('cctv_strcmp_ML-KEM-768.txt');
    expect(toHex(core.kem.mlkem768.decaps(hex(v['c']), hex(v['dk'])))).toBe(v['K']);
  });
});

suite('X-Wing vectors (draft-connolly-cfrg-xwing-kem-06) through core.kem.xwing', () => {
  it('keygen, encaps and decaps give pk, ct and ss of each vector', () => {
    const vectors = readJson<Record<string, string>[]>('xwing', 'xwing-test-vectors.json');
    for (const v of vectors) {
      expect(toHex(core.kem.xwing.keygen(hex(v['seed'])))).toBe(v['pk']);
      const { enc, sharedSecret } = core.kem.xwing.encaps(hex(v['pk']), hex(v['eseed']));
      expect(toHex(enc)).toBe(v['ct']);
      expect(toHex(sharedSecret)).toBe(v['ss']);
      expect(toHex(core.kem.xwing.decaps(hex(v['ct']), hex(v['sk'])))).toBe(v['ss']);
    }
    expect(vectors.length).toBe(3);
  });
});
