// The node can be told not to serve the app (issue 17, Deliver 4: whoever serves the app is trusted, so a person
// may take it from an origin no fiduciary controls): config.json's "serveApp": false or `dta serve --no-app`.
// The flag is checked on a real `dta serve` child: the API answers, `/` is the API's JSON 404, not a page.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/node/config.ts';
import { type Child, makeHome, spawnDta, tempDir } from './harness.ts';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let child: Child | undefined;

beforeAll(async () => {
  tmp = await tempDir('dta-serve-app-');
});

afterAll(async () => {
  await child?.kill('SIGTERM');
  await tmp?.cleanup();
});

describe('serving the app is optional', () => {
  it('"serveApp" in config.json, default true; --no-app wins over the file; anything but a boolean is refused', async () => {
    const home = join(tmp.dir, 'config');
    const env = {};
    await mkdir(home, { recursive: true });
    expect((await loadConfig({ home }, env)).serveApp).toBe(true);
    await writeFile(join(home, 'config.json'), JSON.stringify({ serveApp: false }));
    expect((await loadConfig({ home }, env)).serveApp).toBe(false);
    await writeFile(join(home, 'config.json'), JSON.stringify({ serveApp: true }));
    expect((await loadConfig({ home, serveApp: false }, env)).serveApp).toBe(false);
    await writeFile(join(home, 'config.json'), JSON.stringify({ serveApp: 'no' }));
    await expect(loadConfig({ home }, env)).rejects.toThrow(ConfigError);
    await expect(loadConfig({ home }, env)).rejects.toThrow(/"serveApp": expected true or false/);
  });

  it('dta serve --no-app: the API only, and it says so', async () => {
    const home = await makeHome(join(tmp.dir, 'node'), { config: { plugins: [] } });
    child = await spawnDta(['serve', '--home', home, '--no-app']);
    expect(child.output()).toContain('dta: not serving the app');
    const status = await fetch(`${child.url}/v1/status`);
    expect(status.status).toBe(200);
    const root = await fetch(`${child.url}/`);
    expect(root.status).toBe(404);
    expect(root.headers.get('content-type')).toMatch(/^application\/json/);
    const index = await fetch(`${child.url}/index.html`);
    expect(index.status).toBe(404);
  });
});
