/**
 * The passphrase sealer: the key-encryption key is derived once, when the
 * keystore is opened, with scrypt (RFC 7914) from the passphrase or the
 * contents of a key file; each secret is sealed with AES-256-GCM under a
 * fresh random nonce, with the secret's name as associated data so records
 * cannot be swapped or renamed. Its meta document holds the KDF parameters
 * and a check value that tells a wrong passphrase from a damaged record.
 *
 * Sealed form (format 1, unchanged since the first file keystore):
 * 0x01 || nonce (12) || ciphertext || tag (16).
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
import { KeyExistsError, KeystoreCorruptError, WrongPassphraseError } from './errors.ts';
import type { KeystoreMeta, SecretSealer } from './types.ts';

const FORMAT = 0x01;
const NONCE = 12;
const TAG = 16;
const CHECK_AAD = new TextEncoder().encode('dta/keystore/v1 check');
const NAME_AAD = 'dta/keystore/v1 secret\0';
/** scrypt N = 2^17, r = 8, p = 1 (128 MiB, ~0.4 s): OWASP's recommendation for scrypt. */
const DEFAULT_SCRYPT_LOG_N = 17;
const MIN_SCRYPT_LOG_N = 14;
const MAX_SCRYPT_LOG_N = 22;

interface Kdf {
  name: 'scrypt';
  logN: number;
  r: number;
  p: number;
  salt: string;
}

/** The meta document (`meta.json` in a file home). */
interface PassphraseMeta {
  version: 1;
  kdf: Kdf;
  check: string; // base64: nonce || AES-GCM(kek, 32 zero bytes)
}

export interface CreateOptions {
  /** scrypt cost as log2(N); default 17, at least 14. */
  scryptLogN?: number;
}

const nameAad = (name: string): Uint8Array => new TextEncoder().encode(NAME_AAD + name);

function deriveKek(secret: Uint8Array, kdf: Kdf): Promise<KeyObject> {
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

/** nonce || ciphertext || tag. */
function gcmSeal(kek: KeyObject, aad: Uint8Array, plaintext: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE);
  const c = createCipheriv('aes-256-gcm', kek, nonce);
  c.setAAD(aad);
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([nonce, body, c.getAuthTag()]);
}

/** Opens nonce || ciphertext || tag; undefined when the tag does not verify. */
function gcmOpen(kek: KeyObject, aad: Uint8Array, sealed: Uint8Array): Buffer | undefined {
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

/** The meta document's KDF parameters, checked (a tampered document must not make scrypt run away). */
function kdfOf(doc: Record<string, unknown>): { kdf: Kdf; check: string } {
  const meta = doc as Partial<PassphraseMeta> & { kind?: unknown };
  const k = meta.kdf;
  if (
    meta.version !== 1 ||
    meta.kind !== undefined ||
    k?.name !== 'scrypt' ||
    !Number.isInteger(k.logN) ||
    k.logN < MIN_SCRYPT_LOG_N ||
    k.logN > MAX_SCRYPT_LOG_N ||
    k.r !== 8 ||
    k.p !== 1 ||
    typeof k.salt !== 'string' ||
    typeof meta.check !== 'string'
  ) {
    throw new KeystoreCorruptError('keystore: meta.json has unknown parameters');
  }
  return { kdf: k, check: meta.check };
}

export class PassphraseSealer implements SecretSealer {
  readonly kind = 'file';
  #kek: KeyObject | undefined;

  private constructor(kek: KeyObject) {
    this.#kek = kek;
  }

  /** A new KEK under a fresh salt; refuses when `meta` already holds a document (never overwrites). */
  static async create(
    meta: KeystoreMeta,
    passphrase: Uint8Array,
    options: CreateOptions = {},
  ): Promise<PassphraseSealer> {
    const logN = options.scryptLogN ?? DEFAULT_SCRYPT_LOG_N;
    if (!Number.isInteger(logN) || logN < MIN_SCRYPT_LOG_N || logN > MAX_SCRYPT_LOG_N)
      throw new RangeError(`keystore: scrypt log2(N) must be in ${MIN_SCRYPT_LOG_N}..${MAX_SCRYPT_LOG_N}`);
    const kdf: Kdf = { name: 'scrypt', logN, r: 8, p: 1, salt: randomBytes(16).toString('base64') };
    const kek = await deriveKek(passphrase, kdf);
    const doc: PassphraseMeta = {
      version: 1,
      kdf,
      check: gcmSeal(kek, CHECK_AAD, new Uint8Array(32)).toString('base64'),
    };
    if (!(await meta.create(doc as unknown as Record<string, unknown>))) throw new KeyExistsError('meta.json');
    return new PassphraseSealer(kek);
  }

  /** The KEK of an existing keystore; WrongPassphraseError when the check value does not open. */
  static async open(doc: Record<string, unknown>, passphrase: Uint8Array): Promise<PassphraseSealer> {
    const { kdf, check } = kdfOf(doc);
    const kek = await deriveKek(passphrase, kdf);
    const zeros = gcmOpen(kek, CHECK_AAD, Buffer.from(check, 'base64'));
    if (zeros?.length !== 32 || !timingSafeEqual(zeros, Buffer.alloc(32))) throw new WrongPassphraseError();
    return new PassphraseSealer(kek);
  }

  #key(): KeyObject {
    if (!this.#kek) throw new Error('keystore: closed');
    return this.#kek;
  }

  async seal(name: string, secret: Uint8Array): Promise<Uint8Array> {
    return Buffer.concat([Buffer.of(FORMAT), gcmSeal(this.#key(), nameAad(name), secret)]);
  }

  async open(name: string, sealed: Uint8Array): Promise<Buffer> {
    const kek = this.#key();
    const plain = sealed[0] === FORMAT ? gcmOpen(kek, nameAad(name), sealed.subarray(1)) : undefined;
    if (!plain) throw new KeystoreCorruptError(`keystore: "${name}" does not decrypt (damaged or moved file)`);
    return plain;
  }

  async close(): Promise<void> {
    this.#kek = undefined;
  }
}
