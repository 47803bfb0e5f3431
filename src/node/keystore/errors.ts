/**
 * Keystore errors. Messages name the secret (its name is not secret) and
 * never carry its bytes.
 * @module
 */

/** A `put` of an existing name with different bytes: a committed secret is never replaced. */
export class KeyExistsError extends Error {
  override name = 'KeyExistsError';
  readonly key: string;
  constructor(key: string) {
    super(`keystore: "${key}" already holds a different secret`);
    this.key = key;
  }
}

/** The passphrase (or key file) does not open this keystore. */
export class WrongPassphraseError extends Error {
  override name = 'WrongPassphraseError';
  constructor() {
    super('keystore: wrong passphrase or key file');
  }
}

/** A keystore file is unreadable, truncated or was tampered with. */
export class KeystoreCorruptError extends Error {
  override name = 'KeystoreCorruptError';
}

/** No passphrase could be obtained (no DTA_PASSPHRASE, no key file, no terminal). */
export class NoPassphraseError extends Error {
  override name = 'NoPassphraseError';
}
