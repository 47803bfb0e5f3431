// Unit tests of the node's stores: the encrypted file keystore, the durable order store, the replay cache,
// configuration and passphrase sources. Real files in a temp directory.
import { chmod, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseFileConfig, resolveHome } from '../../src/node/config.ts';
import { FileKeystore, scopeKeystore } from '../../src/node/keystore/file-keystore.ts';
import { getPassphrase } from '../../src/node/keystore/passphrase.ts';
import { isCanonicalCid, OrderStore } from '../../src/node/storage/orders.ts';
import { ReplayCache, ReplayError } from '../../src/node/storage/replay.ts';
import { tempDir } from './harness.ts';

const enc = (s: string) => new TextEncoder().encode(s);
let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('file keystore', () => {
  it('stores secrets encrypted, reopens with the passphrase only, never replaces a secret', async () => {
    const ks = await FileKeystore.create(join(dir, 'ks1'), enc('passphrase one'), { scryptLogN: 14 });
    const secret = enc('the quick brown fox');
    await ks.put('safeguard/abc', secret);
    await ks.put('safeguard/abc', secret); // identical bytes: idempotent
    await expect(ks.put('safeguard/abc', enc('other'))).rejects.toMatchObject({ name: 'KeyExistsError' });
    const files = (await readdir(join(dir, 'ks1'))).filter((f) => f.endsWith('.key'));
    expect(files).toHaveLength(1);
    const raw = await readFile(join(dir, 'ks1', files[0]!));
    expect(raw.includes(Buffer.from(secret))).toBe(false);
    expect((await stat(join(dir, 'ks1', files[0]!))).mode & 0o077).toBe(0);
    await ks.close();

    await expect(FileKeystore.open(join(dir, 'ks1'), enc('wrong passphrase'))).rejects.toMatchObject({
      name: 'WrongPassphraseError',
    });
    const again = await FileKeystore.open(join(dir, 'ks1'), enc('passphrase one'));
    expect(Buffer.from((await again.get('safeguard/abc'))!).toString()).toBe('the quick brown fox');
    expect(await again.get('safeguard/none')).toBeUndefined();
    expect(await again.list('safeguard/')).toEqual(['safeguard/abc']);
    await expect(FileKeystore.create(join(dir, 'ks1'), enc('passphrase one'), { scryptLogN: 14 })).rejects.toThrow();
  });

  it('binds each file to its name: a renamed file does not open as another secret', async () => {
    const ks = await FileKeystore.create(join(dir, 'ks2'), enc('passphrase two'), { scryptLogN: 14 });
    await ks.put('a/one', enc('one'));
    await ks.put('a/two', enc('two'));
    const hex = (n: string) => `${Buffer.from(n).toString('hex')}.key`;
    await rename(join(dir, 'ks2', hex('a/one')), join(dir, 'ks2', hex('a/three')));
    await expect(ks.get('a/three')).rejects.toMatchObject({ name: 'KeystoreCorruptError' });
    await expect(ks.put('../x', enc('x'))).rejects.toThrow(TypeError);
  });

  it('concurrent puts of one name: exactly one secret wins', async () => {
    const ks = await FileKeystore.create(join(dir, 'ks3'), enc('passphrase three'), { scryptLogN: 14 });
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => ks.put('race', enc(`value ${i}`))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const scoped = scopeKeystore(ks, 'plug');
    await scoped.put('x', enc('y'));
    expect(await ks.has('plug/x')).toBe(true);
    expect(() => scopeKeystore(ks, 'Bad/Name')).toThrow();
  });
});

describe('order store', () => {
  it('writes records durably and reads them back after reopening', async () => {
    const store = await OrderStore.open(join(dir, 'orders'));
    const id = 'bafyreiddbtg7zcghiyjj47r3jof6jmksknicaflsrdz6wa7jifwery274m';
    const record = {
      id,
      plugin: 'p',
      principal: 'a',
      beneficiary: 'b',
      head: id,
      history: [id],
      status: 'open' as const,
      created: 1,
    };
    await store.put({ record, envelopes: { [id]: enc('bytes') }, replies: {} });
    const reopened = await OrderStore.open(join(dir, 'orders'));
    const got = await reopened.get(id);
    expect(got?.record).toEqual(record);
    expect(Buffer.from(got!.envelopes[id]!).toString()).toBe('bytes');
    expect(await reopened.get('not-a-cid')).toBeUndefined();
    expect(isCanonicalCid('../etc/passwd')).toBe(false);
    expect(isCanonicalCid(id)).toBe(true);
    expect(isCanonicalCid(id.toUpperCase())).toBe(false);
  });

  it('serializes work on one order', async () => {
    const store = await OrderStore.open(join(dir, 'orders2'));
    const seen: number[] = [];
    await Promise.all(
      [1, 2, 3].map((i) =>
        store.withOrder('x', async () => {
          seen.push(i);
          await new Promise((r) => setTimeout(r, 5));
          seen.push(-i);
        }),
      ),
    );
    expect(seen).toEqual([1, -1, 2, -2, 3, -3]);
  });
});

