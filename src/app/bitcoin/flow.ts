/**
 * The Bitcoin flow: order an address whose key nobody holds yet (the node's
 * share f and this identity's share b), see the address at once, and
 * retrieve the key as the beneficiary: the node releases f sealed to us,
 * the worker adds b and checks that k·G = F + B owns the committed address.
 *
 * The order carries a key statement (a "bitcoin/key" envelope signed by this
 * identity) stating B, so the node knows B belongs to its beneficiary. The
 * reply is checked with the plugin's client side (proof of knowledge of f,
 * F + B, both addresses, the commitment) before the address is shown.
 * Each order uses its own key index, so no two orders share b.
 *
 * For another identity as beneficiary, the order carries that identity's
 * key card (its own signed statement of its B, see keycard.ts): the card is
 * read, checked for the chosen network, verified against the signer's
 * identity document as the node knows it, and refused when this identity
 * already ordered with it. The order's beneficiary is the card's signer;
 * the key index is not ours, so none is stored. The beneficiary finds its
 * index at retrieval (its reserved card indexes first).
 *
 * Retrieval runs in the worker (bitcoin.recover): it redeems, reads the order's
 * chain from the node and verifies it, opens the node's replies and adds b; the
 * page never sees f nor b, and gets the key only when the person asks for it.
 *
 * Before the beneficiary's app shows the address of an order (its own, or one
 * someone made for it), it checks that B is one of its keys: the node echoes
 * the key statement the order carried, which must be signed by this identity
 * and state the reply's B (the worker signs statements of its own keys only).
 * A reply from before statements were echoed is checked by searching the HD
 * account's first INDEX_SEARCH keys. Otherwise the order is refused with "this
 * order's key is not one of yours: do not send funds to it".
 * @module
 */
import { CID } from 'multiformats/cid';
import { equalBytes, fromHex, toHex, wipe } from '../../core/bytes.ts';
import { decodeStrict } from '../../core/protocol/cbor.ts';
import { decodeEnvelope } from '../../core/protocol/envelope.ts';
import { ADDRESS_TYPES, type AddressType } from '../../plugins/bitcoin/address.ts';
import { checkReplyAgainstIntent } from '../../plugins/bitcoin/intent.ts';
import { NETWORK_NAMES, type NetworkName } from '../../plugins/bitcoin/network.ts';
import { verifyOrderReply } from '../../plugins/bitcoin/reply.ts';
import type { OrderReply } from '../../plugins/bitcoin/schema.ts';
import { checkEchoedStatement } from '../../plugins/bitcoin/statement.ts';
import type { FreshConfirmation } from '../../worker/app-worker-client.ts';
import type { FlowsCrypto, RecoveredKey } from '../api/context.ts';
import { type FlowsDeps, nowOf, requireSigner } from '../api/deps.ts';
import { InputError, NodeApiError, ReplyError } from '../api/errors.ts';
import { beneficiaryOnNode } from '../orders/beneficiary.ts';
import { type Placed, placeOrder, type Summarize } from '../orders/flow.ts';
import { isBeneficiary, mergeEnvelopes, type OrderRecord, type StoredEnvelope } from '../orders/model.ts';
import { getOrder, listOrders, updateOrder } from '../orders/repo.ts';
import {
  checkUnused,
  type KeyCardRecord,
  listKeyCards,
  markUsed,
  nextIndex,
  parseKeyCard,
  unmarkUsed,
  verifyKeyCard,
  withReservedIndex,
} from './keycard.ts';
import { bitcoinSummary } from './summary.ts';

export { ADDRESS_TYPES, NETWORK_NAMES, nextIndex };

/** How far an imported order's key index is searched for (orders made on another device). */
export const INDEX_SEARCH = 256;

interface Expected {
  readonly network?: NetworkName;
  readonly addressType?: AddressType;
  readonly beneficiaryPublicKey?: Uint8Array;
  /** The key statement the order carried (the reply must echo it). */
  readonly beneficiaryKey?: Uint8Array;
}

/** Checks a bitcoin order reply against the order, and that B is ours when we are the beneficiary. */
/** A failed check of the shared half is, to this app, a reply that is not what was promised. */
function asMismatch(check: () => void): void {
  try {
    check();
  } catch (e) {
    throw new ReplyError((e as Error).message);
  }
}

function summarizer(expected: Expected): Summarize {
  return async (content, o, crypto) => {
    const reply = verifyOrderReply(content, { order: o.id, ...expected });
    // The beneficiary's import: the reply must say what the principal's intent asked for (network, type, key card).
    if (o.intent?.content) asMismatch(() => checkReplyAgainstIntent(reply, decodeStrict(o.intent!.content!)));
    if (isBeneficiary(o)) await checkKeyIsMine(crypto, reply);
    return bitcoinSummary(reply);
  };
}

