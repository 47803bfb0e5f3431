// The encrypted identity backup: passphrase -> scrypt -> AES-256-GCM, parameters bound as associated data.
import * as dagCbor from '@ipld/dag-cbor';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decryptBackup,
  encryptBackup,
  generateIdentitySecrets,
  type IdentitySecrets,
} from '../../src/core/protocol/index.ts';
import type { Core } from '../../src/core/types.ts';
import { errorName, getCore, makeParty, tamper } from './helpers.ts';

const fast = { scrypt: { N: 1 << 10 } }; // the smallest N the reader accepts, to keep the tests quick
let core: Core;
let secrets: IdentitySecrets;
beforeAll(async () => {
  core = await getCore();
  secrets = await generateIdentitySecrets(core.bls);
});

describe('identity backup', () => {
  it('round-trips the secrets and the identity CID', async () => {
    const party = await makeParty(core, 'backed-up');
    const backup = await encryptBackup(party.secrets, 'correct horse battery staple', { ...fast, identity: party.cid });
    const { secrets: back, identity } = await decryptBackup(backup, 'correct horse battery staple');
    expect(back).toEqual(party.secrets);
    expect(identity?.equals(party.cid)).toBe(true);
    expect(Buffer.from(backup).includes(Buffer.from(party.secrets.bls))).toBe(false);
  });

  it('uses the default cost unless told otherwise, and NFKC-normalizes the passphrase', async () => {
    const backup = await encryptBackup(secrets, 'caf\u00e9', fast);
    expect((dagCbor.decode(backup) as any).kdf).toMatchObject({ name: 'scrypt', N: 1024, r: 8, p: 1 });
    expect((await decryptBackup(backup, 'cafe\u0301')).secrets).toEqual(secrets);
    expect((await decryptBackup(backup, 'caf\u00e9')).identity).toBeNull();
  });

  it('a wrong passphrase is a DecryptionError', async () => {
    const backup = await encryptBackup(secrets, 'right', fast);
    expect(await errorName(() => decryptBackup(backup, 'wrong'))).toBe('DecryptionError');
  });

  it('changed KDF parameters, nonce or ciphertext are a DecryptionError', async () => {
    const backup = await encryptBackup(secrets, 'pw', fast);
    for (const change of [
      (d: any) => {
        d.kdf.r = 1;
      },
      (d: any) => {
        d.kdf.salt[0] ^= 1;
      },
      (d: any) => {
        d.nonce[0] ^= 1;
      },
      (d: any) => {
        d.ciphertext[0] ^= 1;
      },
    ]) {
      expect(await errorName(() => decryptBackup(tamper(backup, change), 'pw'))).toBe('DecryptionError');
    }
  });

  it('a backup that asks for too much work, or is not a backup, is refused before any work', async () => {
    const backup = await encryptBackup(secrets, 'pw', fast);
    expect(
      await errorName(() =>
        decryptBackup(
          tamper(backup, (d) => {
            d.kdf.N = 1 << 24;
          }),
          'pw',
        ),
      ),
    ).toBe('SchemaError');
    expect(
      await errorName(() =>
        decryptBackup(
          tamper(backup, (d) => {
            d.kdf.N = 3000;
          }),
          'pw',
        ),
      ),
    ).toBe('SchemaError');
    expect(
      await errorName(() =>
        decryptBackup(
          tamper(backup, (d) => {
            d.kdf.name = 'pbkdf2';
          }),
          'pw',
        ),
      ),
    ).toBe('SchemaError');
    expect(
      await errorName(() =>
        decryptBackup(
          tamper(backup, (d) => {
            d.extra = 1;
          }),
          'pw',
        ),
      ),
    ).toBe('SchemaError');
    expect(await errorName(() => decryptBackup(new Uint8Array([1, 2, 3]), 'pw'))).toBe('DecodeError');
    expect(await errorName(() => encryptBackup(secrets, '', fast))).toBe('BadArgumentError');
  });
});
