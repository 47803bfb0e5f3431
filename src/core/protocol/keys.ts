/**
 * Identity secrets: a BLS secret key and an X-Wing seed, generated at random
 * or derived from a seed (so that a recovery phrase or a backup of 32 bytes
 * can restore both). The BLS key comes from the IETF KeyGen of the core
 * (`core.bls.keygen`), injected like every BLS operation here.
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { randomBytes, utf8 } from '../bytes.ts';
import { hkdf } from '../crypto/kdf.ts';
import { BadLengthError } from '../errors.ts';
import type { IdentitySecrets } from './types.ts';

/** The KeyGen of draft-irtf-cfrg-bls-signature-05 2.3; `Core['bls']` satisfies it. */
export interface BlsKeygen {
  keygen(ikm: Uint8Array, info?: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

export const SEED_BYTES = 32;
const SALT = utf8('dta/identity/v1 secrets');

/**
 * The secrets of an identity from a seed of at least 32 bytes (default: 32
 * random bytes): HKDF-SHA256(seed, salt "dta/identity/v1 secrets") with
 * info "bls" gives the BLS KeyGen input, with info "xwing" the X-Wing seed.
 */
export async function generateIdentitySecrets(
  bls: BlsKeygen,
  seed: Uint8Array = randomBytes(SEED_BYTES),
): Promise<IdentitySecrets> {
  if (!(seed instanceof Uint8Array) || seed.length < SEED_BYTES) {
    throw new BadLengthError(`generateIdentitySecrets: the seed must be at least ${SEED_BYTES} bytes`);
  }
  const ikm = hkdf(seed, SALT, utf8('bls'), 32);
  try {
    return { bls: await bls.keygen(ikm), xwing: hkdf(seed, SALT, utf8('xwing'), 32) };
  } finally {
    ikm.fill(0);
  }
}

/**
 * The Ed25519 secret key of the node's transparency log, from the identity seed: HKDF-SHA256(seed, salt
 * "dta/identity/v1 secrets", info "log/ed25519", 32). Derived, not drawn, so that a home made before logs existed
 * gets the same key at every start and a restored seed restores the log key (docs/protocol.md#the-nodes-log).
 */
export function deriveLogSecretKey(seed: Uint8Array): Uint8Array {
  if (!(seed instanceof Uint8Array) || seed.length < SEED_BYTES) {
    throw new BadLengthError(`deriveLogSecretKey: the seed must be at least ${SEED_BYTES} bytes`);
  }
  return hkdf(seed, SALT, utf8('log/ed25519'), 32);
}

/**
 * The secp256k1 secret key that pays for the node's Bitcoin anchors (wallet mode), from the identity seed:
 * HKDF-SHA256(seed, salt "dta/identity/v1 secrets", info "anchor/secp256k1", 32). Derived, not drawn, so that a
 * restored seed restores the funding address and the coins on it; the key only ever signs anchor transactions.
 * BadLengthError in the negligible case that the output is not a valid scalar (0 or ≥ n).
 */
export function deriveAnchorSecretKey(seed: Uint8Array): Uint8Array {
  if (!(seed instanceof Uint8Array) || seed.length < SEED_BYTES) {
    throw new BadLengthError(`deriveAnchorSecretKey: the seed must be at least ${SEED_BYTES} bytes`);
  }
  const key = hkdf(seed, SALT, utf8('anchor/secp256k1'), 32);
  if (!secp256k1.utils.isValidSecretKey(key)) {
    key.fill(0);
    throw new BadLengthError('deriveAnchorSecretKey: the derived key is not a secp256k1 scalar');
  }
  return key;
}