export const summarizeBitcoin: Summarize = summarizer({});

/** The first of this identity's HD keys (0..INDEX_SEARCH) on `network` that is B, if any. */
async function searchIndex(crypto: FlowsCrypto, network: NetworkName, b: Uint8Array): Promise<number | undefined> {
  for (let i = 0; i < INDEX_SEARCH; i++) if (equalBytes(await crypto.bitcoin.publicKey(network, i), b)) return i;
  return undefined;
}

/** Refuses (ReplyError) an order reply whose B is not one of this identity's keys; see the module comment. */
async function checkKeyIsMine(crypto: FlowsCrypto, reply: OrderReply): Promise<void> {
  const me = await crypto.signer();
  if (!me) throw new ReplyError("unlock your identity to check that this order's key is yours");
  if (
    reply.beneficiaryKey === undefined &&
    reply.xpub === undefined &&
    (await searchIndex(crypto, reply.network, reply.beneficiaryPublicKey)) !== undefined
  )
    return;
  try {
    await checkEchoedStatement(crypto.bls, reply.beneficiaryKey, me.identity, reply);
  } catch (e) {
    throw new ReplyError((e as Error).message);
  }
}

export interface BitcoinOrderInput {
  readonly node: string;
  readonly network: NetworkName;
  readonly addressType: AddressType;
  readonly label?: string;
  /** Another identity's key card (its text): that identity is the beneficiary. Absent: this identity is. */
  readonly card?: string;
}

function checkOrderInput(input: BitcoinOrderInput): void {
  if (!NETWORK_NAMES.includes(input.network)) throw new InputError('network', `one of ${NETWORK_NAMES.join(', ')}`);
  if (!ADDRESS_TYPES.includes(input.addressType))
    throw new InputError('addressType', `one of ${ADDRESS_TYPES.join(', ')}`);
}

/** Orders a Bitcoin key (for ourselves, or for the signer of `input.card`); resolves once the address is verified. */
export async function orderBitcoin(deps: FlowsDeps, input: BitcoinOrderInput): Promise<Placed> {
  checkOrderInput(input);
  if (input.card !== undefined) return orderForCard(deps, input, input.card);
  const me = await requireSigner(deps);
  const crypto = await deps.crypto();
  const owner = me.identity.cid.toString();
  const label = input.label?.trim() || undefined;
  // The order record (with its index) is stored by placeOrder before anything is sent, inside the reservation.
  return withReservedIndex(deps, owner, input.network, async (index) => {
    const beneficiaryPublicKey = await crypto.bitcoin.publicKey(input.network, index);
    const beneficiaryKey = await crypto.bitcoin.keyStatement(input.network, index);
    return placeOrder(deps, {
      node: input.node,
      plugin: 'bitcoin',
      intentFor: me.identity,
      content: { network: input.network, addressType: input.addressType, beneficiaryKey },
      summarize: summarizer({
        network: input.network,
        addressType: input.addressType,
        beneficiaryPublicKey,
        beneficiaryKey,
      }),
      bitcoin: { network: input.network, addressType: input.addressType, index },
      ...(label ? { label } : {}),
    });
  });
}

/** Orders a key for the identity that signed the key card `text`. */
async function orderForCard(deps: FlowsDeps, input: BitcoinOrderInput, text: string): Promise<Placed> {
  const me = await requireSigner(deps);
  const owner = me.identity.cid.toString();
  const card = parseKeyCard(text, { network: input.network, now: nowOf(deps) });
  if (card.signer.equals(me.identity.cid))
    throw new InputError('card', 'this is one of your own key cards: choose "Me" as the beneficiary instead');
  checkUnused(card, await listOrders(deps, owner), await listKeyCards(deps, owner));
  await verifyKeyCard(deps, input.node, card);
  const label = input.label?.trim() || undefined;
  const intentFor = await beneficiaryOnNode(deps, input.node, card.signer);
  await markUsed(deps, owner, card);
  let placed: Placed;
  try {
    placed = await placeOrder(deps, {
      node: input.node,
      plugin: 'bitcoin',
      beneficiary: card.signer.toString(),
      intentFor,
      content: { network: input.network, addressType: input.addressType, beneficiaryKey: card.bytes },
      summarize: summarizer({
        network: input.network,
        addressType: input.addressType,
        beneficiaryPublicKey: card.beneficiaryPublicKey,
        beneficiaryKey: card.bytes,
      }),
      ...(label ? { label } : {}),
    });
  } catch (e) {
    // A refusal (4xx) committed nothing: the card may be used again. Otherwise the node may hold the order.
    if (e instanceof NodeApiError && e.status < 500) await unmarkUsed(deps, owner, card);
    throw e;
  }
  await markUsed(deps, owner, card, placed.order.id);
  return placed;
}

