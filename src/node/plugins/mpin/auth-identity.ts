/**
 * The authentication server's own identity. A plugin never signs as its
 * node (PluginContext gives it no node key), so the authentication server
 * has an identity of its own: a seed drawn once and kept in the plugin's
 * keystore ("auth/seed"), its keys derived from the seed as for any dta
 * identity, and its signed identity document kept beside it
 * ("auth/identity"). Issuing nodes list this identity's CID to register
 * the server (config.ts); it signs the server-secret requests and the
 * shares come back sealed to it.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createIdentity, generateIdentitySecrets, readIdentity } from '../../../core/protocol/index.ts';
import type { IdentityDocument, IdentitySecrets, Verified } from '../../../core/protocol/types.ts';
import type { Core } from '../../../core/types.ts';
import type { ScopedKeystore } from '../../keystore/types.ts';

const SEED = 'auth/seed';
const DOCUMENT = 'auth/identity';
const AUTH_SERVER_NAME = 'mpin authentication server';

export interface AuthIdentity {
  readonly identity: Verified<IdentityDocument>;
  readonly secrets: IdentitySecrets;
}

/** Stores `value` under `name` unless something is there already; returns what is kept. */
async function keep(keystore: ScopedKeystore, name: string, value: Uint8Array): Promise<Uint8Array> {
  const kept = await keystore.get(name);
  if (kept !== undefined) return kept;
  await keystore.put(name, value);
  return value;
}

/** The identity, created (and on disk) the first time. */
export async function loadAuthIdentity(core: Core, keystore: ScopedKeystore): Promise<AuthIdentity> {
  const fresh = randomBytes(32);
  const seed = Uint8Array.from(await keep(keystore, SEED, fresh));
  fresh.fill(0);
  const secrets = await generateIdentitySecrets(core.bls, seed);
  seed.fill(0);
  let doc = await keystore.get(DOCUMENT);
  if (doc === undefined) {
    const made = await createIdentity(core.bls, secrets, { name: AUTH_SERVER_NAME });
    doc = await keep(keystore, DOCUMENT, made.bytes);
  }
  const identity = await readIdentity(core.bls, doc);
  if (Buffer.compare(Buffer.from(identity.value.keys.bls), Buffer.from(core.bls.skToPk(secrets.bls))) !== 0) {
    throw new Error('mpin: the stored authentication-server identity does not match its seed');
  }
  return { identity, secrets };
}
