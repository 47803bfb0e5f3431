/**
 * What is sealed in a vault record: the identity's secrets as DAG-CBOR {bls, xwing} (32 bytes each),
 * and the checks that tie secrets to an identity document (its BLS and X-Wing public keys).
 * @module
 */
import { equalBytes, wipe } from '../../core/bytes.ts';
import { xwing } from '../../core/crypto/xwing.ts';
import { decodeStrict, encode } from '../../core/protocol/cbor.ts';
import type { BlsSigner, IdentityDocument, IdentitySecrets, Verified } from '../../core/protocol/types.ts';
import { bytes, struct } from '../../core/schema.ts';
import { VaultBackupError } from './errors.ts';

const secretsSchema = struct({ bls: bytes(32), xwing: bytes(32) });

export function encodeSecrets(secrets: IdentitySecrets): Uint8Array {
  return encode({ bls: secrets.bls, xwing: secrets.xwing });
}

/** Decodes and wipes `plaintext`. */
export function decodeSecrets(plaintext: Uint8Array): IdentitySecrets {
  try {
    const { bls, xwing: xw } = secretsSchema(decodeStrict(plaintext), 'vault secrets');
    return { bls: Uint8Array.from(bls), xwing: Uint8Array.from(xw) };
  } finally {
    wipe(plaintext);
  }
}

/** Throws VaultBackupError unless `secrets` are the keys of `identity` (BLS public key and X-Wing public key). */
export async function assertSecretsFit(
  bls: BlsSigner,
  secrets: IdentitySecrets,
  identity: Verified<IdentityDocument>,
): Promise<void> {
  const { keys } = identity.value;
  const blsOk = equalBytes(await bls.skToPk(secrets.bls), keys.bls);
  const xwingOk = equalBytes(xwing.keygen(secrets.xwing).publicKey, keys.xwing);
  if (!blsOk || !xwingOk) {
    throw new VaultBackupError(`the keys in the backup are not those of identity ${identity.cid.toString()}`);
  }
}

export function wipeSecrets(secrets: IdentitySecrets | undefined): void {
  if (secrets) wipe(secrets.bls, secrets.xwing);
}
