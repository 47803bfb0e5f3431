/**
 * The core's SHA-256, HKDF-SHA256 and AES-GCM on node:crypto (src/node/crypto-native.ts) and on noble (nothing
 * installed): the published vectors through each (Wycheproof AES-GCM and HKDF, NIST CAVS GCM, RFC 5869 HKDF, NIST
 * SHA-256), the two agreeing on random inputs, a wrong tag refused with the same DecryptionError, plain
 * Uint8Arrays out, and the install harmless when repeated or made in a worker thread. Vector suites skip with a
 * message when ../shared/vectors is absent (vectors-dir.ts makes that a failure under CI).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aesGcm } from '../../src/core/crypto/aead.ts';
import { DecryptionError } from '../../src/core/crypto/errors.ts';
import { hkdf, hkdfExpand, hkdfExtract } from '../../src/core/crypto/kdf.ts';
import {
  type SymmetricBackend,
  sha256,
  symmetricBackendName,
  useSymmetricBackend,
} from '../../src/core/crypto/symmetric-backend.ts';
import { nodeSymmetric } from '../../src/node/crypto-native.ts';
import { haveVectors, VECTORS } from '../core/vectors-dir.ts';
import { checkAesGcmWycheproof } from '../protocol/aes-gcm-wycheproof.ts';
import { hex, toHex, type WycheproofTest, wycheproof } from '../protocol/wycheproof.ts';

const BACKENDS: readonly [string, SymmetricBackend | undefined][] = [
  ['noble', undefined],
  ['node', nodeSymmetric],
];

/** Runs `fn` with `backend` installed, then puts noble back. */
function using<T>(backend: SymmetricBackend | undefined, fn: () => T): T {
  useSymmetricBackend(backend);
  try {
    return fn();
  } finally {
    useSymmetricBackend(undefined);
  }
}

function errorOf(fn: () => unknown): Error | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e as Error;
  }
}

interface RspRecord {
  readonly group: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, string>>;
  readonly fail: boolean;
}

/**
 * The records of a CAVS .rsp file. `[Name = value]` lines set the group of the records after them; a record ends
 * where a field it already has comes again (blank lines cannot tell: the HKDF file puts them inside records).
 */
function rsp(...path: string[]): RspRecord[] {
  const records: RspRecord[] = [];
  let group: Record<string, string> = {};
  let fields: Record<string, string> = {};
  let fail = false;
  const flush = () => {
    if (Object.keys(fields).length > 0) records.push({ group, fields, fail });
    [fields, fail] = [{}, false];
  };
  for (const line of readFileSync(join(VECTORS, ...path), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())) {
    const header = /^\[(\w+) = (\w+)\]$/.exec(line);
    const field = /^(\w+) =(.*)$/.exec(line);
    if (header) {
      flush();
      group = { ...group, [header[1]!]: header[2]! };
    } else if (line === 'FAIL') fail = true;
    else if (field) {
      if (field[1]! in fields) flush();
      fields[field[1]!] = field[2]!.trim();
    }
  }
  flush();
  return records;
}

const vectors = describe.skipIf(!haveVectors);

