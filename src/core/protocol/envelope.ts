/**
 * Envelopes: a header (type, version, sender, recipients, previous CID, order
 * id, creation time, nonce), a plain or sealed body, and the sender's BLS
 * signature over ENVELOPE_DOMAIN || DAG-CBOR({header, body}).
 *
 * Sealed bodies: the content (any DAG-CBOR value, encoded) is encrypted once
 * with AES-256-GCM under a random 32-byte key; that key is wrapped for each
 * recipient with HPKE base mode (X-Wing). Both the content AEAD and every
 * HPKE seal take DAG-CBOR(header) as associated data, so a header changed
 * in transit makes the body unreadable even before the signature is checked.
 * Specified in docs/protocol.md#envelopes.
 * @module
 */
import { CID } from 'multiformats/cid';
import { aes256gcm, NONCE_BYTES, TAG_BYTES } from '../crypto/aead.ts';
import { randomBytes, wipe } from '../bytes.ts';
import { hpke } from '../crypto/hpke.ts';
import { xwing } from '../crypto/xwing.ts';
import { checkCid, cidOf, decodeStrict, encode, MAX_DOCUMENT_BYTES } from './cbor.ts';
import { DecryptionError, NotRecipientError, SchemaError, UnknownIdentityError } from './errors.ts';
import { MAX_TIME } from './identity.ts';
import { anyValue, bytes, cid, integer, list, literal, nullable, struct, text, type Check } from '../schema.ts';
import { assertSignature, ENVELOPE_DOMAIN, ENVELOPE_KEY_INFO, signingInput } from './signing.ts';
import type {
  BlsSigner, Envelope, EnvelopeHeader, IdentityDocument, IdentityResolver, PlainBody, SealedBody, Verified,
} from './types.ts';

export const MAX_RECIPIENTS = 64;
export const CONTENT_KEY_BYTES = 32;
export const HEADER_NONCE_BYTES = 16;

const isOrderId = (s: string): boolean => {
  if (s === '') return true;
  try {
    const c = CID.parse(s);
    return c.toString() === s && c.version === 1 && c.code === 0x71 && c.multihash.code === 0x12;
  } catch {
    return false;
  }
};

export const headerSchema = struct({
  type: text({ minBytes: 1, maxBytes: 64, pattern: /^[a-z][a-z0-9-]*(\/[a-z0-9][a-z0-9.-]*)*$/, what: 'an envelope type' }),
  version: literal(1),
  sender: cid,
  recipients: list(cid, { max: MAX_RECIPIENTS, unique: (c) => c.toString() }),
  previous: nullable(cid),
  order: text({ maxBytes: 128, test: isOrderId, what: 'an order id ("" or a CIDv1 dag-cbor string)' }),
  created: integer(0, MAX_TIME),
  nonce: bytes(HEADER_NONCE_BYTES),
}) as Check<EnvelopeHeader>;

const keySlot = struct({
  recipient: cid,
  enc: bytes(xwing.encBytes),
  wrapped: bytes(CONTENT_KEY_BYTES + TAG_BYTES),
});

const sealedSchema = struct({
  nonce: bytes(NONCE_BYTES),
  ciphertext: bytes({ min: TAG_BYTES, max: MAX_DOCUMENT_BYTES }),
  keys: list(keySlot, { min: 1, max: MAX_RECIPIENTS }),
});

const bodySchema: Check<PlainBody | SealedBody> = (v, path) => {
  const isSealed = typeof v === 'object' && v !== null && Object.hasOwn(v, 'sealed');
  return isSealed ? struct({ sealed: sealedSchema })(v, path) : struct({ plain: anyValue })(v, path) as PlainBody;
};

export const envelopeSchema = struct({ header: headerSchema, body: bodySchema, signature: bytes(96) }) as Check<Envelope>;

export function isSealed(body: PlainBody | SealedBody): body is SealedBody {
  return Object.hasOwn(body, 'sealed');
}

/** Rules across fields: a sealed body has one key slot per recipient, in the header's order. */
function checkSlots(env: Envelope): void {
  if (!isSealed(env.body)) return;
  const { keys } = env.body.sealed;
  const { recipients } = env.header;
  if (keys.length !== recipients.length || keys.some((k, i) => !k.recipient.equals(recipients[i]))) {
    throw new SchemaError('envelope.body.sealed.keys: expected one key per recipient, in the order of header.recipients');
  }
}

/** A recipient: its identity CID and, for sealed envelopes, its X-Wing public key. */
export interface Recipient {
  readonly cid: CID;
  readonly xwing?: Uint8Array;
}

/** The recipient entry of a verified identity document. */
export function recipientOf(identity: Verified<IdentityDocument>): Recipient {
  return { cid: identity.cid, xwing: identity.value.keys.xwing };
}

export interface EnvelopeInit {
  readonly type: string;
  /** The sender's identity CID; the envelope is signed with that identity's BLS secret key. */
  readonly sender: CID;
  readonly recipients?: readonly Recipient[];
  readonly previous?: CID | null;
  readonly order?: string;
  /** ms since the epoch; default now. */
  readonly created?: number;
  /** 16 bytes; default random. */
  readonly nonce?: Uint8Array;
  /** Any DAG-CBOR value. */
  readonly content: unknown;
  /** Encrypt the content to the recipients (each needs its X-Wing key). Default false: a plain envelope. */
  readonly sealed?: boolean;
}

