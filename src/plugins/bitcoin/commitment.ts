/**
 * What the fiduciary commits to when it answers an order, and its proof
 * that it knows the secret behind its share.
 *
 * commitment = hash_tag(len(order) || order || len(network) || network ||
 *                       len(type) || type || F || B)
 * with the BIP-340 tagged hash, tag "dta/bitcoin/commitment/v1", `order` the
 * binary CID of the order's request envelope, F and B the compressed shares.
 * The addresses are functions of (network, F, B), so this fixes them too.
 *
 * proof = BIP-340 Schnorr signature by f over the commitment. Why: the
 * fiduciary sees B before it draws F, so a dishonest one could answer
 * F = X - B for an X it knows, and alone own the address F + B = X. To sign
 * for F it would have to know x - b, that is b: the proof rules this out.
 * The beneficiary's key is fixed in the order before F exists, so the
 * beneficiary cannot play the same trick. Signing uses zero auxiliary
 * randomness (BIP-340 allows it; the nonce still comes from f and the
 * message), so a retried order gets a byte-identical reply.
 * https://github.com/bitcoin/bips/blob/master/bip-0340.mediawiki
 * @module
 */
import { schnorr } from '@noble/curves/secp256k1.js';
import { CID } from 'multiformats/cid';
import { concat, utf8 } from '../../core/bytes.ts';
import type { AddressType } from './address.ts';
import { badRequest } from './errors.ts';
import { PUBLIC_BYTES } from './keys.ts';
import type { NetworkName } from './network.ts';

export const COMMITMENT_TAG = 'dta/bitcoin/commitment/v1';
export const COMMITMENT_BYTES = 32;
export const PROOF_BYTES = 64;

export interface CommitmentInput {
  readonly order: CID | string; // the order id: CID of the request envelope
  readonly network: NetworkName;
  readonly addressType: AddressType;
  readonly fiduciaryPublicKey: Uint8Array; // 33
  readonly beneficiaryPublicKey: Uint8Array; // 33
}

function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  if (bytes.length > 255) throw badRequest('commitment field longer than 255 bytes');
  return concat(Uint8Array.of(bytes.length), bytes);
}

function orderCid(order: CID | string): CID {
  if (typeof order !== 'string') return order;
  try {
    return CID.parse(order);
  } catch {
    throw badRequest('order: not a CID');
  }
}

export function commitmentOf(input: CommitmentInput): Uint8Array {
  if (input.fiduciaryPublicKey.length !== PUBLIC_BYTES || input.beneficiaryPublicKey.length !== PUBLIC_BYTES) {
    throw badRequest('commitment: public keys are 33 bytes');
  }
  return schnorr.utils.taggedHash(
    COMMITMENT_TAG,
    lengthPrefixed(orderCid(input.order).bytes),
    lengthPrefixed(utf8(input.network)),
    lengthPrefixed(utf8(input.addressType)),
    input.fiduciaryPublicKey,
    input.beneficiaryPublicKey,
  );
}

/** The fiduciary's proof of knowledge of f, bound to this commitment. */
export function proveShare(share: Uint8Array, commitment: Uint8Array): Uint8Array {
  return schnorr.sign(commitment, share, new Uint8Array(32));
}

/** Checks a proof against F (compressed; BIP-340 verifies against its x coordinate). */
export function verifyShareProof(fiduciaryPublicKey: Uint8Array, commitment: Uint8Array, proof: Uint8Array): boolean {
  if (
    fiduciaryPublicKey.length !== PUBLIC_BYTES ||
    commitment.length !== COMMITMENT_BYTES ||
    proof.length !== PROOF_BYTES
  )
    return false;
  try {
    return schnorr.verify(proof, commitment, fiduciaryPublicKey.subarray(1));
  } catch {
    return false;
  }
}
