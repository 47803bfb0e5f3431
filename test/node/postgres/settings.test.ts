// config.json's "storage" and DTA_DATABASE_URL (src/node/storage/settings.ts through loadConfig): files by default,
// PostgreSQL from the file, the flag or the environment (strongest first), the variable removed from the
// environment once read yet still known to a second load in the same process, and refusals that name no password.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/node/config.ts';
import { tempDir } from '../harness.ts';

describe('the storage setting', () => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    tmp = await tempDir('dta-storage-settings-');
  });
  afterAll(() => tmp?.cleanup());

  const withConfig = async (name: string, config: unknown) => {
    const home = join(tmp.dir, name);
    await mkdir(home, { recursive: true });
    await writeFile(join(home, 'config.json'), JSON.stringify(config));
    return home;
  };

  it('is files by default, and PostgreSQL with the URL from config.json, the flag or the environment', async () => {
    expect((await loadConfig({ home: await withConfig('none', {}) }, {})).storage).toEqual({ kind: 'files' });
    const fromFile = await withConfig('file', { storage: { kind: 'postgres', url: 'postgres://a:b@h/db' } });
    expect((await loadConfig({ home: fromFile }, {})).storage).toEqual({
      kind: 'postgres',
      url: 'postgres://a:b@h/db',
    });
    const env: NodeJS.ProcessEnv = { DTA_DATABASE_URL: 'postgres://e:f@h/env' };
    expect((await loadConfig({ home: fromFile }, env)).storage).toEqual({
      kind: 'postgres',
      url: 'postgres://e:f@h/env',
    });
    expect(env.DTA_DATABASE_URL).toBeUndefined(); // removed once read
    expect((await loadConfig({ home: fromFile }, env)).storage).toMatchObject({ url: 'postgres://e:f@h/env' });
    const flagged = await loadConfig({ home: fromFile, databaseUrl: 'postgres://g:h@h/flag' }, {});
    expect(flagged.storage).toEqual({ kind: 'postgres', url: 'postgres://g:h@h/flag' });
    // A URL alone means PostgreSQL; files named explicitly wins over it.
    const plain = await withConfig('plain', {});
    expect((await loadConfig({ home: plain }, { DTA_DATABASE_URL: 'postgres://x@h/d' })).storage.kind).toBe('postgres');
    expect(
      (await loadConfig({ home: plain, storage: 'files' }, { DTA_DATABASE_URL: 'postgres://x@h/d' })).storage,
    ).toEqual({ kind: 'files' });
  });

  it('refuses PostgreSQL without a URL, or a URL that is not postgres://, without echoing it', async () => {
    const noUrl = await withConfig('nourl', { storage: { kind: 'postgres' } });
    await expect(loadConfig({ home: noUrl }, {})).rejects.toThrow(/needs a database URL/);
    const bad = await withConfig('bad', { storage: { kind: 'postgres', url: 'mysql://u:pw-secret@h/d' } });
    const err = (await loadConfig({ home: bad }, {}).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).not.toContain('pw-secret');
    const flag = (await loadConfig({ home: noUrl, databaseUrl: 'http://u:pw-secret@h' }, {}).catch(
      (e: unknown) => e,
    )) as Error;
    expect(flag.message).toMatch(/not a postgres:\/\/ URL/);
    expect(flag.message).not.toContain('pw-secret');
  });
});
