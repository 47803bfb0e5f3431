/**
 * Envelopes: a header (type, version, sender, recipients, previous CID, order
 * id, creation time, nonce), a plain or sealed body, and the sender's BLS
 * signature over ENVELOPE_DOMAIN || DAG-CBOR({header, body}).
 *
 * Sealed bodies: the content (any DAG-CBOR value, encoded) is encrypted once
 * with AES-256-GCM under a key derived from a random 32-byte content key;
 * that content key is wrapped for each recipient with HPKE base mode
 * (X-Wing). Both the content AEAD and every HPKE seal take DAG-CBOR(header)
 * as associated data, so a header changed in transit makes the body
 * unreadable even before the signature is checked.
 *
 * Versions: new envelopes are version 2, whose sealed body carries a key
 * commitment (crypto/key-commitment.ts) checked before decrypting, so every
 * recipient opens the same content. Version 1 (no commitment, the content
 * key used as the AES key) is still decoded, verified and opened, to read
 * what was stored before; a node takes no version 1 request and a chain
 * never steps back from 2 to 1.
 * Specified in docs/protocol.md#envelopes.
 * @module
 */
import { CID } from 'multiformats/cid';
import { randomBytes, wipe } from '../bytes.ts';
import { aes256gcm, NONCE_BYTES, TAG_BYTES } from '../crypto/aead.ts';
import { hpke } from '../crypto/hpke.ts';
import { commitKey, KEY_COMMITMENT_BYTES, openCommittedKey } from '../crypto/key-commitment.ts';
import { xwing } from '../crypto/xwing.ts';
import { anyValue, bytes, type Check, cid, integer, list, nullable, struct, text } from '../schema.ts';
import { checkCid, cidOf, decodeStrict, encode, MAX_DOCUMENT_BYTES } from './cbor.ts';
import { mapValueBytes } from './cbor-canonical.ts';
import { DecryptionError, KeyCommitmentError, NotRecipientError, SchemaError, UnknownIdentityError } from './errors.ts';
import { MAX_TIME } from './identity.ts';
import { assertSignature, ENVELOPE_DOMAIN, ENVELOPE_KEY_INFO, signingInput, signingInputOf } from './signing.ts';
import type {
  BlsSigner,
  Envelope,
  EnvelopeHeader,
  IdentityDocument,
  IdentityResolver,
  PlainBody,
  SealedBody,
  Verified,
} from './types.ts';

export const MAX_RECIPIENTS = 64;
export const CONTENT_KEY_BYTES = 32;
export const HEADER_NONCE_BYTES = 16;
/** The version of the envelopes this code creates: 2, sealed bodies with a key commitment. */
export const ENVELOPE_VERSION = 2;

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
  type: text({
    minBytes: 1,
    maxBytes: 64,
    pattern: /^[a-z][a-z0-9-]*(\/[a-z0-9][a-z0-9.-]*)*$/,
    what: 'an envelope type',
  }),
  version: integer(1, ENVELOPE_VERSION),
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

const sealedSchema = struct(
  {
    nonce: bytes(NONCE_BYTES),
    ciphertext: bytes({ min: TAG_BYTES, max: MAX_DOCUMENT_BYTES }),
    keys: list(keySlot, { min: 1, max: MAX_RECIPIENTS }),
  },
  { commitment: bytes(KEY_COMMITMENT_BYTES) },
);

const bodySchema: Check<PlainBody | SealedBody> = (v, path) => {
  const isSealed = typeof v === 'object' && v !== null && Object.hasOwn(v, 'sealed');
  return isSealed ? struct({ sealed: sealedSchema })(v, path) : (struct({ plain: anyValue })(v, path) as PlainBody);
};

export const envelopeSchema = struct({
  header: headerSchema,
  body: bodySchema,
  signature: bytes(96),
}) as Check<Envelope>;

export function isSealed(body: PlainBody | SealedBody): body is SealedBody {
  return Object.hasOwn(body, 'sealed');
}

/**
 * Rules across fields: a sealed body has one key slot per recipient, in the header's order, and a key
 * commitment exactly when the header says version 2.
 */
