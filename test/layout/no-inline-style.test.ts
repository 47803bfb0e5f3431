// The page's Content-Security-Policy has `style-src 'self'` and no 'unsafe-inline' (src/node/http/app-headers.ts):
// a `style=` attribute is refused by the browser. Solid compiles a constant `style={{…}}` into the template's
// HTML, so the rule is simple: no `style=` in the app's JSX — a class in a stylesheet instead.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function jsxFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.tsx')).map((e) => join(e.parentPath, e.name));
}

describe('no inline style in the app', () => {
  it('no JSX element of src/app has a style attribute', async () => {
    const files = await jsxFiles(join(ROOT, 'src/app'));
    expect(files.length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const file of files) {
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        if (/(^|\s)style=/.test(line)) found.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });
});
