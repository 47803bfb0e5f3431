/**
 * Where the user PIN of a PKCS#11 keystore comes from: the DTA_PKCS11_PIN
 * environment variable (deleted from `process.env` once read, so child
 * processes and environment dumps do not see it), else the keystore's
 * `pinFile`, which must be readable by its owner only (like ssh refuses a
 * private key others can read). Never from a command-line argument.
 * @module
 */
import { stat } from 'node:fs/promises';
import { readIfExists } from '../fsutil.ts';
import { KeystoreTokenError } from './errors.ts';
import type { Passphrase } from './passphrase.ts';
import type { Pkcs11Settings } from './settings.ts';

async function readPinFile(path: string): Promise<Uint8Array> {
  const bytes = await readIfExists(path);
  if (!bytes) throw new KeystoreTokenError('no_pin', `pin file ${path} does not exist`);
  if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) {
    bytes.fill(0);
    throw new KeystoreTokenError('pin_file_readable', `pin file ${path} is readable by other users; chmod 600 it`);
  }
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--; // the file's final newline
  const pin = Uint8Array.from(bytes.subarray(0, end));
  bytes.fill(0);
  if (pin.length === 0) throw new KeystoreTokenError('no_pin', `pin file ${path} is empty`);
  return pin;
}

/** The user PIN for the token `settings` names (see the module comment). */
export async function getPkcs11Pin(
  settings: Pkcs11Settings,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Passphrase> {
  const value = env.DTA_PKCS11_PIN;
  delete env.DTA_PKCS11_PIN;
  if (value !== undefined && value !== '') return { bytes: new TextEncoder().encode(value), source: 'DTA_PKCS11_PIN' };
  if (settings.pinFile !== undefined)
    return { bytes: await readPinFile(settings.pinFile), source: `pin file ${settings.pinFile}` };
  throw new KeystoreTokenError(
    'no_pin',
    `no PIN for token "${settings.tokenLabel}": set DTA_PKCS11_PIN or "pinFile" in config.json's "keystore"`,
  );
}