function checkSealed(env: Envelope): void {
  if (!isSealed(env.body)) return;
  const { keys, commitment } = env.body.sealed;
  const { recipients, version } = env.header;
  if (keys.length !== recipients.length || keys.some((k, i) => !k.recipient.equals(recipients[i]))) {
    throw new SchemaError(
      'envelope.body.sealed.keys: expected one key per recipient, in the order of header.recipients',
    );
  }
  if (version >= 2 !== (commitment !== undefined)) {
    throw new SchemaError(
      `envelope.body.sealed.commitment: expected ${version >= 2 ? 'a' : 'no'} key commitment in a ` +
        `version ${version} envelope`,
    );
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
  const { aeadKey, commitment } = commitKey(key);
  const nonce = randomBytes(NONCE_BYTES);
  try {
    const ciphertext = aes256gcm.seal(aeadKey, nonce, aad, encode(content));
    const keys = recipients.map((r) => {
      if (!r.xwing) throw new SchemaError(`envelope: recipient ${String(r.cid)} has no X-Wing key`);
      const { enc, ciphertext: wrapped } = hpke.seal(r.xwing, ENVELOPE_KEY_INFO, aad, key);
      return { recipient: r.cid, enc, wrapped };
    });
    return { sealed: { nonce, ciphertext, keys, commitment } };
  } finally {
    wipe(key, aeadKey);
  }
}

/** Builds, (optionally) seals, signs and encodes an envelope. `signingKey` is the sender's BLS secret key. */
export async function createEnvelope(
  bls: BlsSigner,
  signingKey: Uint8Array,
  init: EnvelopeInit,
): Promise<Verified<Envelope>> {
  const recipients = init.recipients ?? [];
  const header = headerSchema(
    {
      type: init.type,
      version: ENVELOPE_VERSION,
      sender: init.sender,
      recipients: recipients.map((r) => r.cid),
      previous: init.previous ?? null,
      order: init.order ?? '',
      created: init.created ?? Date.now(),
      nonce: init.nonce ?? randomBytes(HEADER_NONCE_BYTES),
    },
    'envelope.header',
  );
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
  checkSealed(value);
  rememberHeaderBytes(value, envBytes);
  return { cid: expected ?? cidOf(envBytes), bytes: envBytes, value };
}

/**
 * DAG-CBOR(header) of sealed envelopes decoded here, cut from their canonical bytes, so that opening one uses
 * the very bytes that were signed as its associated data instead of encoding the header again.
 */
const headerBytesOf = new WeakMap<EnvelopeHeader, Uint8Array>();

function rememberHeaderBytes(value: Envelope, canonical: Uint8Array): void {
  if (!isSealed(value.body)) return;
  const headerBytes = mapValueBytes(canonical, 'header');
  if (headerBytes) headerBytesOf.set(value.header, headerBytes.slice()); // a copy: the caller may reuse its buffer
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
export async function verifyEnvelope(
  bls: BlsSigner,
  envelope: Uint8Array | Verified<Envelope>,
  identities: IdentityResolver | Verified<IdentityDocument>,
  options: { expected?: CID; signal?: AbortSignal } = {},
): Promise<VerifiedEnvelope> {
  const decodedHere = envelope instanceof Uint8Array;
  const env = decodedHere ? decodeEnvelope(envelope, options.expected) : envelope;
  if (!decodedHere) checkSealed(env.value);
  const { header, body, signature } = env.value;
  // Bytes decoded here are canonical: the signed part is cut from them rather than encoded again.
  const signed =
    (decodedHere ? signingInputOf(ENVELOPE_DOMAIN, env.bytes, 3) : undefined) ??
    signingInput(ENVELOPE_DOMAIN, { header, body });
  const sender =
    'resolve' in identities
      ? await identities.resolve(header.sender, options.signal ? { signal: options.signal } : undefined)
      : identities;
  if (!sender.cid.equals(header.sender)) {
    throw new UnknownIdentityError(`envelope: the sender ${String(header.sender)} is not the identity given`);
  }
  await assertSignature(bls, sender.value.keys.bls, signed, signature, 'envelope');
  return { ...env, sender };
}

/** Who opens a sealed envelope: an identity CID and its 32-byte X-Wing seed. */
export interface Opener {
  readonly cid: CID;
  readonly xwing: Uint8Array;
}

export interface OpenOptions {
  /**
   * Refuse a sealed version 1 envelope (KeyCommitmentError) instead of opening it. Default false, so that
   * envelopes stored before version 2 stay readable; set it wherever a new envelope is expected (a node
   * opening a request, a client opening the reply to its own version 2 request).
   */
  readonly requireCommitment?: boolean;
}

/** The AES key of a version 2 body: the unwrapped content key, if it matches the signed commitment. */
function committedAeadKey(key: Uint8Array, commitment: Uint8Array, me: CID): Uint8Array {
  const aeadKey = openCommittedKey(key, commitment);
  if (!aeadKey) {
    throw new KeyCommitmentError(
      `envelope: the content key in the slot of ${String(me)} is not the key the sender committed to`,
    );
  }
  return aeadKey;
}

/**
 * The content of an envelope. Plain bodies are returned as they are; sealed
 * ones are opened with the opener's key slot: the content key is unwrapped,
 * then (version 2) checked against the signed key commitment before the
 * content is decrypted. Throws NotRecipientError when there is no slot for
 * `me`, DecryptionError when the wrapped key or the content does not open
 * (tampered bytes or header), KeyCommitmentError when the unwrapped key is
 * not the committed one (or the envelope has no commitment and
 * `requireCommitment` is set), DecodeError when the plaintext is not
 * canonical DAG-CBOR. Call verifyEnvelope first: opening does not check the
 * signature, which is what binds the commitment to the sender.
 */
export function openEnvelope(envelope: Verified<Envelope>, me: Opener, options: OpenOptions = {}): unknown {
  const { body } = envelope.value;
  if (!isSealed(body)) return body.plain;
  return decodeStrict(openSealedBytes(envelope, me, options));
}

/**
 * The content of a sealed envelope as the DAG-CBOR bytes it was encrypted from, not decoded yet (openEnvelope
 * decodes them). The same checks and errors as openEnvelope; a plain envelope is refused with NotRecipientError
 * (nothing to open).
 */
function openSealedBytes(envelope: Verified<Envelope>, me: Opener, options: OpenOptions = {}): Uint8Array {
  return openSealedSlot(sealedSlotOf(envelope, me.cid, options), me);
}

/**
 * What opening a sealed envelope takes for one recipient, cut from the decoded envelope: a node's crypto worker
 * opens requests from this (openSealedSlot) without decoding the envelope again, which its event loop already did.
 */
export interface SealedSlot {
  /** DAG-CBOR(header): the associated data of the key slot and of the content. */
  readonly aad: Uint8Array;
  readonly enc: Uint8Array;
  readonly wrapped: Uint8Array;
  readonly nonce: Uint8Array;
  readonly ciphertext: Uint8Array;
  /** Version 2's key commitment; absent in version 1. */
  readonly commitment?: Uint8Array;
}

/**
 * `me`'s key slot of a decoded sealed envelope, with what opening it needs. Throws NotRecipientError (a plain
 * envelope, or no slot for `me`) and KeyCommitmentError (no commitment where `requireCommitment` asks one).
 */
export function sealedSlotOf(envelope: Verified<Envelope>, me: CID, options: OpenOptions = {}): SealedSlot {
  const { header, body } = envelope.value;
  if (!isSealed(body)) throw new NotRecipientError('envelope: a plain envelope has nothing sealed to open');
  const { commitment, nonce, ciphertext } = body.sealed;
  if (commitment === undefined && options.requireCommitment) {
    throw new KeyCommitmentError(`envelope: version ${header.version} has no key commitment; a new envelope must`);
  }
  const slot = body.sealed.keys.find((k) => k.recipient.equals(me));
  if (!slot) throw new NotRecipientError(`envelope: not addressed to ${String(me)}`);
  const aad = headerBytesOf.get(header) ?? encode(header);
  const parts = { aad, enc: slot.enc, wrapped: slot.wrapped, nonce, ciphertext };
  return commitment === undefined ? parts : { ...parts, commitment };
}

/**
 * Opens `slot` with `me`'s X-Wing seed: the content key unwrapped, checked against the commitment (version 2),
 * the content decrypted. Throws DecryptionError or KeyCommitmentError as openEnvelope does.
 */
export function openSealedSlot(slot: SealedSlot, me: Opener): Uint8Array {
  const key = hpke.open(slot.enc, me.xwing, ENVELOPE_KEY_INFO, slot.aad, slot.wrapped);
  let aeadKey: Uint8Array | undefined;
  try {
    if (key.length !== CONTENT_KEY_BYTES)
      throw new DecryptionError('envelope: the wrapped content key has the wrong length');
    // Version 1 used the content key itself as the AES key (readable history, no commitment).
    aeadKey = slot.commitment === undefined ? key : committedAeadKey(key, slot.commitment, me.cid);
    return aes256gcm.open(aeadKey, slot.nonce, slot.aad, slot.ciphertext);
  } finally {
    wipe(key, aeadKey);
  }
}
