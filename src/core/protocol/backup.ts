/**
 * The encrypted identity backup: the identity's secrets (and optionally its
 * CID) under a key derived from a passphrase with scrypt (RFC 7914) and
 * AES-256-GCM. A DAG-CBOR document:
 *   { type: "dta/identity-backup", version: 1,
 *     kdf: { name: "scrypt", salt (16), N, r, p }, nonce (12), ciphertext }
 * The AEAD's associated data is DAG-CBOR({type, version, kdf}), so the KDF
 * parameters cannot be weakened without the passphrase check failing.
 * Specified in docs/protocol.md#encrypted-identity-backup.
 * @module
 */
import { scryptAsync } from '@noble/hashes/scrypt.js';
import type { CID } from 'multiformats/cid';
import { randomBytes, wipe } from '../bytes.ts';
import { aes256gcm, NONCE_BYTES, TAG_BYTES } from '../crypto/aead.ts';
import { BadArgumentError } from '../errors.ts';
import { bytes, type Check, cid, integer, literal, nullable, struct } from '../schema.ts';
import { decodeStrict, encode } from './cbor.ts';
import { SchemaError } from './errors.ts';
import type { IdentitySecrets } from './types.ts';

export const BACKUP_TYPE = 'dta/identity-backup';
/** Defaults: N = 2^17, r = 8, p = 1 (128 MiB, about a second in a browser). */
export const SCRYPT_DEFAULTS = Object.freeze({ N: 1 << 17, r: 8, p: 1 });
const MAX_BACKUP_BYTES = 4096;

/** Bounds on read, so a crafted backup cannot ask for gigabytes or hours. */
const kdfSchema = struct({
  name: literal('scrypt'),
  salt: bytes(16),
  N: integer(1 << 10, 1 << 20),
  r: integer(1, 16),
  p: integer(1, 4),
});
type KdfParams = ReturnType<typeof kdfSchema>;

const backupSchema = struct({
  type: literal(BACKUP_TYPE),
  version: literal(1),
  kdf: kdfSchema,
  nonce: bytes(NONCE_BYTES),
  ciphertext: bytes({ min: TAG_BYTES, max: 1024 }),
});

const payloadSchema = struct({ bls: bytes(32), xwing: bytes(32), identity: nullable(cid) }) as Check<{
  bls: Uint8Array;
  xwing: Uint8Array;
  identity: CID | null;
}>;

function checkKdf(k: KdfParams): KdfParams {
  if ((k.N & (k.N - 1)) !== 0) throw new SchemaError('backup.kdf.N: expected a power of two');
  if (k.N * k.r > 1 << 21) throw new SchemaError('backup.kdf: N * r above 2^21 (more than 256 MiB)');
  return k;
}

async function deriveKey(passphrase: string, k: KdfParams): Promise<Uint8Array> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw new BadArgumentError('backup: empty passphrase');
  const pass = new TextEncoder().encode(passphrase.normalize('NFKC'));
  try {
    return await scryptAsync(pass, k.salt, { N: k.N, r: k.r, p: k.p, dkLen: 32 });
  } finally {
    wipe(pass);
  }
}

export interface BackupOptions {
  /** The identity's CID, stored with the secrets. */
  readonly identity?: CID;
  /** scrypt cost; defaults in SCRYPT_DEFAULTS (tests use smaller N). */
  readonly scrypt?: { readonly N?: number; readonly r?: number; readonly p?: number };
}

/** Encrypts `secrets` under `passphrase`; returns the backup document's bytes. */
export async function encryptBackup(
  secrets: IdentitySecrets,
  passphrase: string,
  options: BackupOptions = {},
): Promise<Uint8Array> {
  const kdf = checkKdf(
    kdfSchema({ name: 'scrypt', salt: randomBytes(16), ...SCRYPT_DEFAULTS, ...options.scrypt }, 'backup.kdf'),
  );
  const head = { type: BACKUP_TYPE, version: 1, kdf };
  const payload = encode(
    payloadSchema({ bls: secrets.bls, xwing: secrets.xwing, identity: options.identity ?? null }, 'backup'),
  );
  const key = await deriveKey(passphrase, kdf);
  const nonce = randomBytes(NONCE_BYTES);
  try {
    return encode({ ...head, nonce, ciphertext: aes256gcm.seal(key, nonce, encode(head), payload) }, MAX_BACKUP_BYTES);
  } finally {
    wipe(key, payload);
  }
}

/**
 * Decrypts a backup. Throws DecodeError/SchemaError for a document that is
 * not a backup (or asks for too much work), DecryptionError for a wrong
 * passphrase or altered bytes.
 */
export async function decryptBackup(
  backup: Uint8Array,
  passphrase: string,
): Promise<{ secrets: IdentitySecrets; identity: CID | null }> {
  const doc = backupSchema(decodeStrict(backup, MAX_BACKUP_BYTES), 'backup');
  const kdf = checkKdf(doc.kdf);
  const key = await deriveKey(passphrase, kdf);
  let payload: Uint8Array;
  try {
    payload = aes256gcm.open(key, doc.nonce, encode({ type: doc.type, version: doc.version, kdf }), doc.ciphertext);
  } finally {
    wipe(key);
  }
  const { bls, xwing, identity } = payloadSchema(decodeStrict(payload), 'backup payload');
  wipe(payload);
  return { secrets: { bls, xwing }, identity };
}
