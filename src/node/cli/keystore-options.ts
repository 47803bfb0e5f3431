/**
 * `dta init --keystore pkcs11 …`: the flags that choose where the node's
 * key-encryption key lives, and what unlocks it at `dta init` and
 * `dta serve` (the passphrase, or the token's user PIN). Flags given at
 * init are written into config.json's `keystore`, so `dta serve` opens the
 * same token and key.
 * @module
 */
import { isDeepStrictEqual } from 'node:util';
import { type Check, SchemaPathError } from '../../core/schema.ts';
import { homePaths, type NodeConfig } from '../config.ts';
import { readIfExists, writeDurable } from '../fsutil.ts';
import type { Passphrase } from '../keystore/passphrase.ts';
import { getPkcs11Pin } from '../keystore/pkcs11-pin.ts';
import { DEFAULT_KEY_LABEL, type KeystoreSettings, keystoreSettings } from '../keystore/settings.ts';
import { UsageError } from './main.ts';

type Values = Record<string, string | boolean | undefined>;

export const KEYSTORE_OPTIONS = {
  keystore: { type: 'string' },
  'pkcs11-module': { type: 'string' },
  'token-label': { type: 'string' },
  'key-label': { type: 'string' },
  'pin-file': { type: 'string' },
  'use-existing-key': { type: 'boolean' },
} as const;

export const KEYSTORE_USAGE =
  '[--keystore file | --keystore pkcs11 --pkcs11-module <library> --token-label <label> [--key-label <label>] ' +
  '[--pin-file <path>] [--use-existing-key]]';

const PKCS11_FLAGS = ['pkcs11-module', 'token-label', 'key-label', 'pin-file'] as const;

function checkedFlags(check: Check<KeystoreSettings>, value: unknown): KeystoreSettings {
  try {
    return check(value, '');
  } catch (e) {
    if (!(e instanceof SchemaPathError)) throw e;
    const flag = { module: '--pkcs11-module', tokenLabel: '--token-label', keyLabel: '--key-label' }[e.path];
    throw new UsageError(`${flag ?? '--keystore'}: ${e.problem}`);
  }
}

/** The keystore `dta init` creates: from the flags when --keystore is given, else config.json's. */
export function keystoreForInit(config: NodeConfig, v: Values): KeystoreSettings {
  if (v.keystore === undefined) {
    const stray = PKCS11_FLAGS.find((f) => v[f] !== undefined);
    if (stray) throw new UsageError(`--${stray} goes with --keystore pkcs11`);
    return config.keystore;
  }
  if (v.keystore !== 'file' && v.keystore !== 'pkcs11') throw new UsageError('--keystore: expected file or pkcs11');
  const fromConfig = config.keystore.kind === 'pkcs11' ? config.keystore : undefined;
  const str = (flag: string): string | undefined => (typeof v[flag] === 'string' ? (v[flag] as string) : undefined);
  const settings =
    v.keystore === 'file'
      ? ({ kind: 'file' } as const)
      : checkedFlags(keystoreSettings, {
          kind: 'pkcs11',
          module: str('pkcs11-module') ?? fromConfig?.module,
          tokenLabel: str('token-label') ?? fromConfig?.tokenLabel,
          keyLabel: str('key-label') ?? fromConfig?.keyLabel ?? DEFAULT_KEY_LABEL,
          pinFile: str('pin-file') ?? fromConfig?.pinFile,
        });
  if (config.keystore.kind !== 'file' && !isDeepStrictEqual(settings, config.keystore))
    throw new UsageError('the flags name another keystore than config.json\'s "keystore": change one of them');
  return settings;
}

/** Writes `settings` into config.json's `keystore` when they are not what it says already; the line to print. */
export async function rememberKeystore(config: NodeConfig, settings: KeystoreSettings): Promise<string | undefined> {
  if (isDeepStrictEqual(settings, config.keystore)) return undefined;
  const path = homePaths(config.home).config;
  const text = await readIfExists(path);
  const json = text ? (JSON.parse(text.toString('utf8')) as Record<string, unknown>) : {};
  await writeDurable(path, `${JSON.stringify({ ...json, keystore: settings }, null, 2)}\n`, 0o600);
  return `dta: wrote "keystore" (${settings.kind}) to ${path}`;
}

/** What unlocks the keystore: the token's user PIN for a PKCS#11 keystore, else the passphrase. */
export function unlockingSecret(
  settings: KeystoreSettings,
  passphrase: () => Promise<Passphrase>,
): Promise<Passphrase> {
  return settings.kind === 'pkcs11' ? getPkcs11Pin(settings) : passphrase();
}
