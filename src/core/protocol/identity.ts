/**
 * Identity documents: a name, a BLS key with its proof of possession, an
 * X-Wing key, a creation time, optional endpoints and plugins; self-signed
 * with the BLS key, identified by the CID of their bytes, and checked
 * (schema, proof of possession, signature) every time they are read.
 * Specified in docs/protocol.md#identity-documents.
 * @module
 */
import { multiaddr } from '@multiformats/multiaddr';
import type { CID } from 'multiformats/cid';
import { xwing } from '../crypto/xwing.ts';
import { bytes, type Check, integer, list, literal, struct, text } from '../schema.ts';
import { checkCid, cidOf, decodeStrict, encode } from './cbor.ts';
import { assertPop, assertSignature, IDENTITY_DOMAIN, signingInput } from './signing.ts';
import type { BlsSigner, IdentityDocument, IdentitySecrets, Verified } from './types.ts';

/** Identity documents are small; anything near this size is not one. */
export const MAX_IDENTITY_BYTES = 16 * 1024;
/** Creation times run from the epoch to the year 9999. */
export const MAX_TIME = 253402300799999;

const isUrl = (s: string): boolean => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
};

const isMultiaddr = (s: string): boolean => {
  try {
    multiaddr(s);
    return true;
  } catch {
    return false;
  }
};

const endpoints = struct(
  {},
  {
    http: list(text({ minBytes: 1, maxBytes: 2048, test: isUrl, what: 'an absolute http(s) URL' }), {
      max: 8,
      unique: (s) => s,
    }),
    libp2p: list(text({ minBytes: 1, maxBytes: 512, test: isMultiaddr, what: 'a multiaddr' }), {
      max: 16,
      unique: (s) => s,
    }),
  },
);

/**
 * The node's transparency log: its C2SP origin line and its Ed25519 note key (32 bytes), so that a checkpoint
 * signed by that key speaks for this identity (docs/protocol.md#the-nodes-log).
 */
const logBinding = struct({
  origin: text({ minBytes: 1, maxBytes: 256, pattern: /^[\x21-\x2a\x2c-\x7e]+$/, what: 'a log origin' }),
  key: bytes(32),
});

const unsignedShape = {
  required: {
    type: literal('dta/identity'),
    version: literal(1),
    // Printable names: no C0/C1 control characters.
    name: text({ minBytes: 1, maxBytes: 128, pattern: /^[^\p{Cc}]+$/u, what: 'a name without control characters' }),
    created: integer(0, MAX_TIME),
    keys: struct({ bls: bytes(48), pop: bytes(96), xwing: bytes(xwing.publicKeyBytes) }),
  },
  optional: {
    endpoints,
    plugins: list(text({ minBytes: 1, maxBytes: 32, pattern: /^[a-z][a-z0-9-]*$/, what: 'a plugin name' }), {
      max: 32,
      unique: (s) => s,
    }),
    log: logBinding,
  },
};

/** The schema of a signed identity document. */
export const identitySchema = struct(
  { ...unsignedShape.required, signature: bytes(96) },
  unsignedShape.optional,
) as Check<IdentityDocument>;
const unsignedSchema = struct(unsignedShape.required, unsignedShape.optional);

/** The fields a caller chooses; keys come from the secrets. */
export interface IdentityFields {
  readonly name: string;
  /** ms since the epoch; default now. */
  readonly created?: number;
  readonly endpoints?: { readonly http?: readonly string[]; readonly libp2p?: readonly string[] };
  readonly plugins?: readonly string[];
  /** The node's log: origin and Ed25519 public key (nodes only). */
  readonly log?: { readonly origin: string; readonly key: Uint8Array };
}

/** The document without its signature, optional fields left out when absent (DAG-CBOR has no undefined). */
function unsignedDocument(fields: IdentityFields, keys: IdentityDocument['keys']): Omit<IdentityDocument, 'signature'> {
  const ep = fields.endpoints;
  const endpointsValue = ep && {
    ...(ep.http !== undefined ? { http: [...ep.http] } : {}),
    ...(ep.libp2p !== undefined ? { libp2p: [...ep.libp2p] } : {}),
  };
  const doc = {
    type: 'dta/identity' as const,
    version: 1 as const,
    name: fields.name,
    created: fields.created ?? Date.now(),
    keys,
    ...(endpointsValue !== undefined ? { endpoints: endpointsValue } : {}),
    ...(fields.plugins !== undefined ? { plugins: [...fields.plugins] } : {}),
    ...(fields.log !== undefined ? { log: { origin: fields.log.origin, key: fields.log.key } } : {}),
  };
  unsignedSchema(doc, 'identity');
  return doc;
}

/** Builds, signs and encodes the identity document of `secrets`. */
export async function createIdentity(
  bls: BlsSigner,
  secrets: IdentitySecrets,
  fields: IdentityFields,
): Promise<Verified<IdentityDocument>> {
  const keys = {
    bls: await bls.skToPk(secrets.bls),
    pop: await bls.popProve(secrets.bls),
    xwing: xwing.keygen(secrets.xwing).publicKey,
  };
  const unsigned = unsignedDocument(fields, keys);
  const signature = await bls.sign(secrets.bls, signingInput(IDENTITY_DOMAIN, unsigned));
  const value: IdentityDocument = { ...unsigned, signature };
  const docBytes = encode(value, MAX_IDENTITY_BYTES);
  return { cid: cidOf(docBytes), bytes: docBytes, value };
}

/**
 * Decodes and verifies an identity document: canonical DAG-CBOR, schema,
 * proof of possession, self-signature, and (when given) that the bytes hash
 * to `expected`. Throws DecodeError, OversizeError, SchemaError,
 * SignatureError or CidMismatchError.
 */
export async function readIdentity(
  bls: BlsSigner,
  docBytes: Uint8Array,
  expected?: CID,
): Promise<Verified<IdentityDocument>> {
  if (expected) checkCid(expected, docBytes);
  const value = identitySchema(decodeStrict(docBytes, MAX_IDENTITY_BYTES), 'identity');
  await assertPop(bls, value.keys.bls, value.keys.pop, 'identity');
  const { signature, ...unsigned } = value;
  await assertSignature(bls, value.keys.bls, signingInput(IDENTITY_DOMAIN, unsigned), signature, 'identity');
  return { cid: expected ?? cidOf(docBytes), bytes: docBytes, value };
}
