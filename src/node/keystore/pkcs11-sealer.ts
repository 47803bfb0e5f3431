/**
 * The PKCS#11 sealer: the key-encryption key is an AES-256 key generated
 * inside a token (CKA_TOKEN, CKA_SENSITIVE, not CKA_EXTRACTABLE), found by
 * its label, and never leaves it. Every secret is sealed and opened by the
 * token with CKM_AES_GCM: a fresh 12-byte IV from Node's CSPRNG, a 128-bit
 * tag, and the secret's name as associated data, so no passphrase exists
 * for such a home. The meta document names the token and the key and holds
 * a check value sealed at creation, which tells "another key under the same
 * label" from a damaged record.
 *
 * A PKCS#11 session runs one operation at a time: this sealer keeps one
 * logged-in session, opened at start, and queues its operations; close
 * ends the session and, with the last user of the library, C_Finalize.
 *
 * Sealed form (format 2): 0x02 || IV (12) || ciphertext || tag (16).
 * @module
 */
import { randomBytes } from 'node:crypto';
import { KeyExistsError, KeystoreCorruptError, KeystoreTokenError } from './errors.ts';
import {
  acquireLibrary,
  ckrOf,
  findSlot,
  openUserSession,
  type Pkcs11Lib,
  releaseLibrary,
  tokenError,
} from './pkcs11-token.ts';
import type { Pkcs11Settings } from './settings.ts';
import type { KeystoreMeta, SecretSealer } from './types.ts';

const FORMAT = 0x02;
const IV = 12;
const TAG = 16;
const CHECK_AAD = 'dta/keystore/v1 check';
const NAME_AAD = 'dta/keystore/v1 secret\0';

/** Return values that say the token or session failed, not the record: not reported as a damaged record. */
const TOKEN_TROUBLE = /^CKR_(SESSION_|DEVICE_|TOKEN_|USER_NOT_LOGGED_IN|CRYPTOKI_NOT_INITIALIZED|KEY_HANDLE_INVALID)/;

type Handle = Buffer;
type Session = { lib: Pkcs11Lib; p11: import('pkcs11js').PKCS11; session: Handle };

/** The meta document of a token keystore. */
interface Pkcs11Meta {
  version: 1;
  kind: 'pkcs11';
  tokenLabel: string;
  keyLabel: string;
  check: string; // base64 of the sealed form of 32 zero bytes under CHECK_AAD
}

export interface Pkcs11CreateOptions {
  /** Seal under a key with that label already in the token instead of refusing (`dta init --use-existing-key`). */
  useExistingKey?: boolean;
}

