/**
 * The default keystore: one encrypted file per secret under
 * `<home>/keystore/`. The key-encryption key is derived once, when the
 * keystore is opened, with scrypt (RFC 7914) from the passphrase or the
 * contents of a key file; each secret is sealed with AES-256-GCM under a
 * fresh random nonce, with the secret's name as associated data so files
 * cannot be swapped or renamed. `meta.json` holds the KDF parameters and a
 * check value that tells a wrong passphrase from a damaged file.
 *
 * Durability and no-overwrite (keystore/types.ts): a new secret is written
 * to a temporary file, fsynced and hard-linked to its final name, which
 * fails atomically if the name exists, so two writers can never both win
 * and a committed secret is never replaced.
 * @module
 */
import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  type KeyObject,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createDurable, readIfExists, removeDurable, sweepTemps } from '../fsutil.ts';
import { KeyExistsError, KeystoreCorruptError, WrongPassphraseError } from './errors.ts';
import type { Keystore, ScopedKeystore } from './types.ts';

const MAGIC = 0x01; // format version of a secret file
const NONCE = 12;
const TAG = 16;
const CHECK_AAD = new TextEncoder().encode('dta/keystore/v1 check');
const NAME_AAD = 'dta/keystore/v1 secret\0';
/** scrypt N = 2^17, r = 8, p = 1 (128 MiB, ~0.4 s): OWASP's recommendation for scrypt. */
const DEFAULT_SCRYPT_LOG_N = 17;
const MIN_SCRYPT_LOG_N = 14;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,119}$/;

interface Meta {
  version: 1;
  kdf: { name: 'scrypt'; logN: number; r: number; p: number; salt: string };
  check: string; // base64: nonce || AES-GCM(kek, 32 zero bytes)
}

export interface CreateOptions {
  /** scrypt cost as log2(N); default 17, at least 14. */
  scryptLogN?: number;
}

function assertName(name: string): void {
  if (!NAME_RE.test(name) || name.includes('..')) throw new TypeError(`keystore: bad secret name "${name}"`);
}

/** File name of a secret: the hex of its name (safe on case-insensitive file systems). */
const fileOf = (dir: string, name: string): string => join(dir, `${Buffer.from(name, 'utf8').toString('hex')}.key`);

function deriveKek(secret: Uint8Array, kdf: Meta['kdf']): Promise<KeyObject> {
  const N = 2 ** kdf.logN;
  return new Promise((resolve, reject) => {
    scrypt(
      secret,
      Buffer.from(kdf.salt, 'base64'),
      32,
      { N, r: kdf.r, p: kdf.p, maxmem: 256 * N * kdf.r },
      (err, key) => {
        if (err) return reject(err);
        const kek = createSecretKey(key);
        key.fill(0);
        resolve(kek);
      },
    );
  });
}

function seal(kek: KeyObject, aad: Uint8Array, plaintext: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE);
  const c = createCipheriv('aes-256-gcm', kek, nonce);
  c.setAAD(aad);
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([nonce, body, c.getAuthTag()]);
}

/** Opens nonce || ciphertext || tag; undefined when the tag does not verify. */
function open(kek: KeyObject, aad: Uint8Array, sealed: Uint8Array): Buffer | undefined {
  if (sealed.length < NONCE + TAG) return undefined;
  const d = createDecipheriv('aes-256-gcm', kek, sealed.subarray(0, NONCE));
  d.setAAD(aad);
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([d.update(sealed.subarray(NONCE, sealed.length - TAG)), d.final()]);
  } catch {
    return undefined;
  }
}

export class FileKeystore implements Keystore {
  readonly kind = 'file';
  readonly dir: string;
  #kek: KeyObject | undefined;

  private constructor(dir: string, kek: KeyObject) {
    this.dir = dir;
    this.#kek = kek;
  }

  /** True when `dir` already holds a keystore. */
  static async exists(dir: string): Promise<boolean> {
    return (await readIfExists(join(dir, 'meta.json'))) !== undefined;
  }

  /** Creates a new, empty keystore; refuses to touch an existing one. */
  static async create(dir: string, passphrase: Uint8Array, options: CreateOptions = {}): Promise<FileKeystore> {
    const logN = options.scryptLogN ?? DEFAULT_SCRYPT_LOG_N;
    if (!Number.isInteger(logN) || logN < MIN_SCRYPT_LOG_N || logN > 22)
      throw new RangeError(`keystore: scrypt log2(N) must be in ${MIN_SCRYPT_LOG_N}..22`);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const kdf: Meta['kdf'] = { name: 'scrypt', logN, r: 8, p: 1, salt: randomBytes(16).toString('base64') };
    const kek = await deriveKek(passphrase, kdf);
    const meta: Meta = { version: 1, kdf, check: seal(kek, CHECK_AAD, new Uint8Array(32)).toString('base64') };
    if (!(await createDurable(join(dir, 'meta.json'), new TextEncoder().encode(JSON.stringify(meta, null, 2))))) {
      throw new KeyExistsError('meta.json');
    }
    return new FileKeystore(dir, kek);
  }

