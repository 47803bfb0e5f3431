/**
 * What a BLS signature covers: a domain-separation prefix, then the
 * canonical DAG-CBOR encoding of the document without its `signature`
 * field. The prefixes differ per kind of document, so a signature on one
 * kind can never be presented as a signature on another.
 * Specified in docs/protocol.md (identity documents, envelopes: signature).
 * @module
 */
import { concat, utf8 } from '../bytes.ts';
import { encode } from './cbor.ts';
import { SignatureError } from './errors.ts';
import type { BlsSigner } from './types.ts';

export const IDENTITY_DOMAIN = utf8('dta/identity/v1\0');
export const ENVELOPE_DOMAIN = utf8('dta/envelope/v1\0');
/** HPKE info for wrapping an envelope's content key. */
export const ENVELOPE_KEY_INFO = utf8('dta/envelope/v1 key');

/** DOMAIN || DAG-CBOR(unsigned). */
export function signingInput(domain: Uint8Array, unsigned: unknown): Uint8Array {
  return concat(domain, encode(unsigned));
}

/**
 * Throws SignatureError unless `sig` verifies. A public key or signature the
 * core refuses outright (not a point, not in the subgroup, infinity) counts
 * as a failed signature; the core's error name is kept in the message.
 */
export async function assertSignature(
  bls: BlsSigner,
  pk: Uint8Array,
  msg: Uint8Array,
  sig: Uint8Array,
  what: string,
): Promise<void> {
  let ok: boolean;
  try {
    ok = await bls.verify(pk, msg, sig);
  } catch (e) {
    throw new SignatureError(`${what}: the key or signature is invalid (${e instanceof Error ? e.name : 'error'})`);
  }
  if (!ok) throw new SignatureError(`${what}: the signature does not verify`);
}

/** Throws SignatureError unless `proof` is a valid proof of possession of `pk`. */
export async function assertPop(bls: BlsSigner, pk: Uint8Array, proof: Uint8Array, what: string): Promise<void> {
  let ok: boolean;
  try {
    ok = await bls.popVerify(pk, proof);
  } catch (e) {
    throw new SignatureError(
      `${what}: the key or proof of possession is invalid (${e instanceof Error ? e.name : 'error'})`,
    );
  }
  if (!ok) throw new SignatureError(`${what}: the proof of possession does not verify`);
}
