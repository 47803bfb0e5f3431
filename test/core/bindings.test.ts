/**
 * The plumbing of the bindings in Node: the loader's sources and failures,
 * the frozen API, sizes agreeing with dta.h, the error classes, input type
 * checks, and the arena wipe (no byte of any call is left in wasm memory).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BadArgumentError,
  DtaError,
  ERROR_NAMES,
  ErrorCode,
  errorFromCode,
  isDtaError,
} from '../../src/core/errors.ts';
import { createCore, defaultCoreUrl, loadCoreModule } from '../../src/core/index.ts';
import type { Core } from '../../src/core/types.ts';
import type { CoreExports } from '../../src/core/wasm/exports.ts';

const wasmPath = fileURLToPath(defaultCoreUrl());
const header = readFileSync(new URL('../../wasm/include/dta.h', import.meta.url), 'utf8');

/** What a rejected promise rejected with. */
async function caught(p: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('loadCoreModule', () => {
  const bytes = readFileSync(wasmPath);

  it.each([
    ['the default URL', undefined],
    ['a file URL', defaultCoreUrl()],
    ['a file path', wasmPath],
    ['bytes', new Uint8Array(bytes)],
    ['an ArrayBuffer', bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)],
    ['a labelled Response', new Response(new Uint8Array(bytes), { headers: { 'content-type': 'application/wasm' } })],
    ['an unlabelled Response', new Response(new Uint8Array(bytes))],
  ])('loads from %s', async (_, source) => {
    const { exports } = await loadCoreModule(source as never);
    expect(exports.dta_self_test()).toBe(0);
  });

  it('loads from a compiled module', async () => {
    const { exports } = await loadCoreModule(await WebAssembly.compile(new Uint8Array(bytes)));
    expect(exports.dta_g1_compressed_bytes()).toBe(48);
  });

  it('rejects with a DtaError for a missing file, garbage, a failed fetch and a module without the exports', async () => {
    const empty = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    const sources = ['/no/such/dta.wasm', new Uint8Array([1, 2, 3]), new Response('missing', { status: 404 }), empty];
    for (const source of sources) {
      const e = await caught(loadCoreModule(source));
      expect(e).toBeInstanceOf(DtaError);
      expect((e as Error).name).toBe('DtaError');
    }
    expect(((await caught(loadCoreModule(empty))) as Error).message).toMatch(/lacks \d+ export/);
  });
});

