/**
 * What the client command sets (client-commands.ts, custody-commands.ts) read from the command line and the
 * home: flag values, a secret from a file or stdin, and this home's identity unlocked for signing.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { keySigner, type Signer } from '../../core/api/signer.ts';
import type { Core } from '../../core/types.ts';
import { loadConfig } from '../config.ts';
import { openHome } from '../home.ts';
import { getPassphrase } from '../keystore/passphrase.ts';
import { unlockingSecret } from './keystore-options.ts';
import { UsageError } from './main.ts';

export type Values = Record<string, string | boolean | undefined>;

/** The flag's value when it was given as a string. */
export const str = (v: Values, key: string): string | undefined =>
  typeof v[key] === 'string' ? (v[key] as string) : undefined;

/** The flag's value, or a usage error naming it. */
export function need(v: Values, key: string): string {
  const value = str(v, key);
  if (value === undefined) throw new UsageError(`--${key} is required`);
  return value;
}

/** The `--nodes` URLs, comma-separated, in session order (empty items from a stray comma dropped). */
export const nodeUrls = (v: Values): string[] =>
  need(v, 'nodes')
    .split(',')
    .filter((u) => u !== '');

/** A secret's bytes from a file, or from stdin for `-` (secrets never come from arguments). */
export async function readSecret(path: string): Promise<Uint8Array> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  }
  return new Uint8Array(await readFile(path));
}

/** This home's identity (--home, --key-file), unlocked: its request signer and a BLS signing function. */
export async function unlockHome(v: Values, core: Core): Promise<{ me: Signer; sign: (m: Uint8Array) => Uint8Array }> {
  const config = await loadConfig(str(v, 'home') ? { home: str(v, 'home')! } : {});
  const passphrase = await unlockingSecret(config.keystore, () =>
    getPassphrase(str(v, 'key-file') ? { keyFile: str(v, 'key-file')! } : {}),
  );
  const home = await openHome(core, config.home, passphrase.bytes, { keystore: config.keystore });
  await home.keystore.close();
  const me = keySigner(core.bls, { identity: home.identity, secrets: home.secrets });
  return { me, sign: (m: Uint8Array) => core.bls.sign(home.secrets.bls, m) };
}
