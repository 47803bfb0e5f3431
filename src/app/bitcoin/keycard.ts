/**
 * Key cards: how a beneficiary hands its Bitcoin key B = b·G to a principal
 * who orders a key for it. A card is the beneficiary's signed "bitcoin/key"
 * statement (a plain envelope, public like any published key) written as
 *   dta:bitcoin-key:<base64url of the envelope bytes, no padding>
 * to be shown as a QR code or copied as text. b stays in the worker: the
 * card carries B only.
 *
 * Each card uses a key index of its own, reserved in the flows database
 * (store "keycards") so that no later own order and no other card derives
 * the same b. The principal side keeps a "used" mark per card it ordered
 * with, so that one card (one B) is never used for two orders; the node
 * refuses a second order with the same B too (409 key_reused).
 *
 * A card expires (`expires` in the statement, 30 days after it is made): a
 * principal's app refuses an expired card, and one made before cards
 * expired (no `expires`), with a message to ask for a new card; the node
 * checks the same at the order's time.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { fromBase64Url, toBase64Url, toHex } from '../../core/bytes.ts';
import { decodeEnvelope, isSealed, verifyEnvelope } from '../../core/protocol/envelope.ts';
import { PUBLIC_BYTES, parsePublicKey } from '../../plugins/bitcoin/keys.ts';
import { isNetworkName, type NetworkName } from '../../plugins/bitcoin/network.ts';
import { MAX_STATEMENT_BYTES } from '../../plugins/bitcoin/schema.ts';
import { KEY_STATEMENT_TYPE } from '../../plugins/bitcoin/statement.ts';
import { type FlowsDeps, nowOf, requireSigner } from '../api/deps.ts';
import { InputError } from '../api/errors.ts';
import { beneficiaryOnNode } from '../orders/beneficiary.ts';
import type { OrderRecord } from '../orders/model.ts';

export const KEY_CARD_PREFIX = 'dta:bitcoin-key:';

const FIELD = 'card';
const CUT_SHORT = 'this key card is incomplete or damaged (was it cut short when copied?): ask for it again';
/** The text of a card for the statement envelope `bytes`. */
export const keyCardText = (bytes: Uint8Array): string => KEY_CARD_PREFIX + toBase64Url(bytes);

/** A card read from its text; its signature is NOT checked yet (see verifyKeyCard). */
export interface KeyCard {
  readonly bytes: Uint8Array;
  /** CID of the statement envelope. */
  readonly cid: string;
  /** The identity that signed it: the beneficiary. */
  readonly signer: CID;
  readonly network: NetworkName;
  /** B, 33 bytes compressed. */
  readonly beneficiaryPublicKey: Uint8Array;
  readonly created: number;
  /** Not good after this time (ms); absent in cards made before cards expired. */
  readonly expires?: number;
}

/** Refuses a card that has expired at `now`, or has no expiry (made before cards expired). */
function checkCardTime(expires: unknown, now: number): void {
  if (expires === undefined) {
    throw new InputError(FIELD, 'this key card was made before key cards expired: ask the beneficiary for a new card');
  }
  if (!Number.isSafeInteger(expires)) throw new InputError(FIELD, "this key card's expiry is not a time");
  if (now >= (expires as number)) {
    const day = new Date(expires as number).toISOString().slice(0, 10);
    throw new InputError(FIELD, `this key card expired on ${day}: ask the beneficiary for a new card`);
  }
}

/**
 * Reads a key card's text (spaces and line breaks are ignored, as a copy may add them). With `network`, a card
 * for another network is refused; with `now`, a card expired at that time (or without expiry) is refused.
 * Every failure is an InputError on the field "card" with a readable message.
 */