/**
 * The key index whose B is the order's beneficiary key (an order from another device, or for one of our key
 * cards): a card of ours stating that B gives it at once (a card's index may lie beyond the search), else
 * 0..INDEX_SEARCH is searched.
 */
async function findIndex(
  crypto: FlowsCrypto,
  cards: readonly KeyCardRecord[],
  network: NetworkName,
  beneficiaryPublicKey: Uint8Array,
): Promise<number> {
  const b = toHex(beneficiaryPublicKey);
  const card = cards.find((c) => c.kind === 'issued' && c.network === network && c.publicKey === b);
  if (card?.kind === 'issued' && equalBytes(await crypto.bitcoin.publicKey(network, card.index), beneficiaryPublicKey))
    return card.index;
  const found = await searchIndex(crypto, network, beneficiaryPublicKey);
  if (found !== undefined) return found;
  throw new InputError('order', "this order's key is not one of yours: do not send funds to it");
}

export interface RetrievedKey {
  readonly order: OrderRecord;
  /** For the view only (never stored); the caller wipes privateKey when done. */
  readonly key: RecoveredKey;
}

/** The order's envelopes the worker read from the node, as this app stores them. */
function storedFrom(envelopes: readonly { readonly cid: string; readonly bytes: Uint8Array }[]): StoredEnvelope[] {
  return envelopes.map(({ cid, bytes }) => {
    const h = decodeEnvelope(bytes, CID.parse(cid)).value.header;
    return {
      cid,
      type: h.type,
      sender: h.sender.toString(),
      recipients: h.recipients.map(String),
      created: h.created,
      bytes,
    };
  });
}

/** The recovered key's public side: what the view shows before the person asks to see the key. */
export type RetrievedAddress = Omit<RecoveredKey, 'privateKey' | 'wif'>;

/**
 * Retrieves the key as the beneficiary: the worker redeems the node's share, reads and verifies the order's chain
 * from the node itself, and recovers k there (src/worker/api/bitcoin.ts); this page gets the address, which must
 * be the one shown when the order was made, and — only with the person's fresh `confirmation` (a passkey
 * assertion, or a device-key identity's name typed again), which the worker checks — the key.
 */
async function recoverOrder(deps: FlowsDeps, id: string, confirmation?: FreshConfirmation) {
  const me = await requireSigner(deps);
  const order = await getOrder(deps, me.identity.cid.toString(), id);
  if (!isBeneficiary(order)) throw new InputError('order', 'only the beneficiary of this order can retrieve it');
  const summary = order.summary?.kind === 'bitcoin' ? order.summary : undefined;
  if (!summary) throw new ReplyError('this order has no verified address yet');
  const crypto = await deps.crypto();
  const params = order.bitcoin ?? {
    network: summary.network,
    addressType: summary.addressType,
    index: await findIndex(
      crypto,
      await listKeyCards(deps, order.owner),
      summary.network,
      fromHex(summary.beneficiaryPublicKey),
    ),
  };
  const got = await crypto.bitcoin.recover({
    node: { url: order.node, identity: order.nodeIdentity },
    order: id,
    network: params.network,
    index: params.index,
    ...(confirmation ? { reveal: true, confirmation } : {}),
  });
  const updated = await updateOrder(deps, order.owner, order.id, ({ pending: _, error: __, ...cur }) => ({
    ...cur,
    state: 'redeemed',
    head: got.head,
    envelopes: mergeEnvelopes(cur.envelopes, storedFrom(got.envelopes)),
    updated: nowOf(deps),
  }));
  // An order from another device: the index found is kept for next time (after the record returned).
  if (!order.bitcoin) await updateOrder(deps, order.owner, order.id, (cur) => ({ ...cur, bitcoin: params }));
  if (got.address !== summary.address) {
    if (got.key) wipe(got.key.privateKey);
    throw new ReplyError('the recovered key does not own the address shown when the order was made');
  }
  const { address, publicKey, network, addressType } = got;
  return { order: updated, address: { address, publicKey, network, addressType }, key: got.key };
}

/** Retrieves the order's key as its beneficiary, for its address only (the key stays in the worker). */
export async function retrieveBitcoinAddress(
  deps: FlowsDeps,
  id: string,
): Promise<{ readonly order: OrderRecord; readonly address: RetrievedAddress }> {
  const { order, address } = await recoverOrder(deps, id);
  return { order, address };
}

/** Retrieves the order's key itself, the person having asked to see it and confirmed just now. */
export async function retrieveBitcoin(
  deps: FlowsDeps,
  id: string,
  confirmation: FreshConfirmation,
): Promise<RetrievedKey> {
  const { order, address, key } = await recoverOrder(deps, id, confirmation);
  if (!key) throw new ReplyError('the worker did not return the key');
  return { order, key: { ...address, ...key } };
}