for (const [name, backend] of BACKENDS) {
  vectors(`published vectors on ${name}`, () => {
    beforeAll(() => useSymmetricBackend(backend));
    afterAll(() => useSymmetricBackend(undefined));

    it('runs on the implementation it names', () => {
      expect(symmetricBackendName()).toBe(name);
    });

    it('Wycheproof aes_gcm_test.json, 96-bit IVs: valid cases seal and open, invalid ones are DecryptionError', () => {
      expect(checkAesGcmWycheproof()).toEqual({ valid: 116, invalid: 81 });
    });

    it('NIST CAVS GCM-256 with 96-bit IVs and 128-bit tags: encryptions match, FAIL records are refused', () => {
      const full = (r: RspRecord) => r.group['IVlen'] === '96' && r.group['Taglen'] === '128';
      const aead = aesGcm(32);
      const encrypt = rsp('nist', 'gcm', 'gcmEncryptExtIV256.rsp').filter(full);
      for (const { fields: f } of encrypt) {
        const sealed = aead.seal(hex(f['Key']), hex(f['IV']), hex(f['AAD']), hex(f['PT']));
        expect(toHex(sealed), `Count ${f['Count']}`).toBe(f['CT']! + f['Tag']!);
      }
      const decrypt = rsp('nist', 'gcm', 'gcmDecrypt256.rsp').filter(full);
      let refused = 0;
      for (const { fields: f, fail } of decrypt) {
        const open = () => aead.open(hex(f['Key']), hex(f['IV']), hex(f['AAD']), hex(f['CT']! + f['Tag']!));
        if (fail) {
          expect(errorOf(open), `Count ${f['Count']}`).toBeInstanceOf(DecryptionError);
          refused++;
        } else expect(toHex(open()), `Count ${f['Count']}`).toBe(f['PT']);
      }
      // 25 groups of 15 records with 96-bit IVs and full tags in each file.
      expect([encrypt.length, decrypt.length]).toEqual([375, 375]);
      expect(refused).toBeGreaterThan(0);
      expect(refused).toBeLessThan(decrypt.length);
    });

    it('Wycheproof hkdf_sha256_test.json: every valid case gives okm; sizes above 255*32 are refused', () => {
      const tests: WycheproofTest[] = wycheproof('hkdf_sha256_test.json').flatMap((g) => [...g.tests]);
      let valid = 0;
      for (const t of tests) {
        const run = () => hkdf(hex(t['ikm']), hex(t['salt']), hex(t['info']), t['size'] as number);
        if (t.result === 'valid') {
          expect(toHex(run()), `tcId ${t.tcId}`).toBe(t['okm']);
          valid++;
        } else expect(errorOf(run)?.name, `tcId ${t.tcId}`).toBe('BadLengthError');
      }
      expect([valid, tests.length - valid]).toEqual([83, 3]);
    });

    it('RFC 5869 A.2 and A.3 (nist/hkdf): Extract gives PRK, Expand gives OKM', () => {
      const records = rsp('nist', 'hkdf', 'HKDF_SHA256.rsp');
      for (const { fields: f } of records) {
        const prk = hkdfExtract(hex(f['salt']), hex(f['IKM']));
        expect(toHex(prk), `COUNT ${f['COUNT']}`).toBe(f['PRK']);
        expect(toHex(hkdfExpand(prk, hex(f['info']), Number(f['L']))), `COUNT ${f['COUNT']}`).toBe(f['OKM']);
      }
      expect(records.map((r) => r.fields['COUNT'])).toEqual(['2', '3']);
    });

    it('NIST SHA256ShortMsg: every message hashes to its MD', () => {
      const records = rsp('nist', 'sha', '256', 'SHA256ShortMsg.rsp');
      for (const { fields: f } of records) {
        const msg = hex(f['Msg']).subarray(0, Number(f['Len']) / 8); // Len = 0 has an empty Msg line
        expect(toHex(sha256(msg)), `Len ${f['Len']}`).toBe(f['MD']);
      }
      expect(records.length).toBe(65);
    });
  });
}

