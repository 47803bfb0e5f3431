/**
 * One loader for Node and browsers. It turns a source (a URL, a path, the
 * bytes, a fetch Response or a compiled module) into an instantiated
 * wasm/dta.wasm and checks that every export the bindings use is there.
 *
 * Default source: `new URL('../../../wasm/dta.wasm', import.meta.url)`.
 * Vite recognises that pattern and emits the file as an asset; in Node the
 * same URL is a file: URL read with node:fs.
 * @module
 */
import { DtaError } from '../errors.ts';
import { type CoreExports, REQUIRED_FUNCTIONS } from './exports.ts';
import { hasWasmSimd, NO_SIMD_REASON } from './simd.ts';

/** Where the module comes from. A string is a URL, or in Node also a file path. */
export type CoreSource = URL | string | BufferSource | Response | WebAssembly.Module;

export interface LoadedCore {
  readonly instance: WebAssembly.Instance;
  readonly exports: CoreExports;
}

/** The module is freestanding C: it imports nothing. */
const IMPORTS: WebAssembly.Imports = {};

export function defaultCoreUrl(): URL {
  return new URL('../../../wasm/dta.wasm', import.meta.url);
}

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** A string with a URL scheme is a URL; anything else is a path (Node) or a relative URL (browser). */
function toUrl(source: string): URL | string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(source) && !/^[a-z]:[\\/]/i.test(source)) return new URL(source);
  if (isNode()) return source;
  return new URL(source, globalThis.location?.href);
}

async function readNodeFile(path: URL | string): Promise<Uint8Array<ArrayBuffer>> {
  // A computed specifier keeps browser bundlers from trying to resolve node:fs.
  const specifier = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ specifier)) as typeof import('node:fs/promises');
  // readFile's Buffer is backed by a plain (not shared) ArrayBuffer.
  return (await fs.readFile(path)) as Uint8Array<ArrayBuffer>;
}

async function fromResponse(response: Response): Promise<WebAssembly.WebAssemblyInstantiatedSource> {
  if (!response.ok) {
    throw new DtaError(`loadCoreModule: fetching ${response.url || 'the module'} gave HTTP ${response.status}`);
  }
  const type = response.headers.get('content-type') ?? '';
  if (type.split(';')[0]?.trim() === 'application/wasm' && typeof WebAssembly.instantiateStreaming === 'function') {
    return WebAssembly.instantiateStreaming(response, IMPORTS);
  }
  // Servers that do not label .wasm correctly: compile from the bytes.
  return WebAssembly.instantiate(await response.arrayBuffer(), IMPORTS);
}

async function fromLocation(source: URL | string): Promise<WebAssembly.Instance> {
  const where = typeof source === 'string' ? toUrl(source) : source;
  if (isNode() && (typeof where === 'string' || where.protocol === 'file:')) {
    return (await WebAssembly.instantiate(await readNodeFile(where), IMPORTS)).instance;
  }
  return (await fromResponse(await fetch(where))).instance;
}

async function instantiate(source: CoreSource): Promise<WebAssembly.Instance> {
  if (source instanceof WebAssembly.Module) return WebAssembly.instantiate(source, IMPORTS);
  if (typeof source === 'string' || source instanceof URL) return fromLocation(source);
  if (ArrayBuffer.isView(source) || source instanceof ArrayBuffer) {
    return (await WebAssembly.instantiate(source, IMPORTS)).instance;
  }
  return (await fromResponse(source)).instance;
}

function checkExports(instance: WebAssembly.Instance): CoreExports {
  const e = instance.exports as Record<string, unknown>;
  const missing = REQUIRED_FUNCTIONS.filter((name) => typeof e[name] !== 'function');
  if (!(e['memory'] instanceof WebAssembly.Memory)) missing.push('memory');
  if (!(e['__heap_base'] instanceof WebAssembly.Global)) missing.push('__heap_base');
  if (!(e['__data_end'] instanceof WebAssembly.Global)) missing.push('__data_end');
  if (missing.length > 0) {
    throw new DtaError(`loadCoreModule: the module lacks ${missing.length} export(s): ${missing.join(', ')}`);
  }
  return e as unknown as CoreExports;
}

/** Loads and instantiates the core; rejects with a DtaError naming what went wrong. */
export async function loadCoreModule(source: CoreSource = defaultCoreUrl()): Promise<LoadedCore> {
  let instance: WebAssembly.Instance;
  try {
    instance = await instantiate(source);
  } catch (e) {
    if (e instanceof DtaError) throw e;
    // An engine without SIMD fails to compile with an opcode error that would tell a user nothing.
    const reason = !hasWasmSimd() ? NO_SIMD_REASON : e instanceof Error ? e.message : String(e);
    throw new DtaError(`loadCoreModule: cannot load the wasm module: ${reason}`);
  }
  return Object.freeze({ instance, exports: checkExports(instance) });
}