export function parseKeyCard(text: string, expected: { network?: NetworkName; now?: number } = {}): KeyCard {
  const clean = text.replace(/\s+/g, '');
  if (clean === '')
    throw new InputError(FIELD, `paste the key card the beneficiary gave you (it starts with ${KEY_CARD_PREFIX})`);
  if (!clean.toLowerCase().startsWith(KEY_CARD_PREFIX))
    throw new InputError(FIELD, `not a Bitcoin key card: a key card starts with ${KEY_CARD_PREFIX}`);
  const payload = clean.slice(KEY_CARD_PREFIX.length);
  if (payload.length > Math.ceil((MAX_STATEMENT_BYTES * 4) / 3))
    throw new InputError(FIELD, 'this key card is too long to be one');
  const bytes = decodeCardPayload(payload);
  if ((!bytes || bytes.length === 0) && !/^[A-Za-z0-9_-]+$/.test(payload)) {
    throw new InputError(
      FIELD,
      `this key card is damaged: after ${KEY_CARD_PREFIX} come only letters, digits, - and _`,
    );
  }
  if (!bytes) throw new InputError(FIELD, CUT_SHORT); // the right letters, a length no card has
  let env;
  try {
    env = decodeEnvelope(bytes);
  } catch {
    throw new InputError(FIELD, CUT_SHORT);
  }
  const { header, body } = env.value;
  if (header.type !== KEY_STATEMENT_TYPE)
    throw new InputError(FIELD, 'not a Bitcoin key card: it is another kind of signed document');
  if (isSealed(body)) throw new InputError(FIELD, 'not a usable key card: a key card is public, this one is sealed');
  const content = body.plain;
  const proto = typeof content === 'object' && content !== null ? Object.getPrototypeOf(content) : undefined;
  if (proto !== Object.prototype && proto !== null) throw new InputError(FIELD, 'this key card states no key');
  const fields = content as Record<string, unknown>;
  if (fields['xpub'] !== undefined || fields['path'] !== undefined) {
    throw new InputError(
      FIELD,
      'this key card states an extended key (xpub): the app orders with a single key, ask for a card made in the app',
    );
  }
  if (Object.keys(fields).some((k) => k !== 'network' && k !== 'beneficiaryPublicKey' && k !== 'expires')) {
    throw new InputError(FIELD, 'this key card has fields the app does not know: ask for a card made in the app');
  }
  const network = fields['network'];
  if (!isNetworkName(network)) throw new InputError(FIELD, 'this key card names no Bitcoin network the app knows');
  const key = fields['beneficiaryPublicKey'];
  if (!(key instanceof Uint8Array) || key.length !== PUBLIC_BYTES) {
    throw new InputError(FIELD, `this key card's key is not a ${PUBLIC_BYTES}-byte compressed public key`);
  }
  try {
    parsePublicKey(key, 'beneficiaryPublicKey');
  } catch {
    throw new InputError(FIELD, "this key card's key is not a point on secp256k1");
  }
  if (expected.network && network !== expected.network) {
    throw new InputError(
      FIELD,
      `this key card is for ${network}, but the order is for ${expected.network}: choose ${network} or ask for a ${expected.network} card`,
    );
  }
  const expires = fields['expires'];
  if (expected.now !== undefined) checkCardTime(expires, expected.now);
  else if (expires !== undefined && !Number.isSafeInteger(expires)) {
    throw new InputError(FIELD, "this key card's expiry is not a time");
  }
  return {
    bytes,
    cid: env.cid.toString(),
    signer: header.sender,
    network,
    beneficiaryPublicKey: Uint8Array.from(key),
    created: header.created,
    ...(expires !== undefined ? { expires: expires as number } : {}),
  };
}

/** A card this identity made (its key index is reserved; `bytes` is missing only while it is being signed). */
export interface IssuedKeyCard {
  readonly owner: string;
  /** The statement's CID (a placeholder "reserving:<index>" while it is signed). */
  readonly cid: string;
  readonly kind: 'issued';
  readonly network: NetworkName;
  readonly index: number;
  readonly created: number;
  /** B in hex. */
  readonly publicKey?: string;
  readonly bytes?: Uint8Array;
  /** When the card stops being good (ms); absent in cards made before cards expired. */
  readonly expires?: number;
}

/** A card someone gave this identity, used for an order (never to be used again). */
export interface UsedKeyCard {
  readonly owner: string;
  readonly cid: string;
  readonly kind: 'used';
  readonly network: NetworkName;
  readonly publicKey: string;
  readonly signer: string;
  readonly created: number;
  readonly order?: string;
}

export type KeyCardRecord = IssuedKeyCard | UsedKeyCard;

/** Whether a card record is a finished card of this identity's own (listed, shown again). */
export const isIssued = (c: KeyCardRecord): c is IssuedKeyCard & { readonly bytes: Uint8Array } =>
  c.kind === 'issued' && c.bytes !== undefined;

/** The next key index used neither by an order of this identity nor by one of its own cards (reserved ones too). */
export function nextIndex(orders: readonly OrderRecord[], cards: readonly KeyCardRecord[] = []): number {
  let next = 0;
  for (const o of orders) if (o.bitcoin && o.bitcoin.index >= next) next = o.bitcoin.index + 1;
  for (const c of cards) if (c.kind === 'issued' && c.index >= next) next = c.index + 1;
  return next;
}

/** This identity's card records (own and used), newest first. */
export async function listKeyCards(deps: FlowsDeps, owner: string): Promise<KeyCardRecord[]> {
  const all = await (await deps.db()).getAllFromIndex('keycards', 'owner', owner);
  return all.sort((a, b) => b.created - a.created || (a.cid < b.cid ? -1 : 1));
}

