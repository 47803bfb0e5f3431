/**
 * The default keystore: a passphrase sealer (passphrase-sealer.ts: scrypt
 * KEK, AES-256-GCM per secret, `meta.json` with the KDF parameters and a
 * check value) over file records (file-records.ts: one durable file per
 * secret under `<home>/keystore/`), composed by SealedKeystore. The files
 * are byte for byte what they always were, so every existing home opens.
 * @module
 */
import { KeystoreCorruptError } from './errors.ts';
import { FileKeystoreMeta } from './file-meta.ts';
import { FileRecords } from './file-records.ts';
import { type CreateOptions, PassphraseSealer } from './passphrase-sealer.ts';
import { SealedKeystore } from './sealed-keystore.ts';
import type { Keystore, ScopedKeystore } from './types.ts';

export type { CreateOptions } from './passphrase-sealer.ts';

export class FileKeystore extends SealedKeystore {
  readonly dir: string;

  private constructor(dir: string, sealer: PassphraseSealer, records: FileRecords) {
    super(sealer, records);
    this.dir = dir;
  }

  /** True when `dir` already holds a keystore (of any sealer: its meta document is there). */
  static async exists(dir: string): Promise<boolean> {
    return (await new FileKeystoreMeta(dir).read()) !== undefined;
  }

  /** Creates a new, empty keystore; refuses to touch an existing one. */
  static async create(dir: string, passphrase: Uint8Array, options: CreateOptions = {}): Promise<FileKeystore> {
    const sealer = await PassphraseSealer.create(new FileKeystoreMeta(dir), passphrase, options);
    return new FileKeystore(dir, sealer, await FileRecords.open(dir));
  }

  /** Opens an existing keystore; WrongPassphraseError when the check value does not open. */
  static async open(dir: string, passphrase: Uint8Array): Promise<FileKeystore> {
    const doc = await new FileKeystoreMeta(dir).read();
    if (!doc) throw new KeystoreCorruptError(`keystore: no keystore in ${dir}`);
    const sealer = await PassphraseSealer.open(doc, passphrase);
    return new FileKeystore(dir, sealer, await FileRecords.open(dir));
  }

  /** The passphrase sealer opens into a Buffer, which callers of the file keystore have always had. */
  override get(name: string): Promise<Buffer | undefined> {
    return super.get(name) as Promise<Buffer | undefined>;
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
