/**
 * The `keystore` key of config.json: where the node's key-encryption key
 * lives. `{"kind": "file"}` (the default): derived from a passphrase.
 * `{"kind": "pkcs11", "module", "tokenLabel", "keyLabel", "pinFile"?}`: an
 * AES-256 key inside a PKCS#11 token (an HSM, or SoftHSM2), the user PIN
 * from DTA_PKCS11_PIN or `pinFile`.
 * @module
 */
import { type Check, fieldPath, oneOf, struct, text } from '../../core/schema.ts';

export interface Pkcs11Settings {
  readonly kind: 'pkcs11';
  /** Path of the token's PKCS#11 library (e.g. /usr/lib/softhsm/libsofthsm2.so). */
  readonly module: string;
  /** The token's label (CKA_LABEL of the token, at most 32 bytes). */
  readonly tokenLabel: string;
  /** The label of the key-encryption key inside the token. */
  readonly keyLabel: string;
  /** A file holding the user PIN (mode 0600); else DTA_PKCS11_PIN. */
  readonly pinFile?: string;
}

export type KeystoreSettings = { readonly kind: 'file' } | Pkcs11Settings;

export const DEFAULT_KEYSTORE: KeystoreSettings = { kind: 'file' };
/** The key label `dta init --keystore pkcs11` uses when none is given. */
export const DEFAULT_KEY_LABEL = 'dta-kek';

const path = text({ minBytes: 1, maxBytes: 4096, pattern: /^\//, what: 'an absolute path' });
const label = (maxBytes: number, what: string): Check<string> =>
  text({ minBytes: 1, maxBytes, pattern: /^[\x20-\x7e]*[\x21-\x7e]$/, what });

const FILE = struct({ kind: oneOf(['file'] as const) });
const PKCS11 = struct(
  {
    kind: oneOf(['pkcs11'] as const),
    module: path,
    tokenLabel: label(32, 'a token label (printable ASCII, no trailing space)'),
    keyLabel: label(64, 'a key label (printable ASCII, no trailing space)'),
  },
  { pinFile: path },
);
const KIND = oneOf(['file', 'pkcs11'] as const);

/** Checks the `keystore` object: its `kind` says which other fields it must have. */
export const keystoreSettings: Check<KeystoreSettings> = (v, at) => {
  const kind = typeof v === 'object' && v !== null ? (v as { kind?: unknown }).kind : undefined;
  if (kind === 'pkcs11') return PKCS11(v, at) as Pkcs11Settings;
  if (kind === 'file') return FILE(v, at);
  if (typeof v !== 'object' || v === null) return FILE(v, at); // throws "expected a map"
  KIND(kind, fieldPath(at, 'kind')); // throws: the kind is missing or unknown
  throw new TypeError('keystore: unreachable');
};
