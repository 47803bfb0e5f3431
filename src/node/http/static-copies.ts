/**
 * The built app's files as the node sends them, made once per version of a file instead of once per request
 * (app-static.ts): their brotli and gzip bodies, and what a page's headers need of its bytes (the hashes of its
 * inline scripts). Compressing every request cost 6-22 ms of the one Node thread per script on a cold visit, while
 * the page waited for its first scripts; a build's files only change when it is deployed again.
 *
 * A version is a file's size and modification time, as the request's `stat` saw them; a file found changed when
 * read is not cached (the caller falls back to what it did without). One version per path is kept: the build's
 * files, a few MB with their compressed copies; a file seen at a new version (a deployment in place) drops them all,
 * so the files of builds no longer served do not stay in memory.
 * @module
 */
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** Bodies smaller than this are sent as they are (the headers would cost more than compression saves). */
export const MIN_COMPRESSED_BYTES = 1024;

/** Types worth compressing: text, JSON, JavaScript, XML/SVG, the web manifest, WebAssembly. */
export const COMPRESSIBLE =
  /^(text\/|application\/(json|javascript|manifest\+json|wasm|xml)|image\/svg\+xml)|\+json(;|$)/;

/** What identifies a version of a file. */
export interface FileVersion {
  readonly size: number;
  readonly mtimeMs: number;
}

/** The encodings the node sends its static files in, best first. */
export type StaticEncoding = 'br' | 'gzip';
const ENCODINGS: readonly StaticEncoding[] = ['br', 'gzip'];

/**
 * Brotli 4 and gzip 6 (@fastify/compress's levels, the wire sizes bench/app.ts estimates): a higher brotli level
 * would save a few percent for seconds of CPU on the 1.4 MB Helia chunk, at each start of the node.
 */
const BROTLI_QUALITY = 4;
const GZIP_LEVEL = 6;

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** `bytes` in `encoding`, on libuv's thread pool (never on the thread that serves requests). */
function compressed(bytes: Buffer, encoding: StaticEncoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } })
    : gzipped(bytes, { level: GZIP_LEVEL });
}

/**
 * The encoding to send to a client that says `acceptEncoding`: brotli or gzip, the one it weighs more (brotli on
 * a tie), or undefined for the bytes as they are. `*` counts for an encoding it does not name; q=0 refuses.
 */
export function preferredEncoding(acceptEncoding: string | undefined): StaticEncoding | undefined {
  const weights = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) weights.set(name, q === undefined ? 1 : Number(q) || 0);
  }
  let best: StaticEncoding | undefined;
  let bestWeight = 0;
  for (const encoding of ENCODINGS) {
    const weight = weights.get(encoding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) [best, bestWeight] = [encoding, weight];
  }
  return best;
}

interface Entry {
  readonly version: FileVersion;
  /** The bytes, or null when the file was no longer at `version`. */
  readonly bytes: Promise<Buffer | null>;
  /** What was made of the bytes, by name. */
  readonly made: Map<string, Promise<unknown>>;
}

/** The file's bytes if its open handle still shows `version`. */
async function readVersion(file: string, version: FileVersion): Promise<Buffer | null> {
  const handle = await open(file, 'r');
  try {
    const info = await handle.stat();
    if (info.size !== version.size || info.mtimeMs !== version.mtimeMs) return null;
    const bytes = await handle.readFile();
    return bytes.length === version.size ? bytes : null;
  } finally {
    await handle.close();
  }
}

/** One directory's files and what is made of them, cached by path and version. */
export class StaticCopies {
  readonly #entries = new Map<string, Entry>();

  #entry(file: string, version: FileVersion): Entry {
    const known = this.#entries.get(file);
    if (known && known.version.size === version.size && known.version.mtimeMs === version.mtimeMs) return known;
    if (known) this.#entries.clear();
    const bytes = readVersion(file, version).catch(() => null);
    const entry: Entry = { version, bytes, made: new Map() };
    this.#entries.set(file, entry);
    // A version found changed, or unreadable, is not kept: the next request reads again.
    void bytes.then((b) => {
      if (b === null && this.#entries.get(file) === entry) this.#entries.delete(file);
    });
    return entry;
  }

  /** `make` of the file's bytes at `version`, made once; null if the file is no longer at that version. */
  made<T>(
    file: string,
    version: FileVersion,
    name: string,
    make: (bytes: Buffer) => T | Promise<T>,
  ): Promise<T | null> {
    const entry = this.#entry(file, version);
    let result = entry.made.get(name) as Promise<T | null> | undefined;
    if (!result) {
      result = entry.bytes.then((bytes) => (bytes === null ? null : make(bytes)));
      entry.made.set(name, result);
    }
    return result;
  }

  /** The file at `version` in `encoding`; null if it is no longer at that version. */
  compressed(file: string, version: FileVersion, encoding: StaticEncoding): Promise<Buffer | null> {
    return this.made(file, version, encoding, (bytes) => compressed(bytes, encoding));
  }
}