describe('node:crypto and noble agree', () => {
  const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });
  const keyBytes = fc.constantFrom(16, 24, 32) as fc.Arbitrary<16 | 24 | 32>;

  it('AES-GCM: the same sealed bytes, each opens the other, a flipped bit is the same DecryptionError', () => {
    fc.assert(
      fc.property(
        keyBytes,
        fc.uint8Array({ minLength: 44, maxLength: 44 }),
        bytes(64),
        bytes(600),
        fc.nat(),
        (n, kn, aad, pt, flip) => {
          const [key, nonce] = [kn.subarray(0, n), kn.subarray(32)];
          const aead = aesGcm(n);
          const sealed = using(undefined, () => aead.seal(key, nonce, aad, pt));
          expect(toHex(using(nodeSymmetric, () => aead.seal(key, nonce, aad, pt)))).toBe(toHex(sealed));
          expect(toHex(using(nodeSymmetric, () => aead.open(key, nonce, aad, sealed)))).toBe(toHex(pt));
          const forged = sealed.slice();
          const bit = flip % (forged.length * 8);
          forged[bit >> 3]! ^= 1 << (bit & 7);
          const errors = BACKENDS.map(([, b]) => using(b, () => errorOf(() => aead.open(key, nonce, aad, forged))));
          for (const e of errors) expect(e).toBeInstanceOf(DecryptionError);
          expect(errors[1]!.message).toBe(errors[0]!.message);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('HKDF and SHA-256: the same bytes for any input and length', () => {
    fc.assert(
      fc.property(bytes(100), bytes(100), bytes(100), fc.integer({ min: 0, max: 300 }), (ikm, salt, info, length) => {
        const [noble, native] = BACKENDS.map(([, b]) =>
          using(b, () => toHex(hkdf(ikm, salt, info, length)) + toHex(sha256(ikm))),
        );
        expect(native).toBe(noble);
      }),
      { numRuns: 200 },
    );
  });

  it('gives plain Uint8Arrays, never Buffers (whose slice would share memory)', () => {
    using(nodeSymmetric, () => {
      const key = new Uint8Array(32).fill(1),
        nonce = new Uint8Array(12);
      const sealed = aesGcm(32).seal(key, nonce, new Uint8Array(0), new Uint8Array([1, 2, 3]));
      const outputs = [
        sha256(key),
        hkdfExtract(key, key),
        hkdfExpand(key, key, 80),
        sealed,
        aesGcm(32).open(key, nonce, new Uint8Array(0), sealed),
      ];
      for (const out of outputs) expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
    });
  });

  it('keeps the checks: a short key, a 16-byte nonce and a ciphertext shorter than the tag, as on noble', () => {
    const k = new Uint8Array(32),
      n = new Uint8Array(12),
      none = new Uint8Array(0);
    const cases = [
      () => aesGcm(32).seal(k.subarray(1), n, none, none),
      () => aesGcm(32).open(k, new Uint8Array(16), none, new Uint8Array(16)),
      () => aesGcm(32).open(k, n, none, new Uint8Array(15)),
      () => hkdfExpand(k.subarray(1), none, 32),
    ];
    const [noble, native] = BACKENDS.map(([, b]) =>
      using(b, () => cases.map((c) => `${errorOf(c)?.name}: ${errorOf(c)?.message}`)),
    );
    expect(native).toEqual(noble);
    expect(noble!.map((e) => e.split(':')[0])).toEqual([
      'BadLengthError',
      'BadLengthError',
      'DecryptionError',
      'BadLengthError',
    ]);
  });
});

describe('installing node:crypto', () => {
  afterAll(() => useSymmetricBackend(undefined));

  it('twice in one thread changes nothing', async () => {
    await import('../../src/node/use-native-crypto.ts');
    useSymmetricBackend(nodeSymmetric);
    expect(symmetricBackendName()).toBe('node');
    const key = new Uint8Array(32).fill(7),
      nonce = new Uint8Array(12).fill(1);
    const sealed = aesGcm(32).seal(key, nonce, new Uint8Array([9]), new Uint8Array([1, 2]));
    expect(toHex(using(undefined, () => aesGcm(32).open(key, nonce, new Uint8Array([9]), sealed)))).toBe('0102');
  });

  it('in a worker thread: the worker runs node:crypto, its results open here on noble', async () => {
    const src = (file: string) => new URL(`../../src/${file}`, import.meta.url).href;
    // The worker installs it twice (as a crypto worker that also imports node.ts would), then seals and hashes.
    const code = `
      const { parentPort, workerData: w } = require('node:worker_threads');
      (async () => {
        await import(w.install);
        await import(w.install);
        const { symmetricBackendName, sha256 } = await import(w.registry);
        const { aes256gcm } = await import(w.aead);
        const key = new Uint8Array(32).fill(5), nonce = new Uint8Array(12).fill(6), aad = new Uint8Array([1]);
        const sealed = aes256gcm.seal(key, nonce, aad, new TextEncoder().encode('from the worker'));
        parentPort.postMessage({ name: symmetricBackendName(), sealed, digest: sha256(sealed) });
      })().catch((e) => parentPort.postMessage({ error: String(e) }));`;
    const worker = new Worker(code, {
      eval: true,
      workerData: {
        install: src('node/use-native-crypto.ts'),
        registry: src('core/crypto/symmetric-backend.ts'),
        aead: src('core/crypto/aead.ts'),
      },
    });
    try {
      const reply = await new Promise<{ name: string; sealed: Uint8Array; digest: Uint8Array; error?: string }>(
        (resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('the worker did not answer in 30 s')), 30_000);
          worker.once('message', (m) => {
            clearTimeout(timer);
            resolve(m);
          });
          worker.once('error', reject);
        },
      );
      expect(reply.error).toBeUndefined();
      expect(reply.name).toBe('node');
      using(undefined, () => {
        const key = new Uint8Array(32).fill(5),
          nonce = new Uint8Array(12).fill(6);
        const opened = aesGcm(32).open(key, nonce, new Uint8Array([1]), reply.sealed);
        expect(new TextDecoder().decode(opened)).toBe('from the worker');
        expect(toHex(sha256(reply.sealed))).toBe(toHex(reply.digest));
      });
    } finally {
      await worker.terminate();
    }
  });
});
