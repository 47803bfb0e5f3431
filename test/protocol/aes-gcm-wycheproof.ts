/**
 * Wycheproof's AES-GCM vectors with 96-bit IVs through `aesGcm`, whichever symmetric backend is installed: every
 * valid case seals and opens to the listed bytes, every invalid one fails to open with DecryptionError. Shared by
 * the core's vector test (noble) and the node's (noble and node:crypto).
 * @module
 */
import { expect } from 'vitest';
import { aesGcm } from '../../src/core/crypto/aead.ts';
import { errorName, hex, toHex, wycheproof } from './wycheproof.ts';

/** Checks every 96-bit-IV case of aes_gcm_test.json; returns how many valid and invalid cases it checked. */
export function checkAesGcmWycheproof(): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  for (const g of wycheproof('aes_gcm_test.json').filter((g) => g['ivSize'] === 96)) {
    const aead = aesGcm(((g['keySize'] as number) / 8) as 16 | 24 | 32);
    for (const t of g.tests) {
      const [key, iv, aad, msg] = [hex(t['key']), hex(t['iv']), hex(t['aad']), hex(t['msg'])];
      const sealed = new Uint8Array([...hex(t['ct']), ...hex(t['tag'])]);
      if (t.result === 'valid') {
        expect(toHex(aead.seal(key, iv, aad, msg)), `tcId ${t.tcId}`).toBe(toHex(sealed));
        expect(toHex(aead.open(key, iv, aad, sealed)), `tcId ${t.tcId}`).toBe(toHex(msg));
        valid++;
      } else {
        expect(
          errorName(() => aead.open(key, iv, aad, sealed)),
          `tcId ${t.tcId} ${t.comment}`,
        ).toBe('DecryptionError');
        invalid++;
      }
    }
  }
  return { valid, invalid };
}
