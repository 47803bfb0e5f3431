// The keystore with its key-encryption key in a PKCS#11 token, on a real SoftHSM2: the key is generated in the
// token and cannot be read out (CKR_ATTRIBUTE_SENSITIVE); the home holds no passphrase; a node on such a home takes
// a safeguard order and redeems it after a restart; every bad input gives one plain error with a stable code (wrong
// PIN, unknown token, missing library, missing key, existing key, another keystore kind, readable pin file); a
// record sealed under another token's key does not open, and the error names it. `dta init --keystore pkcs11` and
// `dta serve` from the command line too.
import { chmod, copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeApi } from '../../src/core/api/node-api.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { homePaths, loadConfig } from '../../src/node/config.ts';
import { initHome, openHome } from '../../src/node/home.ts';
import { getPkcs11Pin } from '../../src/node/keystore/pkcs11-pin.ts';
import { acquireLibrary, findSlot, openUserSession, releaseLibrary } from '../../src/node/keystore/pkcs11-token.ts';
import type { Pkcs11Settings } from '../../src/node/keystore/settings.ts';
import { fileKeystorePlace, openKeystore } from '../../src/node/keystore/unlock.ts';
import { startNode } from '../../src/node/node.ts';
import { safeguardOrderContent } from '../../src/plugins/safeguard/order.ts';
import { clientIdentity, clientOf, PASS, sharedCore, spawnDta, tempDir } from './harness.ts';
import { haveSoftHsm, pin, SOFTHSM_MODULE, softHsmIn, USER_PIN } from './softhsm.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let conf: string;
const settings = (tokenLabel: string, keyLabel = 'dta-kek'): Pkcs11Settings => ({
  kind: 'pkcs11',
  module: SOFTHSM_MODULE,
  tokenLabel,
  keyLabel,
});
const A = settings('dta-a');
/** How long a `dta` child may take to init or start on a machine loaded by other suites (quiet: a few seconds). */
const SLOW = 45_000;

/** A home with a PKCS#11 keystore (and config.json saying so), listening on loopback port 0. */
async function tokenHome(name: string, keystore: Pkcs11Settings, options: { useExistingKey?: boolean } = {}) {
  const dir = join(tmp.dir, name);
  const home = await initHome(await sharedCore(), dir, pin(), { name, keystore, ...options });
  await home.keystore.close();
  // no load shedding, as harness.ts makeHome: a loaded test machine must not turn requests away
  const config = {
    port: 0,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    resolveTimeoutMs: 1500,
    maxEventLoopDelayMs: 0,
    keystore,
  };
  await writeFile(homePaths(dir).config, JSON.stringify(config));
  return dir;
}

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

