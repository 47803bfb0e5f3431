/**
 * What a BLS signature covers: a domain-separation prefix, then the
 * canonical DAG-CBOR encoding of the document without its `signature`
 * field. The prefixes differ per kind of document, so a signature on one
 * kind can never be presented as a signature on another.
 * Specified in docs/protocol.md (identity documents, envelopes: signature).
 * @module
 */
import { concat, utf8 } from '../bytes.ts';
import { verifyBls } from './bls-key-cache.ts';
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

const SIGNATURE_BYTES = 96;
/** The key "signature" (text, 9 bytes) and the head of a 96-byte byte string, as DAG-CBOR writes them. */
const SIGNATURE_FIELD = Uint8Array.of(0x69, ...utf8('signature'), 0x58, SIGNATURE_BYTES);

/**
 * DOMAIN || DAG-CBOR(document without `signature`), cut from the document's own canonical bytes when its
 * `signature` (a 96-byte string) is its last field, which the length-first key order makes it for every
 * document whose other keys are shorter than nine bytes; else (undefined) encode it again. Decoding checked
 * that `canonical` is canonical, so the cut is exactly what encode would produce, without re-encoding.
 */
export function signingInputOf(domain: Uint8Array, canonical: Uint8Array, fields: number): Uint8Array | undefined {
  const tail = SIGNATURE_FIELD.length + SIGNATURE_BYTES;
  const at = canonical.length - tail;
  if (fields < 2 || fields > 23 || at < 1 || canonical[0] !== 0xa0 + fields) return undefined;
  for (let i = 0; i < SIGNATURE_FIELD.length; i++) if (canonical[at + i] !== SIGNATURE_FIELD[i]) return undefined;
  const out = new Uint8Array(domain.length + at);
  out.set(domain);
  out[domain.length] = 0xa0 + fields - 1; // the same map, one entry fewer
  out.set(canonical.subarray(1, at), domain.length + 1);
  return out;
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
    ok = await verifyBls(bls, pk, msg, sig);
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
