/**
 * The vault's rules on its own (issue 17, items 1 and 6), in Node over fake-indexeddb with the real core and
 * WebCrypto: a version-1 vault (one shared device key) upgrades to a device key per identity with padded values;
 * adding a passkey deletes the identity's device key; removing it and exporting a backup need a fresh confirmation;
 * short passphrases are refused; the idle auto-lock wipes the session. The disk side is test/e2e/vault.e2e.ts.
 */
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomBytes } from '../../src/core/bytes.ts';
import { createIdentity, generateIdentitySecrets } from '../../src/core/protocol/index.ts';
import { encodeSecrets } from '../../src/worker/vault/secrets.ts';
import { createVault, type PasskeyEnrolment } from '../../src/worker/vault/vault.ts';
import { seal } from '../../src/worker/vault/wrapping.ts';
import { sharedCore } from '../node/harness.ts';

let dbCount = 0;
const dbName = () => `vault-test-${++dbCount}`;

async function vault(name = dbName()) {
  const core = await sharedCore();
  return { vault: await createVault({ bls: core.bls, dbName: name }), name };
}

function enrolment(): PasskeyEnrolment {
  return { credentialId: randomBytes(16), rpId: 'localhost', salt: randomBytes(32), prf: randomBytes(32) };
}

async function errorName(work: () => Promise<unknown> | unknown): Promise<string> {
  try {
    await work();
  } catch (e) {
    return (e as Error).name;
  }
  return 'none';
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the vault', () => {
  it("upgrades a version-1 vault: the shared device key becomes the identity's own, values padded", async () => {
    const core = await sharedCore();
    const secrets = await generateIdentitySecrets(core.bls);
    const identity = await createIdentity(core.bls, secrets, { name: 'old' });
    const cid = identity.cid.toString();
    const name = dbName();
    const shared = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('identities', { keyPath: 'cid' });
        db.createObjectStore('settings');
      },
    });
    const record = {
      cid,
      name: 'old',
      created: identity.value.created,
      added: 1,
      document: identity.bytes,
      protection: 'device',
      passkey: null,
      secrets: await seal(shared, encodeSecrets(secrets), cid, 'device'),
    };
    await v1.put('identities', record);
    await v1.put('settings', shared, 'deviceKey');
    v1.close();

    const { vault: v } = await vault(name);
    await v.unlock(cid);
    expect(v.session().identity.cid.toString()).toBe(cid);
    v.lock();
    const v2 = await openDB(name);
    expect(v2.version).toBe(2);
    expect(await v2.get('settings', 'deviceKey')).toBeUndefined();
    expect((await v2.get('deviceKeys', cid))?.pad.length).toBe(80 * 1024);
    expect((await v2.get('identities', cid))?.pad.length).toBe(80 * 1024);
    v2.close();
  });

  it('a passkey from the start stores no device key; adding one later deletes the device key', async () => {
    const { vault: v, name } = await vault();
    const byPasskey = enrolment();
    const prf = byPasskey.prf.slice();
    const a = await v.create('alice', byPasskey);
    expect(a.protection).toBe('passkey');
    expect(byPasskey.prf.every((b) => b === 0)).toBe(true); // the worker's copy is wiped
    const b = await v.create('bob');
    const db = await openDB(name);
    expect(await db.getAllKeys('deviceKeys')).toEqual([b.cid]);

    const later = enrolment();
    const laterPrf = later.prf.slice();
    expect((await v.addPasskey(later)).protection).toBe('passkey');
    expect(await db.getAllKeys('deviceKeys')).toEqual([]);
    db.close();
    v.lock();
    expect(await errorName(() => v.unlock(b.cid))).toBe('VaultError');
    expect(await errorName(() => v.unlock(b.cid, randomBytes(32)))).toBe('VaultUnlockError');
    await v.unlock(b.cid, laterPrf);
    await v.unlock(a.cid, prf);
    expect(v.session().identity.cid.toString()).toBe(a.cid);
  });

  it('removing a passkey and exporting a backup need a fresh confirmation', async () => {
    const { vault: v } = await vault();
    const e = enrolment();
    const prf = e.prf.slice();
    await v.create('carol', e);
    expect(await errorName(() => v.removePasskey({}))).toBe('VaultError');
    expect(await errorName(() => v.removePasskey({ prf: randomBytes(32) }))).toBe('VaultUnlockError');
    const pass = 'tangerine orbit fossil meadow';
    expect(await errorName(() => v.exportBackup(pass, { scryptLogN: 10 }))).toBe('VaultError');
    expect((await v.exportBackup(pass, { scryptLogN: 10, prf: prf.slice() })).length).toBeGreaterThan(100);
    expect((await v.removePasskey({ prf })).protection).toBe('device');

    expect(await errorName(() => v.exportBackup(pass, { scryptLogN: 10, name: 'someone' }))).toBe('VaultError');
    expect(await errorName(() => v.exportBackup('eleven char', { scryptLogN: 10, name: 'carol' }))).toBe('VaultError');
    expect((await v.exportBackup(pass, { scryptLogN: 10, name: 'carol' })).length).toBeGreaterThan(100);
  });

  it('locks itself after the idle time, and activity postpones it', async () => {
    const { vault: v } = await vault();
    expect(await v.autoLock()).toBe(15 * 60_000);
    expect(await errorName(() => v.setAutoLock(1000))).toBe('VaultError');
    await v.setAutoLock(6_000);
    await v.create('dave');
    vi.useFakeTimers();
    v.touch();
    vi.advanceTimersByTime(5_000);
    expect(v.touch()).toBe(6_000);
    vi.advanceTimersByTime(5_000);
    expect(v.idleLeft()).toBe(1_000);
    vi.advanceTimersByTime(1_001);
    expect(v.idleLeft()).toBeNull();
    expect(await errorName(() => v.session())).toBe('VaultLockedError');
    expect(v.touch()).toBeNull();
  });
});