describe.skipIf(!haveSoftHsm)('a keystore in a PKCS#11 token (SoftHSM2)', () => {
  let homeA: string;

  beforeAll(async () => {
    tmp = await tempDir('dta-pkcs11-');
    const hsm = await softHsmIn(join(tmp.dir, 'softhsm'));
    conf = hsm.conf;
    hsm.initToken('dta-a');
    hsm.initToken('dta-b');
    homeA = await tokenHome('a', A);
  });

  afterAll(async () => {
    await tmp?.cleanup();
  });

  it('generates the key in the token, where it stays: sensitive, not extractable, CKA_VALUE unreadable', async () => {
    const { lib, p11 } = await acquireLibrary(SOFTHSM_MODULE);
    try {
      const session = openUserSession(lib, p11, findSlot(lib, p11, 'dta-a'), 'dta-a', pin());
      p11.C_FindObjectsInit(session, [{ type: lib.CKA_LABEL, value: 'dta-kek' }]);
      const keys = p11.C_FindObjects(session, 5);
      p11.C_FindObjectsFinal(session);
      expect(keys).toHaveLength(1);
      expect(() => p11.C_GetAttributeValue(session, keys[0]!, [{ type: lib.CKA_VALUE }])).toThrow(
        /CKR_ATTRIBUTE_SENSITIVE/,
      );
      const flags = p11
        .C_GetAttributeValue(session, keys[0]!, [
          { type: lib.CKA_TOKEN },
          { type: lib.CKA_SENSITIVE },
          { type: lib.CKA_EXTRACTABLE },
          { type: lib.CKA_NEVER_EXTRACTABLE },
        ])
        .map((a) => (a.value as Buffer)[0]);
      expect(flags).toEqual([1, 1, 0, 1]);
      p11.C_CloseSession(session);
    } finally {
      await releaseLibrary(SOFTHSM_MODULE);
    }
  });

  it('leaves no passphrase in the home: meta names the token and key, every record is token-sealed', async () => {
    const files = await filesUnder(homeA);
    expect(files.some((f) => f.endsWith('/passphrase'))).toBe(false);
    const meta = JSON.parse(await readFile(join(homePaths(homeA).keystore, 'meta.json'), 'utf8'));
    expect(Object.keys(meta).sort()).toEqual(['check', 'keyLabel', 'kind', 'tokenLabel', 'version']);
    expect([meta.kind, meta.tokenLabel, meta.keyLabel]).toEqual(['pkcs11', 'dta-a', 'dta-kek']);
    const records = files.filter((f) => f.endsWith('.key'));
    expect(records.map((f) => f.split('/').pop())).toContain(`${Buffer.from('node/seed').toString('hex')}.key`);
    for (const f of records) expect((await readFile(f))[0]).toBe(0x02);
    for (const f of files) expect((await readFile(f)).includes(Buffer.from(USER_PIN))).toBe(false);
  });

  it('a node on the token keystore takes a safeguard order and redeems it after a restart', async () => {
    const core = await sharedCore();
    const config = await loadConfig({ home: homeA });
    const [alice, bob] = (await Promise.all(['alice', 'bob'].map(clientIdentity))) as [KeyIdentity, KeyIdentity];
    const secret = new TextEncoder().encode('kept under a key that never leaves the token');
    let rt = await startNode(config, pin(), { core });
    let order: string;
    try {
      expect(rt.home.keystore.kind).toBe('pkcs11');
      const url = await rt.listen();
      const api = new NodeApi(url);
      await api.registerIdentity(alice.identity.bytes);
      await api.registerIdentity(bob.identity.bytes);
      const asAlice = await clientOf(url, alice);
      const request = await asAlice.request({
        type: 'safeguard/order',
        intentFor: bob.identity,
        content: await safeguardOrderContent(asAlice.me, asAlice.node, { beneficiary: bob.identity.cid, secret }),
      });
      await asAlice.postOrder(request);
      order = request.cid.toString();
    } finally {
      await rt.close();
    }
    rt = await startNode(config, pin(), { core });
    try {
      const asBob = await clientOf(await rt.listen(), bob);
      const got = (await asBob.redeem('safeguard', order)).content as { secret: Uint8Array };
      expect(Buffer.from(got.secret).equals(Buffer.from(secret))).toBe(true);
    } finally {
      await rt.close();
    }
  });

  it('says plainly what is wrong, with a stable code and never the PIN', async () => {
    const core = await sharedCore();
    const open = (keystore: Pkcs11Settings, secret = pin()) => openHome(core, homeA, secret, { keystore });
    const wrong = await open(A, pin('135790')).catch((e: Error) => e);
    expect(wrong).toMatchObject({ name: 'KeystoreTokenError', code: 'pin_incorrect' });
    expect((wrong as Error).message).toContain('CKR_PIN_INCORRECT');
    expect((wrong as Error).message).not.toContain('135790');
    const unknown = await tokenHome('ghost', settings('no-such-token')).catch((e: Error) => e);
    expect(unknown).toMatchObject({ name: 'KeystoreTokenError', code: 'token_not_found' });
    expect((unknown as Error).message).toMatch(/no token labelled "no-such-token" \(tokens present: .*"dta-a"/);
    await expect(open({ ...A, module: join(tmp.dir, 'missing.so') })).rejects.toMatchObject({
      code: 'module_missing',
      message: expect.stringContaining('missing.so'),
    });
    await expect(open(settings('dta-a', 'other-label'))).rejects.toMatchObject({ code: 'key_mismatch' });
    await expect(openHome(core, homeA, PASS)).rejects.toMatchObject({ code: 'wrong_kind' });
    // The still-open token sessions of the failed attempts were all let go: a good open works.
    const home = await open(A);
    expect(home.keystore.kind).toBe('pkcs11');
    await home.keystore.close();
  });

  it('init refuses a key label the token already holds, unless told to use it; a destroyed key is "key_missing"', async () => {
    await expect(tokenHome('taken', A)).rejects.toMatchObject({ code: 'key_exists' });
    const shared = await tokenHome('shared', A, { useExistingKey: true });
    const home = await openHome(await sharedCore(), shared, pin(), { keystore: A });
    await home.keystore.close();

    const doomed = settings('dta-a', 'doomed');
    const dir = await tokenHome('doomed', doomed);
    const { lib, p11 } = await acquireLibrary(SOFTHSM_MODULE);
    try {
      const session = openUserSession(lib, p11, findSlot(lib, p11, 'dta-a'), 'dta-a', pin());
      p11.C_FindObjectsInit(session, [{ type: lib.CKA_LABEL, value: 'doomed' }]);
      for (const key of p11.C_FindObjects(session, 5)) p11.C_DestroyObject(session, key);
      p11.C_FindObjectsFinal(session);
      p11.C_CloseSession(session);
    } finally {
      await releaseLibrary(SOFTHSM_MODULE);
    }
    await expect(openHome(await sharedCore(), dir, pin(), { keystore: doomed })).rejects.toMatchObject({
      name: 'KeystoreTokenError',
      code: 'key_missing',
    });
  });

  it('a record copied from another home (another token, or a passphrase home) fails to open, naming it', async () => {
    const B = settings('dta-b');
    const homeB = await tokenHome('b', B);
    const ksB = await openKeystore(await fileKeystorePlace(homePaths(homeB).keystore), B, pin());
    await ksB.put('moved/secret', new Uint8Array(32).fill(7));
    await ksB.close();
    const file = `${Buffer.from('moved/secret').toString('hex')}.key`;
    await copyFile(join(homePaths(homeB).keystore, file), join(homePaths(homeA).keystore, file));
    const ksA = await openKeystore(await fileKeystorePlace(homePaths(homeA).keystore), A, pin());
    try {
      expect(await ksA.has('moved/secret')).toBe(true);
      await expect(ksA.get('moved/secret')).rejects.toMatchObject({
        name: 'KeystoreCorruptError',
        message: expect.stringContaining('"moved/secret"'),
      });
      // A record renamed inside the home does not open either: the name is the associated data.
      const seed = await readFile(join(homePaths(homeA).keystore, `${Buffer.from('node/seed').toString('hex')}.key`));
      await writeFile(join(homePaths(homeA).keystore, `${Buffer.from('renamed/seed').toString('hex')}.key`), seed);
      await expect(ksA.get('renamed/seed')).rejects.toMatchObject({ name: 'KeystoreCorruptError' });
      // The keystore is still fine for everything else.
      expect((await ksA.get('node/seed'))?.length).toBe(32);
    } finally {
      await ksA.close();
    }
  });

  it('reads the PIN from DTA_PKCS11_PIN (then gone from the environment) or a pin file that only its owner reads', async () => {
    const env: NodeJS.ProcessEnv = { DTA_PKCS11_PIN: USER_PIN };
    const fromEnv = await getPkcs11Pin(A, env);
    expect([new TextDecoder().decode(fromEnv.bytes), fromEnv.source, env.DTA_PKCS11_PIN]).toEqual([
      USER_PIN,
      'DTA_PKCS11_PIN',
      undefined,
    ]);
    const pinFile = join(tmp.dir, 'pin');
    await writeFile(pinFile, `${USER_PIN}\n`, { mode: 0o644 });
    await chmod(pinFile, 0o644);
    await expect(getPkcs11Pin({ ...A, pinFile }, {})).rejects.toMatchObject({ code: 'pin_file_readable' });
    await chmod(pinFile, 0o600);
    expect(new TextDecoder().decode((await getPkcs11Pin({ ...A, pinFile }, {})).bytes)).toBe(USER_PIN);
    await expect(getPkcs11Pin(A, {})).rejects.toMatchObject({ code: 'no_pin' });
  });

  it('dta init --keystore pkcs11 and dta serve: the key made in the token, config.json written, one-line errors', async () => {
    const home = join(tmp.dir, 'cli');
    const env = { SOFTHSM2_CONF: conf, DTA_PKCS11_PIN: USER_PIN };
    const flags = ['--keystore', 'pkcs11', '--pkcs11-module', SOFTHSM_MODULE, '--token-label', 'dta-b'];
    flags.push('--key-label', 'cli-kek');
    const made = await spawnDta(['init', '--home', home, '--port', '0', ...flags], env, SLOW);
    expect(await made.exited).toBe(0);
    const taken = await spawnDta(['init', '--home', join(tmp.dir, 'cli-taken'), ...flags], env, SLOW);
    expect(await taken.exited).toBe(1);
    expect(taken.output().trim()).toMatch(/^dta init: KeystoreTokenError: .*already holds a key "cli-kek".*$/);
    const config = JSON.parse(await readFile(homePaths(home).config, 'utf8'));
    expect(config.keystore).toEqual({ ...settings('dta-b', 'cli-kek') });
    const quiet = { ...config, listen: ['/ip4/127.0.0.1/tcp/0'], maxEventLoopDelayMs: 0 };
    await writeFile(homePaths(home).config, JSON.stringify(quiet));
    // spawnDta rejects a serve that ends before it serves, with what it printed
    const refused = await spawnDta(['serve', '--home', home], { ...env, DTA_PKCS11_PIN: '975310' }, SLOW).catch(
      (e) => e,
    );
    const line = (refused as Error).message.replace(/^dta serve exited: /, '').trim();
    expect(line).toMatch(/^dta serve: KeystoreTokenError: .*CKR_PIN_INCORRECT.*$/);
    expect(line).not.toContain('975310');
    const served = await spawnDta(['serve', '--home', home], env, SLOW);
    try {
      expect((await (await fetch(`${served.url}/v1/status`)).json()).identity).toBeTruthy();
    } finally {
      await served.kill('SIGTERM');
    }
  }, 240_000);
});
