/**
 * The build hash of a built app: one SHA-256 that names every byte `npm run build` emitted, so that a person can
 * check that the app their browser runs is the release someone published and reviewed (README, "Checking the app
 * you run"). The build is reproducible (two builds of one commit are byte-identical), so anyone can rebuild a
 * release and compare.
 *
 * The hash is what `sha256sum` gives over `sha256sum`'s own output for every file, sorted by path:
 *
 *     cd dist && find . -type f ! -name build-hash.json | sed 's|^\./||' | LC_ALL=C sort \
 *       | xargs sha256sum | sha256sum
 *
 * i.e. SHA-256 of the lines `<sha256 hex of the file>  <path below dist/>\n`, paths in byte order. Every file
 * counts (the service worker, its scripts, the wasm, the icons) except build-hash.json, which holds the result
 * (vite.config.ts writes it at the end of each build; the app shows it in About and in the update prompt).
 *
 * Run: node scripts/build-hash.ts [dist]            prints the hash of dist/ (default: ./dist)
 *      node scripts/build-hash.ts --write [dist]    also writes dist/build-hash.json
 * @module
 */
import { createHash } from 'node:crypto';
import { open, readdir, readFile, rename } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The file, at the build's root, that holds the build's hash (never counted in it). */
export const BUILD_HASH_FILE = 'build-hash.json';

/** What build-hash.json holds. */
export interface BuildHash {
  /** SHA-256, hex, of the sorted `sha256sum` lines of every file (the module comment). */
  readonly hash: string;
  /** How many files it covers. */
  readonly files: number;
  readonly algorithm: 'sha256 of sha256sum lines sorted by path';
}

/** Every regular file below `dir`, as '/'-separated paths relative to it, in byte order. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((p) => p !== BUILD_HASH_FILE)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

const sha256Hex = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** The build hash of the built app in `dir`. */
export async function buildHashOf(dir: string): Promise<BuildHash> {
  const files = await filesBelow(dir);
  const lines: string[] = [];
  for (const path of files) lines.push(`${sha256Hex(await readFile(join(dir, path)))}  ${path}\n`);
  return {
    hash: sha256Hex(lines.join('')),
    files: files.length,
    algorithm: 'sha256 of sha256sum lines sorted by path',
  };
}

/** Computes the hash of `dir` and writes it to `dir`/build-hash.json (written aside, synced, then renamed). */
export async function writeBuildHash(dir: string): Promise<BuildHash> {
  const result = await buildHashOf(dir);
  const target = join(dir, BUILD_HASH_FILE);
  const temp = `${target}.tmp`;
  const file = await open(temp, 'w');
  try {
    await file.writeFile(`${JSON.stringify(result, null, 2)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, target);
  return result;
}

async function main(args: readonly string[]): Promise<void> {
  const write = args.includes('--write');
  const dir = resolve(args.find((a) => a !== '--write') ?? 'dist');
  const result = write ? await writeBuildHash(dir) : await buildHashOf(dir);
  if (result.files === 0) throw new Error(`build-hash: no files in ${dir} (build the app with npm run build)`);
  console.log(result.hash);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(e.message);
    process.exitCode = 1;
  });
}