describe('replay cache', () => {
  it('remembers claims across reopening; another scope is a replay; old entries expire', async () => {
    let now = 1_000_000;
    const cache = await ReplayCache.open(join(dir, 'replay'), 60_000, () => now);
    expect(await cache.claim('cid1', now, 'orders')).toBe('new');
    expect(await cache.claim('cid1', now, 'orders')).toBe('seen');
    await expect(cache.claim('cid1', now, 'order:x')).rejects.toBeInstanceOf(ReplayError);
    await Promise.all(Array.from({ length: 50 }, (_, i) => cache.claim(`c${i}`, now, 'orders')));
    await cache.close();
    const reopened = await ReplayCache.open(join(dir, 'replay'), 60_000, () => now);
    expect(reopened.has('cid1')).toBe(true);
    expect(reopened.has('c49')).toBe(true);
    await reopened.close();
    now += 120_000;
    const later = await ReplayCache.open(join(dir, 'replay'), 60_000, () => now);
    expect(later.has('cid1')).toBe(false);
    await later.close();
  });
});

describe('configuration', () => {
  it('defaults to loopback and refuses unknown keys and bad values', async () => {
    const c = await loadConfig({ home: join(dir, 'nohome') }, {});
    expect([c.host, c.port, c.corsOrigins]).toEqual(['127.0.0.1', 5556, []]);
    expect(resolveHome(undefined, { DTA_HOME: '/x/y' })).toBe('/x/y');
    expect(() => parseFileConfig('{"prot": 1}', 'c')).toThrow(ConfigError);
    expect(() => parseFileConfig('{"port": 70000}', 'c')).toThrow(/port/);
    expect(() => parseFileConfig('{"corsOrigins": ["https://a.example/path"]}', 'c')).toThrow(/corsOrigins/);
    expect(parseFileConfig('{"corsOrigins": ["https://a.example"]}', 'c').corsOrigins).toEqual(['https://a.example']);
  });

  it('plugins: a list of names, or names with their settings objects', async () => {
    const home = join(dir, 'plugins-home');
    await mkdir(home, { recursive: true });
    const load = async (plugins: unknown) => {
      await writeFile(join(home, 'config.json'), JSON.stringify({ plugins }));
      return loadConfig({ home }, {});
    };
    expect(await load(['safeguard', 'mpin'])).toMatchObject({ plugins: ['safeguard', 'mpin'], pluginSettings: {} });
    const mpin = { servers: [], authServer: { issuers: [] } };
    expect(await load({ mpin, safeguard: {} })).toMatchObject({
      plugins: ['mpin', 'safeguard'],
      pluginSettings: { mpin, safeguard: {} },
    });
    expect((await loadConfig({ home: join(dir, 'nohome') }, {})).pluginSettings).toEqual({});
    await expect(load({ mpin: 3 })).rejects.toThrow(/"plugins\.mpin": expected an object of settings/);
    await expect(load({ mpin: [] })).rejects.toThrow(/"plugins\.mpin": expected an object/);
    await expect(load({ 'No Such': {} })).rejects.toThrow(/"No Such" is not a plugin name/);
    await expect(load(['mpin', 'mpin'])).rejects.toThrow(/listed twice/);
    await expect(load('mpin')).rejects.toThrow(/expected a list of plugin names or an object/);
  });
});

describe('passphrase sources', () => {
  it('environment first, then a key file (which must be private), then a generated key file', async () => {
    expect((await getPassphrase({ env: { DTA_PASSPHRASE: 'from the env' } })).source).toBe('DTA_PASSPHRASE');
    const file = join(dir, 'keyfile');
    await writeFile(file, 'a long key file passphrase\n', { mode: 0o644 });
    await chmod(file, 0o644);
    await expect(getPassphrase({ env: {}, keyFile: file })).rejects.toThrow(/readable by other users/);
    await chmod(file, 0o600);
    const p = await getPassphrase({ env: {}, keyFile: file });
    expect(new TextDecoder().decode(p.bytes)).toBe('a long key file passphrase');
    const gen = join(dir, 'generated');
    const first = await getPassphrase({ env: {}, generatedKeyFile: gen });
    expect(first.source).toMatch(/generated now/);
    expect((await stat(gen)).mode & 0o777).toBe(0o600);
    const second = await getPassphrase({ env: {}, generatedKeyFile: gen });
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    await expect(getPassphrase({ env: { DTA_PASSPHRASE: 'short' } })).rejects.toThrow(/at least/);
  });
});