/** Reserves the next free key index in one transaction over orders and cards (a placeholder card holds it). */
async function reserveIndex(deps: FlowsDeps, owner: string, network: NetworkName): Promise<IssuedKeyCard> {
  const db = await deps.db();
  const tx = db.transaction(['orders', 'keycards'], 'readwrite');
  const orders = await tx.objectStore('orders').index('owner').getAll(owner);
  const cards = await tx.objectStore('keycards').index('owner').getAll(owner);
  const index = nextIndex(orders, cards);
  const placeholder: IssuedKeyCard = {
    owner,
    cid: `reserving:${index}`,
    kind: 'issued',
    network,
    index,
    created: nowOf(deps),
  };
  await tx.objectStore('keycards').put(placeholder);
  await tx.done;
  return placeholder;
}

/**
 * Runs `use` with a freshly reserved key index (for an own order): the placeholder holds the index until
 * `use` has stored what uses it, so two orders started at once (two tabs) never share b. A placeholder left
 * by a killed page only skips an index.
 */
export async function withReservedIndex<T>(
  deps: FlowsDeps,
  owner: string,
  network: NetworkName,
  use: (index: number) => Promise<T>,
): Promise<T> {
  const reserved = await reserveIndex(deps, owner, network);
  try {
    return await use(reserved.index);
  } finally {
    await (await deps.db()).delete('keycards', [owner, reserved.cid]);
  }
}

/** Creates a key card on `network` for a fresh, reserved key index: the worker signs the statement of B. */
export async function createKeyCard(
  deps: FlowsDeps,
  network: NetworkName,
): Promise<IssuedKeyCard & { readonly bytes: Uint8Array }> {
  if (!isNetworkName(network)) throw new InputError('network', 'choose mainnet, testnet or regtest');
  const me = await requireSigner(deps);
  const owner = me.identity.cid.toString();
  const crypto = await deps.crypto();
  const reserved = await reserveIndex(deps, owner, network);
  const db = await deps.db();
  let bytes: Uint8Array;
  try {
    bytes = await crypto.bitcoin.keyStatement(network, reserved.index);
  } catch (e) {
    await db.delete('keycards', [owner, reserved.cid]);
    throw e;
  }
  const card = parseKeyCard(keyCardText(bytes), { network }); // what a principal will read
  const record = {
    ...reserved,
    cid: card.cid,
    publicKey: toHex(card.beneficiaryPublicKey),
    bytes,
    ...(card.expires !== undefined ? { expires: card.expires } : {}),
  };
  const tx = db.transaction('keycards', 'readwrite');
  await tx.store.put(record);
  await tx.store.delete([owner, reserved.cid]);
  await tx.done;
  return record;
}

/** Refuses a card whose key this identity already ordered with (by its orders' verified keys and its "used" marks). */
export function checkUnused(card: KeyCard, orders: readonly OrderRecord[], cards: readonly KeyCardRecord[]): void {
  const b = toHex(card.beneficiaryPublicKey);
  const order = orders.find((o) => o.summary?.kind === 'bitcoin' && o.summary.beneficiaryPublicKey === b);
  const used = cards.find((c) => c.kind === 'used' && c.publicKey === b);
  if (order || used) {
    const which = order?.id ?? (used?.kind === 'used' ? used.order : undefined);
    throw new InputError(
      FIELD,
      `you already used this key card for an earlier order${which ? ` (${which})` : ''}: ` +
        'ask the beneficiary for a new card (using one key for two orders weakens both)',
    );
  }
}

/** Checks the card's signature with its signer's identity document as `node` knows it. */
export async function verifyKeyCard(deps: FlowsDeps, node: string, card: KeyCard): Promise<void> {
  const signer = await beneficiaryOnNode(deps, node, card.signer);
  try {
    await verifyEnvelope((await deps.crypto()).bls, card.bytes, signer);
  } catch {
    throw new InputError(
      FIELD,
      "this key card's signature does not verify with the identity that signed it: it was altered, ask for a new card",
    );
  }
}

/** Marks a card as used for an order (before it is sent: a lost reply may still have committed it). */
export async function markUsed(deps: FlowsDeps, owner: string, card: KeyCard, order?: string): Promise<void> {
  const mark: UsedKeyCard = {
    owner,
    cid: card.cid,
    kind: 'used',
    network: card.network,
    publicKey: toHex(card.beneficiaryPublicKey),
    signer: card.signer.toString(),
    created: nowOf(deps),
    ...(order ? { order } : {}),
  };
  await (await deps.db()).put('keycards', mark);
}

/** Removes a "used" mark (the node refused the order: nothing was committed with the card). */
export async function unmarkUsed(deps: FlowsDeps, owner: string, card: KeyCard): Promise<void> {
  const db = await deps.db();
  const cur = await db.get('keycards', [owner, card.cid]);
  if (cur?.kind === 'used') await db.delete('keycards', [owner, card.cid]);
}

// A payload that is not strict base64url is reported as damaged, like an empty one.
function decodeCardPayload(payload: string): Uint8Array | undefined {
  try {
    return fromBase64Url(payload, 'key card');
  } catch {
    return undefined;
  }
}
