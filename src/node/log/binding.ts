/**
 * Which log speaks for this node: the log key is derived from the identity seed (core/protocol/keys.ts), its
 * origin from the log key. New homes bind both in their identity document (`log: {origin, key}`); a home made
 * before logs keeps its identity (orders name its CID) and publishes the binding as a plain envelope of type
 * `dta/log-key` signed by its BLS key, made once and kept in `<home>/log/key-statement.cbor`
 * (docs/protocol.md#the-nodes-log).
 * @module
 */
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { LOG_KEY_STATEMENT_TYPE } from '../../core/api/log-proof.ts';
import { equalBytes, toHex } from '../../core/bytes.ts';
import { createEnvelope } from '../../core/protocol/envelope.ts';
import { deriveLogSecretKey } from '../../core/protocol/keys.ts';
import type { BlsSigner, IdentityDocument, Verified } from '../../core/protocol/types.ts';
import { createDurable, readIfExists } from '../fsutil.ts';

/** The log's keys and origin. The secret key stays in memory and is wiped when the node closes. */
export interface LogKeys {
  readonly origin: string;
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

const ORIGIN_PREFIX = 'dta.node/';

/**
 * `dta.node/<hex of the first 16 bytes of SHA-256(log public key)>`: unique to the key, stable across restarts
 * and changes of name or URL, and free of '+' and spaces so it is a valid note key name too.
 */
export function logOrigin(publicKey: Uint8Array): string {
  return ORIGIN_PREFIX + toHex(sha256(publicKey).subarray(0, 16));
}

/** The log keys of an identity seed. */
export function logKeysFromSeed(seed: Uint8Array): LogKeys {
  const secretKey = deriveLogSecretKey(seed);
  const publicKey = ed25519.getPublicKey(secretKey);
  return { origin: logOrigin(publicKey), publicKey, secretKey };
}

/** True when `identity` binds these log keys; false when it binds none; throws when it binds others. */
export function bindsLog(identity: IdentityDocument, keys: LogKeys): boolean {
  if (!identity.log) return false;
  if (identity.log.origin !== keys.origin || !equalBytes(identity.log.key, keys.publicKey)) {
    throw new Error('the identity document binds another log key than the seed gives');
  }
  return true;
}

/**
 * The `dta/log-key` statement of a home whose identity binds no log: read from `dir`, or made (signed by the
 * identity's BLS key) and kept there the first time. Undefined when the identity document binds the log itself.
 */
export async function logKeyStatement(
  bls: BlsSigner,
  node: Verified<IdentityDocument>,
  blsSecret: Uint8Array,
  keys: LogKeys,
  dir: string,
): Promise<Uint8Array | undefined> {
  if (bindsLog(node.value, keys)) return undefined;
  const file = join(dir, 'key-statement.cbor');
  const kept = await readIfExists(file);
  if (kept) return new Uint8Array(kept);
  const statement = await createEnvelope(bls, blsSecret, {
    type: LOG_KEY_STATEMENT_TYPE,
    sender: node.cid,
    content: { origin: keys.origin, key: keys.publicKey },
    sealed: false,
  });
  await createDurable(file, statement.bytes, 0o644);
  return new Uint8Array((await readIfExists(file))!);
}