/** The handles of the secret keys labelled `label` (at most two: one is expected). */
function findKeys(s: Session, label: string): Handle[] {
  const { lib, p11, session } = s;
  p11.C_FindObjectsInit(session, [
    { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
    { type: lib.CKA_LABEL, value: label },
  ]);
  try {
    return p11.C_FindObjects(session, 2);
  } finally {
    p11.C_FindObjectsFinal(session);
  }
}

/** The one AES key labelled `label`, refused unless it is sensitive and not extractable. */
function keyByLabel(s: Session, settings: Pkcs11Settings): Handle {
  const where = `key "${settings.keyLabel}" in token "${settings.tokenLabel}"`;
  const keys = findKeys(s, settings.keyLabel);
  if (keys.length === 0) throw new KeystoreTokenError('key_missing', `no ${where}`);
  if (keys.length > 1) throw new KeystoreTokenError('token_error', `more than one ${where}: labels must be unique`);
  const { lib, p11, session } = s;
  const attrs = p11.C_GetAttributeValue(session, keys[0]!, [
    { type: lib.CKA_KEY_TYPE },
    { type: lib.CKA_SENSITIVE },
    { type: lib.CKA_EXTRACTABLE },
  ]);
  const [type, sensitive, extractable] = attrs.map((a) => a.value as Buffer);
  // CK_ULONG in the platform's byte order: 8 bytes on 64-bit Linux, 4 on Windows.
  const keyType = type?.length === 8 ? Number(type.readBigUInt64LE()) : type?.readUInt32LE();
  if (keyType !== lib.CKK_AES) throw new KeystoreTokenError('token_error', `${where} is not AES`);
  if (sensitive?.[0] !== 1 || extractable?.[0] !== 0)
    throw new KeystoreTokenError(
      'token_error',
      `${where} can leave the token (not sensitive, or extractable): refused`,
    );
  return keys[0]!;
}

/** A new AES-256 key in the token: persistent, private, sensitive, never extractable. */
function generateKey(s: Session, label: string): Handle {
  const { lib, p11, session } = s;
  return p11.C_GenerateKey(session, { mechanism: lib.CKM_AES_KEY_GEN }, [
    { type: lib.CKA_CLASS, value: lib.CKO_SECRET_KEY },
    { type: lib.CKA_KEY_TYPE, value: lib.CKK_AES },
    { type: lib.CKA_VALUE_LEN, value: 32 },
    { type: lib.CKA_LABEL, value: label },
    { type: lib.CKA_TOKEN, value: true },
    { type: lib.CKA_PRIVATE, value: true },
    { type: lib.CKA_SENSITIVE, value: true },
    { type: lib.CKA_EXTRACTABLE, value: false },
    { type: lib.CKA_ENCRYPT, value: true },
    { type: lib.CKA_DECRYPT, value: true },
  ]);
}

/** The meta document, checked; KeystoreTokenError when it names another token or key than the configuration. */
function metaOf(doc: Record<string, unknown>, settings: Pkcs11Settings): Pkcs11Meta {
  const m = doc as Partial<Pkcs11Meta>;
  if (m.version !== 1 || m.kind !== 'pkcs11' || typeof m.check !== 'string')
    throw new KeystoreCorruptError('keystore: meta.json is not a PKCS#11 keystore document');
  if (m.tokenLabel !== settings.tokenLabel || m.keyLabel !== settings.keyLabel) {
    throw new KeystoreTokenError(
      'key_mismatch',
      `this keystore was made with key "${m.keyLabel}" in token "${m.tokenLabel}", ` +
        `not key "${settings.keyLabel}" in token "${settings.tokenLabel}" (config.json "keystore")`,
    );
  }
  return m as Pkcs11Meta;
}

export class Pkcs11Sealer implements SecretSealer {
  readonly kind = 'pkcs11';
  readonly #settings: Pkcs11Settings;
  #s: Session | undefined;
  readonly #key: Handle;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(settings: Pkcs11Settings, s: Session, key: Handle) {
    this.#settings = settings;
    this.#s = s;
    this.#key = key;
  }

  /** Logs in and runs `use` on the session; on failure the session and the library are let go. */
  static async #withSession<T>(settings: Pkcs11Settings, pin: Uint8Array, use: (s: Session) => Promise<T>): Promise<T> {
    let acquired: Awaited<ReturnType<typeof acquireLibrary>>;
    try {
      acquired = await acquireLibrary(settings.module);
    } catch (err) {
      pin.fill(0);
      throw err;
    }
    let s: Session | undefined;
    try {
      const slot = findSlot(acquired.lib, acquired.p11, settings.tokenLabel);
      s = { ...acquired, session: openUserSession(acquired.lib, acquired.p11, slot, settings.tokenLabel, pin) };
      return await use(s);
    } catch (err) {
      if (s) s.p11.C_CloseSession(s.session);
      await releaseLibrary(settings.module);
      throw ckrOf(err) ? tokenError(err, `token "${settings.tokenLabel}"`) : err;
    } finally {
      pin.fill(0);
    }
  }

  /** Generates the key in the token (or takes the existing one when asked) and writes the meta document. */
  static create(
    meta: KeystoreMeta,
    settings: Pkcs11Settings,
    pin: Uint8Array,
    options: Pkcs11CreateOptions = {},
  ): Promise<Pkcs11Sealer> {
    return Pkcs11Sealer.#withSession(settings, pin, async (s) => {
      const exists = findKeys(s, settings.keyLabel).length > 0;
      if (exists && !options.useExistingKey) {
        throw new KeystoreTokenError(
          'key_exists',
          `token "${settings.tokenLabel}" already holds a key "${settings.keyLabel}": ` +
            'pass --use-existing-key to seal this keystore under it, or choose another --key-label',
        );
      }
      const key = exists ? keyByLabel(s, settings) : generateKey(s, settings.keyLabel);
      const sealer = new Pkcs11Sealer(settings, s, key);
      const check = await sealer.#seal(CHECK_AAD, new Uint8Array(32), 'sealing the check value');
      const doc: Pkcs11Meta = {
        version: 1,
        kind: 'pkcs11',
        tokenLabel: settings.tokenLabel,
        keyLabel: settings.keyLabel,
        check: Buffer.from(check).toString('base64'),
      };
      if (!(await meta.create(doc as unknown as Record<string, unknown>))) throw new KeyExistsError('meta.json');
      return sealer;
    });
  }

  /** Finds the key by its label and checks that it is the one the keystore was made with. */
  static open(doc: Record<string, unknown>, settings: Pkcs11Settings, pin: Uint8Array): Promise<Pkcs11Sealer> {
    const meta = metaOf(doc, settings);
    return Pkcs11Sealer.#withSession(settings, pin, async (s) => {
      const sealer = new Pkcs11Sealer(settings, s, keyByLabel(s, settings));
      try {
        (await sealer.#open(CHECK_AAD, Buffer.from(meta.check, 'base64'), 'the check value')).fill(0);
      } catch {
        throw new KeystoreTokenError(
          'key_mismatch',
          `key "${settings.keyLabel}" in token "${settings.tokenLabel}" is not the key this keystore was made with`,
        );
      }
      return sealer;
    });
  }

  /** Runs `op` after every operation queued before it (one session does one operation at a time). */
  #serial<T>(op: (s: Session) => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => {
      if (!this.#s) throw new Error('keystore: closed');
      return op(this.#s);
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #gcm(iv: Buffer, aad: string) {
    const { lib } = this.#s!;
    const parameter = { type: lib.CK_PARAMS_AES_GCM, iv, ivBits: IV * 8, aad: Buffer.from(aad), tagBits: TAG * 8 };
    return { mechanism: lib.CKM_AES_GCM, parameter };
  }

  seal(name: string, secret: Uint8Array): Promise<Uint8Array> {
    return this.#seal(NAME_AAD + name, secret, `sealing "${name}"`);
  }

  open(name: string, sealed: Uint8Array): Promise<Uint8Array> {
    return this.#open(NAME_AAD + name, sealed, `"${name}"`);
  }

  #seal(aad: string, secret: Uint8Array, what: string): Promise<Uint8Array> {
    return this.#serial(async ({ p11, session }) => {
      const iv = randomBytes(IV);
      const plain = Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength); // a view: nothing to wipe
      try {
        p11.C_EncryptInit(session, this.#gcm(iv, aad), this.#key);
        const body = await p11.C_EncryptAsync(session, plain, Buffer.alloc(plain.length + TAG));
        return Buffer.concat([Buffer.of(FORMAT), iv, body]);
      } catch (err) {
        throw tokenError(err, `${what} in token "${this.#settings.tokenLabel}"`);
      }
    });
  }

  #open(aad: string, sealed: Uint8Array, what: string): Promise<Uint8Array> {
    return this.#serial(async ({ p11, session }) => {
      const bad = () =>
        new KeystoreCorruptError(`keystore: ${what} does not decrypt (damaged, moved or sealed under another key)`);
      if (sealed.length < 1 + IV + TAG || sealed[0] !== FORMAT) throw bad();
      const body = Buffer.from(sealed.subarray(1 + IV));
      const out = Buffer.alloc(body.length);
      try {
        p11.C_DecryptInit(session, this.#gcm(Buffer.from(sealed.subarray(1, 1 + IV)), aad), this.#key);
      } catch (err) {
        throw tokenError(err, `opening ${what} in token "${this.#settings.tokenLabel}"`);
      }
      try {
        return await p11.C_DecryptAsync(session, body, out);
      } catch (err) {
        out.fill(0); // a token may have written unauthenticated plaintext before it checked the tag
        if (TOKEN_TROUBLE.test(ckrOf(err) ?? '')) throw tokenError(err, `opening ${what}`);
        throw bad(); // the tag did not verify (tokens say CKR_ENCRYPTED_DATA_INVALID or CKR_GENERAL_ERROR)
      }
    });
  }

  close(): Promise<void> {
    if (!this.#s) return Promise.resolve();
    return this.#serial(async ({ p11, session }) => {
      this.#s = undefined;
      try {
        p11.C_CloseSession(session); // closing the last session on the token logs the user out
      } finally {
        await releaseLibrary(this.#settings.module);
      }
    });
  }
}