  /** Opens an existing keystore; WrongPassphraseError when the check value does not open. */
  static async open(dir: string, passphrase: Uint8Array): Promise<FileKeystore> {
    const text = await readIfExists(join(dir, 'meta.json'));
    if (!text) throw new KeystoreCorruptError(`keystore: no keystore in ${dir}`);
    let meta: Meta;
    try {
      meta = JSON.parse(text.toString('utf8')) as Meta;
    } catch {
      throw new KeystoreCorruptError('keystore: meta.json is not valid JSON');
    }
    const k = meta?.kdf;
    if (
      meta?.version !== 1 ||
      k?.name !== 'scrypt' ||
      !Number.isInteger(k.logN) ||
      k.logN < MIN_SCRYPT_LOG_N ||
      k.logN > 22 ||
      k.r !== 8 ||
      k.p !== 1 ||
      typeof k.salt !== 'string' ||
      typeof meta.check !== 'string'
    ) {
      throw new KeystoreCorruptError('keystore: meta.json has unknown parameters');
    }
    const kek = await deriveKek(passphrase, k);
    const check = open(kek, CHECK_AAD, Buffer.from(meta.check, 'base64'));
    if (!check || !timingSafeEqual(check, Buffer.alloc(32))) throw new WrongPassphraseError();
    await sweepTemps(dir);
    return new FileKeystore(dir, kek);
  }

  #key(): KeyObject {
    if (!this.#kek) throw new Error('keystore: closed');
    return this.#kek;
  }

  async put(name: string, secret: Uint8Array): Promise<void> {
    assertName(name);
    const sealed = seal(this.#key(), new TextEncoder().encode(NAME_AAD + name), secret);
    if (await createDurable(fileOf(this.dir, name), Buffer.concat([Buffer.of(MAGIC), sealed]))) return;
    const existing = await this.get(name);
    const same = existing !== undefined && existing.length === secret.length && timingSafeEqual(existing, secret);
    existing?.fill(0);
    if (!same) throw new KeyExistsError(name);
  }

  async get(name: string): Promise<Buffer | undefined> {
    assertName(name);
    const bytes = await readIfExists(fileOf(this.dir, name));
    if (!bytes) return undefined;
    const plain =
      bytes[0] === MAGIC ? open(this.#key(), new TextEncoder().encode(NAME_AAD + name), bytes.subarray(1)) : undefined;
    if (!plain) throw new KeystoreCorruptError(`keystore: "${name}" does not decrypt (damaged or moved file)`);
    return plain;
  }

  async has(name: string): Promise<boolean> {
    assertName(name);
    return (await readIfExists(fileOf(this.dir, name))) !== undefined;
  }

  async list(prefix: string): Promise<string[]> {
    const names: string[] = [];
    for (const file of await readdir(this.dir)) {
      if (!/^[0-9a-f]+\.key$/.test(file)) continue;
      const name = Buffer.from(file.slice(0, -4), 'hex').toString('utf8');
      if (name.startsWith(prefix)) names.push(name);
    }
    return names.sort();
  }

  /** Deleting is explicit and final (a moved share), never a silent replacement: the file is zeroed, then unlinked. */
  async delete(name: string): Promise<void> {
    assertName(name);
    await removeDurable(fileOf(this.dir, name));
  }

  async close(): Promise<void> {
    this.#kek = undefined;
  }
}

/** A view of `store` restricted to names under `<prefix>/`. */
export function scopeKeystore(store: Keystore, prefix: string): ScopedKeystore {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(prefix)) throw new TypeError(`keystore: bad scope "${prefix}"`);
  const full = (name: string): string => {
    if (name.length === 0 || name.startsWith('/')) throw new TypeError('keystore: bad secret name');
    return `${prefix}/${name}`;
  };
  return {
    put: (name, secret) => store.put(full(name), secret),
    get: (name) => store.get(full(name)),
    has: (name) => store.has(full(name)),
    list: async (under) => (await store.list(`${prefix}/${under}`)).map((name) => name.slice(prefix.length + 1)),
    ...(store.delete ? { delete: (name: string) => store.delete!(full(name)) } : {}),
  };
}
