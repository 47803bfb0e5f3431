/**
 * Creating and opening a node's keystore, whichever sealer the
 * configuration names (keystore/settings.ts) and wherever its records live
 * (files under the home, or rows that a storage backend provides): the
 * sealer is created or opened from the meta document, then composed with
 * the records by SealedKeystore. The secret that unlocks it is the
 * passphrase for a file keystore and the user PIN for a PKCS#11 token; it is
 * wiped here once used.
 * @module
 */
import { KeystoreCorruptError, KeystoreTokenError } from './errors.ts';
import { FileKeystoreMeta } from './file-meta.ts';
import { FileRecords } from './file-records.ts';
import { type CreateOptions, PassphraseSealer } from './passphrase-sealer.ts';
import type { Pkcs11CreateOptions } from './pkcs11-sealer.ts';
import { SealedKeystore } from './sealed-keystore.ts';
import { DEFAULT_KEYSTORE, type KeystoreSettings } from './settings.ts';
import type { Keystore, KeystoreMeta, SealedRecords, SecretSealer } from './types.ts';

/** Where a keystore's two stored parts live: the sealed records and the sealer's meta document. */
export interface KeystorePlace {
  readonly records: SealedRecords;
  readonly meta: KeystoreMeta;
}

export interface KeystoreCreateOptions extends CreateOptions, Pkcs11CreateOptions {}

/** The keystore directory of a file home (`<home>/keystore`): records as files, meta as meta.json. */
export async function fileKeystorePlace(dir: string): Promise<KeystorePlace> {
  return { records: await FileRecords.open(dir), meta: new FileKeystoreMeta(dir) };
}

// The PKCS#11 sealer is imported only when configured: a node without a token never loads pkcs11js.
const pkcs11Sealer = async () => (await import('./pkcs11-sealer.ts')).Pkcs11Sealer;

/** A new keystore in `place`, sealed as `settings` say; refuses when `place` already holds one. */
export async function createKeystore(
  place: KeystorePlace,
  settings: KeystoreSettings,
  secret: Uint8Array,
  options: KeystoreCreateOptions = {},
): Promise<Keystore> {
  const sealer: SecretSealer =
    settings.kind === 'pkcs11'
      ? await (await pkcs11Sealer()).create(place.meta, settings, secret, options)
      : await PassphraseSealer.create(place.meta, secret, options);
  return new SealedKeystore(sealer, place.records);
}

/** The keystore in `place`; errors say plainly when it was made with another kind of sealer than configured. */
export async function openKeystore(
  place: KeystorePlace,
  settings: KeystoreSettings = DEFAULT_KEYSTORE,
  secret: Uint8Array,
): Promise<Keystore> {
  const doc = await place.meta.read();
  if (!doc) throw new KeystoreCorruptError('keystore: no keystore here (its meta document is missing)');
  const made = doc.kind === 'pkcs11' ? 'pkcs11' : 'file';
  if (made !== settings.kind) {
    const token = `key "${String(doc.keyLabel)}" in PKCS#11 token "${String(doc.tokenLabel)}"`;
    throw new KeystoreTokenError(
      'wrong_kind',
      made === 'pkcs11'
        ? `this keystore is sealed by ${token}: set "keystore": {"kind": "pkcs11", …} in config.json`
        : 'this keystore is sealed with a passphrase, but config.json sets "keystore" to a PKCS#11 token',
    );
  }
  const sealer: SecretSealer =
    settings.kind === 'pkcs11'
      ? await (await pkcs11Sealer()).open(doc, settings, secret)
      : await PassphraseSealer.open(doc, secret);
  return new SealedKeystore(sealer, place.records);
}
