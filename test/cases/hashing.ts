/**
 * Hashes and hash-to-curve against noble: SHA-256, HMAC, HKDF
 * (@noble/hashes), expand_message_xmd (short and > 255-byte DSTs), and
 * RFC 9380 hash_to_curve / encode_to_curve for G1 and G2 with random
 * messages and DSTs.
 * @module
 */
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import type { CoreLike } from '../../src/core/types.ts';
import { assertBytes } from './lib/assert.ts';
import { arbDst, arbMsg, bls } from './lib/noble.ts';

const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });

export const hashing = {
  'sha256, hmacSha256 and HKDF equal @noble/hashes': async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(bytes(200), bytes(100), bytes(40), fc.integer({ min: 1, max: 400 }), async (m, k, info, len) => {
        assertBytes(await core.hash.sha256(m), sha256(m), 'sha256');
        assertBytes(await core.hash.hmacSha256(k, m), hmac(sha256, k, m), 'hmacSha256');
        const prk = await core.hash.hkdfExtract(k, m);
        assertBytes(prk, extract(sha256, m, k), 'hkdfExtract');
        assertBytes(await core.hash.hkdfExpand(prk, info, len), expand(sha256, prk, info, len), 'hkdfExpand');
      }),
      { numRuns: 25 },
    );
  },

  'expandMessageXmd equals noble, long DSTs included': async (core: CoreLike) => {
    const dst = fc.oneof(arbDst, fc.uint8Array({ minLength: 256, maxLength: 300 }));
    await fc.assert(
      fc.asyncProperty(arbMsg, dst, fc.integer({ min: 1, max: 600 }), async (m, d, len) => {
        assertBytes(await core.hash.expandMessageXmd(m, d, len), expand_message_xmd(m, d, len, sha256), 'xmd');
      }),
      { numRuns: 25 },
    );
  },

  'G1 hashToCurve and encodeToCurve equal noble': async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(arbMsg, arbDst, async (m, d) => {
        assertBytes(await core.g1.hashToCurve(m, d), bls.G1.hashToCurve(m, { DST: d }).toBytes(false), 'G1 RO');
        assertBytes(await core.g1.encodeToCurve(m, d), bls.G1.encodeToCurve(m, { DST: d }).toBytes(false), 'G1 NU');
      }),
      { numRuns: 12 },
    );
  },

  'G2 hashToCurve and encodeToCurve equal noble': async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(arbMsg, arbDst, async (m, d) => {
        assertBytes(await core.g2.hashToCurve(m, d), bls.G2.hashToCurve(m, { DST: d }).toBytes(false), 'G2 RO');
        assertBytes(await core.g2.encodeToCurve(m, d), bls.G2.encodeToCurve(m, { DST: d }).toBytes(false), 'G2 NU');
      }),
      { numRuns: 8 },
    );
  },
};
