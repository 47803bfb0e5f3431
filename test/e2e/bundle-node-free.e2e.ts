// The app's build holds no node:crypto (issue 13): Node processes run the core's SHA-256, HKDF and AES-GCM on it
// (src/node/crypto-native.ts), the browser on noble, behind the core's registry. The import boundaries
// (test/layout/boundaries.test.ts) keep src/node out of the app's sources; this reads what the suite's build
// (global-setup.ts) actually emitted, where a stray import would have been shimmed or inlined instead.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';

/** Every JavaScript file of the build, with its text. */
async function scripts(dir: string): Promise<{ file: string; text: string }[]> {
  const files = (await readdir(dir, { recursive: true })).filter((f) => /\.m?js$/.test(f));
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(join(dir, file), 'utf8') })));
}

describe('the app build', () => {
  it("runs AES-GCM (the core's, on noble) and names no node:crypto anywhere", async () => {
    const built = await scripts(inject('appDir'));
    expect(built.length).toBeGreaterThan(3);
    // The control: the core's AEAD is in the build (the app's worker seals and opens with it).
    expect(built.some((s) => s.text.includes('aead.open: the authentication tag does not verify'))).toBe(true);
    const node = built.filter((s) => /node:crypto|createDecipheriv|createCipheriv|createHmac/.test(s.text));
    expect(node.map((s) => s.file)).toEqual([]);
  });
});
