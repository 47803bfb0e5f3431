/**
 * A node's (or a client's) home directory: the keystore holding the
 * identity seed, and the signed identity document. `initHome` creates both
 * and refuses to touch a home that already has either; `openHome` unlocks
 * the keystore, re-derives the identity secrets and checks that they are
 * the ones the stored document was made from.
 *
 * The identity seed (32 bytes, keystore name "node/seed") is the only
 * identity secret at rest: both the BLS key and the X-Wing seed are derived
 * from it (protocol/keys.ts), so a backup of the seed restores the identity.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createIdentity, generateIdentitySecrets, readIdentity } from '../core/protocol/index.ts';
import type { IdentityDocument, IdentitySecrets, Verified } from '../core/protocol/types.ts';
import type { Core } from '../core/types.ts';
import { homePaths } from './config.ts';
import { createDurable, readIfExists } from './fsutil.ts';
import { FileKeystore } from './keystore/file-keystore.ts';
import type { KeystoreSettings } from './keystore/settings.ts';
import type { Keystore } from './keystore/types.ts';
import {
  createKeystore,
  fileKeystorePlace,
  type KeystoreCreateOptions,
  type KeystorePlace,
  openKeystore,
} from './keystore/unlock.ts';
import { bindsLog, type LogKeys, logKeysFromSeed } from './log/binding.ts';

const SEED_KEY = 'node/seed';

class HomeError extends Error {
  override name = 'HomeError';
}

export interface NodeHome {
  readonly dir: string;
  readonly keystore: Keystore;
  readonly identity: Verified<IdentityDocument>;
  readonly secrets: IdentitySecrets;
  /** The transparency log's keys, derived from the seed too (log/binding.ts). */
  readonly log: LogKeys;
}

export interface Endpoints {
  readonly http?: readonly string[];
  readonly libp2p?: readonly string[];
}

/** Which keystore a home has (default: a passphrase keystore in `<home>/keystore`). */
export interface KeystoreOptions {
  /** config.json's `keystore`: a passphrase (file) or a PKCS#11 token (the secret is then the PIN). */
  readonly keystore?: KeystoreSettings;
  /** Where the sealed records and the sealer's meta live, when not in `<home>/keystore` (a storage backend). */
  readonly place?: KeystorePlace;
  /** Where the identity document lives, when not in `<home>/identity.cbor` (a storage backend's HomeRecords). */
  readonly identityDocument?: {
    read(): Promise<Uint8Array | undefined>;
    /** false when one exists (never replaced). */
    create(bytes: Uint8Array): Promise<boolean>;
  };
}

export interface InitOptions extends KeystoreCreateOptions, KeystoreOptions {
  readonly name: string;
  /** The endpoints to advertise, or a function computing them from the new keystore (e.g. the libp2p peer id). */
  readonly endpoints?: Endpoints | ((keystore: Keystore) => Promise<Endpoints>);
  readonly plugins?: readonly string[];
}

/** True when `dir` already holds an identity or a keystore. */
export async function homeExists(dir: string): Promise<boolean> {
  const p = homePaths(dir);
  return (await readIfExists(p.identity)) !== undefined || (await FileKeystore.exists(p.keystore));
}

/** Creates keys and identity document in a fresh home; HomeError if one exists (never overwrites). */
export async function initHome(
  core: Core,
  dir: string,
  passphrase: Uint8Array,
  options: InitOptions,
): Promise<NodeHome> {
  const p = homePaths(dir);
  if (await homeExists(dir)) throw new HomeError(`${dir} already holds an identity; refusing to overwrite it`);
  const place = options.place ?? (await fileKeystorePlace(p.keystore));
  const keystore = await createKeystore(place, options.keystore ?? { kind: 'file' }, passphrase, options);
  const seed = randomBytes(32);
  await keystore.put(SEED_KEY, seed);
  const secrets = await generateIdentitySecrets(core.bls, seed);
  const log = logKeysFromSeed(seed);
  seed.fill(0);
  const endpoints = typeof options.endpoints === 'function' ? await options.endpoints(keystore) : options.endpoints;
  const identity = await createIdentity(core.bls, secrets, {
    name: options.name,
    ...(endpoints && (endpoints.http || endpoints.libp2p) ? { endpoints } : {}),
    ...(options.plugins ? { plugins: options.plugins } : {}),
    log: { origin: log.origin, key: log.publicKey },
  });
  const written = options.identityDocument
    ? await options.identityDocument.create(identity.bytes)
    : await createDurable(p.identity, identity.bytes, 0o644);
  if (!written) throw new HomeError(`${p.identity} appeared while creating it`);
  return { dir, keystore, identity, secrets, log };
}

/** Unlocks an existing home (`passphrase`: the PIN when the keystore is in a PKCS#11 token). */
export async function openHome(
  core: Core,
  dir: string,
  passphrase: Uint8Array,
  options: KeystoreOptions = {},
): Promise<NodeHome> {
  const p = homePaths(dir);
  const docBytes = options.identityDocument ? await options.identityDocument.read() : await readIfExists(p.identity);
  if (!docBytes) throw new HomeError(`${dir} holds no identity: run \`dta init --home ${dir}\` first`);
  const identity = await readIdentity(core.bls, new Uint8Array(docBytes));
  const keystore = await openKeystore(
    options.place ?? (await fileKeystorePlace(p.keystore)),
    options.keystore,
    passphrase,
  );
  try {
    return { dir, keystore, identity, ...(await identityKeys(core, dir, identity, keystore)) };
  } catch (err) {
    await keystore.close(); // a token keystore holds a logged-in session until closed
    throw err;
  }
}

/** The identity secrets and log keys from the keystore's seed, checked against the identity document. */
async function identityKeys(
  core: Core,
  dir: string,
  identity: Verified<IdentityDocument>,
  keystore: Keystore,
): Promise<{ secrets: IdentitySecrets; log: LogKeys }> {
  const seed = await keystore.get(SEED_KEY);
  if (!seed) throw new HomeError(`the keystore in ${dir} has no identity seed`);
  const secrets = await generateIdentitySecrets(core.bls, seed);
  const log = logKeysFromSeed(seed);
  seed.fill(0);
  const pk = core.bls.skToPk(secrets.bls);
  if (Buffer.compare(Buffer.from(pk), Buffer.from(identity.value.keys.bls)) !== 0) {
    throw new HomeError(`the keystore in ${dir} does not hold the keys of its identity document`);
  }
  try {
    bindsLog(identity.value, log); // a home made before logs binds none: its statement does (log/binding.ts)
  } catch {
    throw new HomeError(`the identity document in ${dir} binds another log key than its keystore gives`);
  }
  return { secrets, log };
}

/** The identity document of a home without unlocking it (for `dta status`). */
export async function readHomeIdentity(core: Core, dir: string): Promise<Verified<IdentityDocument> | undefined> {
  const docBytes = await readIfExists(homePaths(dir).identity);
  return docBytes ? readIdentity(core.bls, new Uint8Array(docBytes)) : undefined;
}