function sealBody(header: EnvelopeHeader, recipients: readonly Recipient[], content: unknown): SealedBody {
  if (recipients.length === 0) throw new SchemaError('envelope: a sealed envelope needs at least one recipient');
  const aad = encode(header);
  const key = randomBytes(CONTENT_KEY_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  try {
    const ciphertext = aes256gcm.seal(key, nonce, aad, encode(content));
    const keys = recipients.map((r) => {
      if (!r.xwing) throw new SchemaError(`envelope: recipient ${String(r.cid)} has no X-Wing key`);
      const { enc, ciphertext: wrapped } = hpke.seal(r.xwing, ENVELOPE_KEY_INFO, aad, key);
      return { recipient: r.cid, enc, wrapped };
    });
    return { sealed: { nonce, ciphertext, keys } };
  } finally {
    wipe(key);
  }
}

/** Builds, (optionally) seals, signs and encodes an envelope. `signingKey` is the sender's BLS secret key. */
export async function createEnvelope(bls: BlsSigner, signingKey: Uint8Array, init: EnvelopeInit): Promise<Verified<Envelope>> {
  const recipients = init.recipients ?? [];
  const header = headerSchema({
    type: init.type,
    version: 1,
    sender: init.sender,
    recipients: recipients.map((r) => r.cid),
    previous: init.previous ?? null,
    order: init.order ?? '',
    created: init.created ?? Date.now(),
    nonce: init.nonce ?? randomBytes(HEADER_NONCE_BYTES),
  }, 'envelope.header');
  const body = init.sealed ? sealBody(header, recipients, init.content) : { plain: init.content };
  const signature = await bls.sign(signingKey, signingInput(ENVELOPE_DOMAIN, { header, body }));
  const value: Envelope = { header, body, signature };
  const envBytes = encode(value);
  return { cid: cidOf(envBytes), bytes: envBytes, value };
}

/**
 * Decodes an envelope and checks its structure (canonical DAG-CBOR, size,
 * schema, key slots) and, when given, its CID. The signature is NOT checked:
 * use verifyEnvelope before trusting anything in it.
 */
export function decodeEnvelope(envBytes: Uint8Array, expected?: CID): Verified<Envelope> {
  if (expected) checkCid(expected, envBytes);
  const value = envelopeSchema(decodeStrict(envBytes), 'envelope');
  checkSlots(value);
  return { cid: expected ?? cidOf(envBytes), bytes: envBytes, value };
}

/** An envelope whose signature verified, with the sender's identity document. */
export interface VerifiedEnvelope extends Verified<Envelope> {
  readonly sender: Verified<IdentityDocument>;
}

/**
 * Decodes (unless already decoded) and verifies an envelope: structure as in
 * decodeEnvelope, then the BLS signature by the sender's identity, which
 * `identities` resolves (or which is given). Throws the errors of
 * decodeEnvelope, UnknownIdentityError (a given identity that is not the
 * sender), or SignatureError.
 */
export async function verifyEnvelope(bls: BlsSigner, envelope: Uint8Array | Verified<Envelope>,
  identities: IdentityResolver | Verified<IdentityDocument>, options: { expected?: CID; signal?: AbortSignal } = {}):
  Promise<VerifiedEnvelope> {
  const env = envelope instanceof Uint8Array ? decodeEnvelope(envelope, options.expected) : envelope;
  if (!(envelope instanceof Uint8Array)) checkSlots(env.value);
  const { header, body, signature } = env.value;
  const sender = 'resolve' in identities
    ? await identities.resolve(header.sender, options.signal ? { signal: options.signal } : undefined)
    : identities;
  if (!sender.cid.equals(header.sender)) {
    throw new UnknownIdentityError(`envelope: the sender ${String(header.sender)} is not the identity given`);
  }
  await assertSignature(bls, sender.value.keys.bls, signingInput(ENVELOPE_DOMAIN, { header, body }), signature, 'envelope');
  return { ...env, sender };
}

/** Who opens a sealed envelope: an identity CID and its 32-byte X-Wing seed. */
export interface Opener {
  readonly cid: CID;
  readonly xwing: Uint8Array;
}

/**
 * The content of an envelope. Plain bodies are returned as they are; sealed
 * ones are opened with the opener's key slot. Throws NotRecipientError when
 * there is no slot for `me`, DecryptionError when the wrapped key or the
 * content does not open (tampered bytes or header), DecodeError when the
 * plaintext is not canonical DAG-CBOR. Call verifyEnvelope first: opening
 * does not check the signature.
 */
export function openEnvelope(envelope: Verified<Envelope>, me: Opener): unknown {
  const { header, body } = envelope.value;
  if (!isSealed(body)) return body.plain;
  const slot = body.sealed.keys.find((k) => k.recipient.equals(me.cid));
  if (!slot) throw new NotRecipientError(`envelope: not addressed to ${String(me.cid)}`);
  const aad = encode(header);
  const key = hpke.open(slot.enc, me.xwing, ENVELOPE_KEY_INFO, aad, slot.wrapped);
  try {
    if (key.length !== CONTENT_KEY_BYTES) throw new DecryptionError('envelope: the wrapped content key has the wrong length');
    return decodeStrict(aes256gcm.open(key, body.sealed.nonce, aad, body.sealed.ciphertext));
  } finally {
    wipe(key);
  }
}
