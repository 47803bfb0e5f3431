// The identity binding of the node's log: the `log` field of identity documents (checked like every field), the log
// key derived from the identity seed (the same at every start, apart from the other secrets), the origin derived
// from the key, new homes binding it, and a home whose document binds another key than its seed refused.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentity, generateIdentitySecrets, readIdentity } from '../../src/core/protocol/index.ts';
import { deriveLogSecretKey } from '../../src/core/protocol/keys.ts';
import { homePaths } from '../../src/node/config.ts';
import { initHome, openHome } from '../../src/node/home.ts';
import { FileKeystore } from '../../src/node/keystore/file-keystore.ts';
import { logKeysFromSeed, logOrigin } from '../../src/node/log/binding.ts';
import { PASS, sharedCore, tempDir } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  tmp = await tempDir('dta-log-identity-');
});
afterAll(async () => tmp?.cleanup());

describe('the log in identity documents', () => {
  it('derives one log key per seed, apart from the BLS and X-Wing secrets; the origin from the key', async () => {
    const seed = new Uint8Array(32).fill(7);
    const keys = logKeysFromSeed(seed);
    expect(logKeysFromSeed(seed)).toEqual(keys);
    expect(keys.publicKey).toEqual(ed25519.getPublicKey(deriveLogSecretKey(seed)));
    expect(keys.origin).toBe(logOrigin(keys.publicKey));
    expect(keys.origin).toMatch(/^dta\.node\/[0-9a-f]{32}$/);
    expect(logKeysFromSeed(new Uint8Array(32).fill(8)).origin).not.toBe(keys.origin);
    const secrets = await generateIdentitySecrets(await sharedCore().then((c) => c.bls), seed);
    expect(Buffer.from(keys.secretKey).equals(Buffer.from(secrets.xwing))).toBe(false);
    expect(() => deriveLogSecretKey(new Uint8Array(31))).toThrow(expect.objectContaining({ name: 'BadLengthError' }));
  });

  it('keeps a log binding through encoding and verification, and refuses a malformed one', async () => {
    const core = await sharedCore();
    const secrets = await generateIdentitySecrets(core.bls);
    const key = ed25519.getPublicKey(ed25519.utils.randomSecretKey());
    const doc = await createIdentity(core.bls, secrets, { name: 'node', log: { origin: logOrigin(key), key } });
    const read = await readIdentity(core.bls, doc.bytes, doc.cid);
    expect(read.value.log).toEqual({ origin: logOrigin(key), key });
    for (const log of [
      { origin: 'has+plus', key },
      { origin: 'has space', key },
      { origin: '', key },
      { origin: 'dta.node/x', key: key.subarray(0, 31) },
    ]) {
      await expect(createIdentity(core.bls, secrets, { name: 'node', log })).rejects.toMatchObject({
        name: 'SchemaError',
      });
    }
  });

  it('binds the log in a new home, and refuses a home whose document binds another key', async () => {
    const core = await sharedCore();
    const dir = join(tmp.dir, 'home');
    const home = await initHome(core, dir, PASS, { name: 'node', scryptLogN: 14 });
    expect(home.identity.value.log).toEqual({ origin: home.log.origin, key: home.log.publicKey });
    await home.keystore.close();
    const reopened = await openHome(core, dir, PASS);
    expect(reopened.log.origin).toBe(home.log.origin);
    await reopened.keystore.close();
    // the same BLS keys, another log key in the document
    const keystore = await FileKeystore.open(homePaths(dir).keystore, PASS);
    const secrets = await generateIdentitySecrets(core.bls, (await keystore.get('node/seed'))!);
    await keystore.close();
    const other = ed25519.getPublicKey(ed25519.utils.randomSecretKey());
    const lying = await createIdentity(core.bls, secrets, {
      name: 'node',
      log: { origin: logOrigin(other), key: other },
    });
    await writeFile(homePaths(dir).identity, lying.bytes);
    await expect(openHome(core, dir, PASS)).rejects.toMatchObject({ name: 'HomeError' });
  });
});