describe('createCore', () => {
  let core: Core;
  let exports: CoreExports;
  beforeAll(async () => {
    const loaded = await loadCoreModule();
    exports = loaded.exports;
    core = await createCore({ module: loaded });
  });

  it('returns a frozen object of frozen namespaces and passes the self-test', () => {
    expect(Object.isFrozen(core)).toBe(true);
    for (const ns of [
      core.sizes,
      core.g1,
      core.g2,
      core.pairing,
      core.hash,
      core.bls,
      core.bls.minSig,
      core.shamir,
      core.raw,
    ]) {
      expect(Object.isFrozen(ns)).toBe(true);
    }
    expect(core.selfTest()).toBe(true);
  });

  it('reads every size from the module, equal to the #defines of dta.h', () => {
    const defines = Object.fromEntries(
      [...header.matchAll(/#define DTA_(\w+)_BYTES (\d+)U/g)].map((m) => [m[1], Number(m[2])]),
    );
    const names: Record<string, keyof Core['sizes']> = {
      FP: 'fp',
      SCALAR: 'scalar',
      G1_COMPRESSED: 'g1Compressed',
      G1_UNCOMPRESSED: 'g1Uncompressed',
      G2_COMPRESSED: 'g2Compressed',
      G2_UNCOMPRESSED: 'g2Uncompressed',
      GT: 'gt',
      SECRET_KEY: 'secretKey',
    };
    for (const [define, key] of Object.entries(names)) expect(core.sizes[key], define).toBe(defines[define]);
    expect(core.sizes.p1Handle).toBe(exports.dta_p1_sizeof());
  });

  it('hands out copies of the DSTs', () => {
    const dst = core.bls.dst;
    dst.fill(0);
    expect(new TextDecoder().decode(core.bls.dst)).toBe('BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_');
  });

  it('refuses arguments that are not byte arrays with BadArgumentError', async () => {
    for (const bad of ['00', [0, 1], null, undefined, 12, new Uint16Array(48)]) {
      const e = await caught(() => core.g1.validate(bad as never));
      expect((e as Error).name).toBe('BadArgumentError');
    }
    expect(((await caught(() => core.shamir.split(new Uint8Array(32), 1.5, 3))) as Error).name).toBe(
      'BadArgumentError',
    );
  });

  it('never puts secret bytes in an error message', async () => {
    const sk = new Uint8Array(32).fill(0xff); // >= r
    const e = (await caught(() => core.bls.sign(sk, new Uint8Array(1)))) as Error;
    expect(e.name).toBe('BadScalarError');
    expect(e.message).toMatch(/^bls\.sign: /);
    expect(e.message.toLowerCase()).not.toContain('ffff');
  });

  describe('the arena', () => {
    const aboveHeap = () => {
      const base = Number(exports.__heap_base.value);
      return new Uint8Array(exports.memory.buffer).subarray(base);
    };
    const allZero = (b: Uint8Array) => b.every((v) => v === 0);

    it('is zero above __heap_base after calls that handle secrets', () => {
      const sk = core.bls.keygen(new Uint8Array(32).fill(7));
      core.bls.sign(sk, new TextEncoder().encode('message'));
      core.shamir.split(sk, 3, 5);
      core.hash.hkdfExpand(core.hash.hkdfExtract(sk, sk), new Uint8Array(0), 64);
      expect(allZero(aboveHeap())).toBe(true);
    });

    it('leaves the C stack zeroed below the wipe after calls that handle secrets', () => {
      const sk = core.bls.keygen(new Uint8Array(32).fill(9));
      core.bls.sign(sk, new TextEncoder().encode('message'));
      core.g2.mult(core.g2.generator(), sk);
      const [low, high] = [Number(exports.__data_end.value), Number(exports.__heap_base.value)];
      const stack = new Uint8Array(exports.memory.buffer).subarray(low, high - 256);
      expect(stack.length).toBeGreaterThan(16384);
      expect(allZero(stack)).toBe(true);
    });

    it('is zero after a call that failed', async () => {
      const e = await caught(() => core.bls.sign(new Uint8Array(32).fill(0xee), new Uint8Array(100).fill(0x55)));
      expect((e as Error).name).toBe('BadScalarError');
      expect(allZero(aboveHeap())).toBe(true);
    });

    it('grows memory for large inputs and still wipes them', () => {
      const before = exports.memory.buffer.byteLength;
      const big = new Uint8Array(3 << 20).fill(0xab);
      expect(core.hash.sha256(big)).toHaveLength(32);
      expect(exports.memory.buffer.byteLength).toBeGreaterThan(before);
      expect(allZero(aboveHeap())).toBe(true);
    });
  });
});

describe('errors', () => {
  it('maps every dta_error code to its class, name and code', () => {
    const codes = Object.entries(ErrorCode).filter(([k]) => k !== 'OK');
    for (const [key, code] of codes) {
      const e = errorFromCode(code, 'test.fn');
      expect(e).toBeInstanceOf(DtaError);
      expect(e.code).toBe(code);
      expect(isDtaError(e)).toBe(true);
      expect(ERROR_NAMES).toContain(e.name);
      expect(e.name).not.toBe('DtaError');
      expect(e.message).toMatch(/^test\.fn: /);
      expect(key).toBeTruthy();
    }
    expect(new Set(codes.map(([, c]) => errorFromCode(c, 'x').name)).size).toBe(codes.length);
    expect(errorFromCode(99, 'x').name).toBe('DtaError');
    expect(isDtaError(new Error('plain'))).toBe(false);
    expect(new BadArgumentError('m').code).toBe(ErrorCode.BAD_ARGUMENT);
  });
});
