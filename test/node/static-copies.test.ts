// The app's files made once per version (src/node/http/static-copies.ts): each encoding compressed once while the
// file stays as it was, nothing cached for a version the file no longer has, and Accept-Encoding negotiated as
// RFC 9110 weighs it (q-values, `*`, q=0 refusing).
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preferredEncoding, StaticCopies } from '../../src/node/http/static-copies.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dta-static-copies-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const versionOf = async (file: string) => {
  const info = await stat(file);
  return { size: info.size, mtimeMs: info.mtimeMs };
};

describe('static copies', () => {
  it('compresses a version once per encoding; a changed file is read again (and the rest dropped), a stale version is not served', async () => {
    const file = join(dir, 'a.js');
    const text = 'export const a = 1;\n'.repeat(500);
    await writeFile(file, text);
    const copies = new StaticCopies();
    const other = join(dir, 'b.js');
    await writeFile(other, text);
    const otherVersion = await versionOf(other);
    const otherBr = await copies.compressed(other, otherVersion, 'br');
    const v1 = await versionOf(file);
    const br = await copies.compressed(file, v1, 'br');
    expect(brotliDecompressSync(br!).toString()).toBe(text);
    expect(await copies.compressed(file, v1, 'br')).toBe(br); // the same buffer: not compressed again
    expect(gunzipSync((await copies.compressed(file, v1, 'gzip'))!).toString()).toBe(text);

    await writeFile(file, `${text}// v2\n`);
    const v2 = await versionOf(file);
    expect(brotliDecompressSync((await copies.compressed(file, v2, 'br'))!).toString()).toBe(`${text}// v2\n`);
    // A new version (a deployment) dropped the other files' copies too: made again when asked for.
    const otherAgain = await copies.compressed(other, otherVersion, 'br');
    expect(otherAgain).not.toBe(otherBr);
    expect(otherAgain!.equals(otherBr!)).toBe(true);
    // The request that saw the old version gets nothing (its caller sends the file as the library streams it).
    expect(await new StaticCopies().compressed(file, v1, 'br')).toBeNull();
    expect(await copies.made(join(dir, 'missing.js'), v1, 'csp', () => 'x')).toBeNull();
  });

  it('negotiates brotli or gzip from Accept-Encoding', () => {
    expect(preferredEncoding('gzip, deflate, br')).toBe('br');
    expect(preferredEncoding('gzip')).toBe('gzip');
    expect(preferredEncoding('br;q=0, gzip')).toBe('gzip');
    expect(preferredEncoding('gzip;q=0.9, br;q=0.5')).toBe('gzip');
    expect(preferredEncoding('*')).toBe('br');
    expect(preferredEncoding('*;q=0, gzip')).toBe('gzip');
    expect(preferredEncoding('identity')).toBeUndefined();
    expect(preferredEncoding('deflate')).toBeUndefined();
    expect(preferredEncoding('')).toBeUndefined();
    expect(preferredEncoding(undefined)).toBeUndefined();
  });
});
