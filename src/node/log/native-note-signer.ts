/**
 * The log's checkpoint signer on Node's own Ed25519 (OpenSSL) instead of @noble/curves: the same signatures byte
 * for byte (Ed25519 is deterministic; the key name and key ID come from the core's ed25519Signer), about thirty
 * times cheaper, and each checkpoint of a busy log is signed on the event loop that answers the orders. The
 * browser and the core keep noble's; only the node signs checkpoints.
 * @module
 */
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { ed25519Signer, type NoteSigner } from '../../core/tlog/note.ts';

/** PKCS#8 DER of an Ed25519 private key, up to its 32-byte seed (RFC 8410, section 7). */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A note signer for `name` with the 32-byte Ed25519 secret key (seed) `secretKey`; `wipe` forgets the key. */
export function nativeEd25519Signer(name: string, secretKey: Uint8Array): NoteSigner & { wipe(): void } {
  const reference = ed25519Signer(name, secretKey); // checks the name and key, and gives the key ID
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, secretKey]);
  let key: KeyObject | undefined;
  try {
    key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
  return {
    name: reference.name,
    keyId: reference.keyId,
    sign(message) {
      if (!key) return reference.sign(message); // wiped: the reference refuses as it always did
      return new Uint8Array(sign(null, message, key));
    },
    wipe() {
      key = undefined; // OpenSSL clears an Ed25519 key's bytes when it frees it
      reference.wipe();
    },
  };
}
